"""The nights of the run-health fault suite, with figures: per scenario, exit code, health, findings closed and added.

A healthy audit of the sample site, then one night that goes wrong, on the same unchanged site (loopback only):
`python tests/benchmarks/fault_nights.py`. tests/test_run_health.py asserts the same scenarios.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))
os.chdir(TESTS.parent)

from conftest import AS_OF  # noqa: E402
from govinspect.demo.server import SampleServer  # noqa: E402
from govinspect.store import Store  # noqa: E402
from test_run_health import write_site_config  # noqa: E402


def audit_command(folder: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "govinspect", "audit", "-c", str(folder / "site.toml"), "--db",
            str(folder / "govinspect.db"), "--out", str(folder / "reports"), "--as-of", AS_OF.isoformat(), *args]


def audit(folder: Path, *args: str) -> int:
    return subprocess.run(audit_command(folder, *args), capture_output=True, text=True).returncode


def statuses(folder: Path) -> tuple[dict[str, str], tuple[str, list[str]]]:
    with Store(folder / "govinspect.db") as store:
        return {f["id"]: f["status"] for f in store.findings()}, store.health(store.run()["id"])


def scenario(name: str, night) -> None:
    folder = Path(tempfile.mkdtemp())
    server = SampleServer(AS_OF).start()
    write_site_config(folder, server.base_url)
    first = audit(folder)
    server.stop()
    before, _ = statuses(folder)
    code = night(folder, server.port)
    after, health = statuses(folder)
    closed = sum(1 for fid, status in after.items() if status == "fixed" and before.get(fid) == "open")
    added = sum(1 for fid in after if fid not in before)
    print(f"{name:<28} first exit {first}, {sum(s == 'open' for s in before.values())} open | "
          f"night exit {code}, health {health[0]}, closed {closed}, added {added}", flush=True)


def down(folder: Path, port: int) -> int:
    return audit(folder, "--incremental")


def answering(status: int):
    def night(folder: Path, port: int) -> int:
        with SampleServer(AS_OF, port=port, outage_status=status):
            return audit(folder, "--incremental")
    return night


def halfway(folder: Path, port: int) -> int:
    with SampleServer(AS_OF, port=port, refuse_after=150):
        return audit(folder, "--full")


def interrupted(folder: Path, port: int) -> int:
    config = folder / "site.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("delay_seconds = 0", "delay_seconds = 0.05")
                      .replace("concurrency_per_host = 8", "concurrency_per_host = 1"), encoding="utf-8")
    with SampleServer(AS_OF, port=port) as server:
        child = subprocess.Popen(audit_command(folder, "--full"), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while server.requests < 40 and time.monotonic() < deadline:
            time.sleep(0.1)
        child.send_signal(signal.SIGINT)
        child.communicate(timeout=120)
        return child.returncode


if __name__ == "__main__":
    scenario("(a) server down", down)
    scenario("(b) down halfway (150 req)", halfway)
    scenario("(c) every page 500", answering(500))
    scenario("(d) every page 412", answering(412))
    scenario("(f) SIGINT mid-run", interrupted)
