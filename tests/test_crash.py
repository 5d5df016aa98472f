"""Crash safety: SIGKILL at random points of a crawl and of a check pass, and a disk that fills up mid-write."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time

import pytest

from govinspect.store import Store

from conftest import AS_OF, REPO, run_cli, write_config

TRIALS = 20


def state(db) -> tuple[list, list]:
    """What earlier runs left that a crash must never touch: findings' triage, and each run's sightings."""
    with Store(db) as store:
        triaged = sorted((f["id"], f["status"], f["triage_reason"]) for f in store.findings() if f["triage"])
        sightings = sorted(store.db.execute("select finding_id, run_id from finding_runs where run_id = 1"))
    return triaged, sightings


@pytest.fixture(scope="module")
def audited(sample_server, tmp_path_factory):
    """A database with one completed audit of the sample site and a triaged finding."""
    folder = tmp_path_factory.mktemp("crash")
    config = write_config(folder / "site.toml", sample_server.base_url)
    db = folder / "base.db"
    result = run_cli("audit", "-c", str(config), "--db", str(db), "--out", str(folder / "out"),
                     "--as-of", AS_OF.isoformat())
    assert result.returncode == 0, result.stderr
    with Store(db) as store:
        finding = store.findings(status="open")[0]["id"]
    result = run_cli("triage", finding, "--ignore", "--reason", "人工核实", "--db", str(db))
    assert result.returncode == 0, result.stderr
    return folder, config, db, state(db)


def test_sigkill_at_random_points_never_damages_the_database(audited):
    folder, config, base, before = audited
    chance = random.Random(20261201)
    for trial in range(TRIALS):
        db = folder / f"trial{trial}.db"
        shutil.copy(base, db)
        command = "audit" if trial % 2 == 0 else "check"
        args = [sys.executable, "-m", "govinspect", command, "-c", str(config), "--db", str(db),
                "--as-of", AS_OF.isoformat()]
        if command == "audit":
            args += ["--out", str(folder / f"out{trial}")]
        delay = chance.uniform(0.8, 4.0) if command == "audit" else chance.uniform(0.5, 2.0)
        with subprocess.Popen(args, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as child:
            time.sleep(delay)
            os.kill(child.pid, signal.SIGKILL)
        result = run_cli("findings", "--db", str(db))
        assert result.returncode == 0, (trial, result.stderr)
        with Store(db) as store:
            assert store.integrity() == "ok", trial
            assert all(run["status"] != "running" for run in store.runs()), trial
        assert state(db) == before, (trial, command, delay)
    result = run_cli("audit", "-c", str(config), "--db", str(db), "--out", str(folder / "final"),
                     "--as-of", AS_OF.isoformat())
    assert result.returncode == 0, result.stderr
    with Store(db) as store:
        assert store.run()["status"] == "completed"
    assert state(db)[0] == before[0]


@pytest.mark.skipif(not shutil.which("bash"), reason="needs bash for ulimit")
def test_disk_full_gives_a_clear_error_and_keeps_what_was_there(audited):
    folder, config, base, before = audited
    db = folder / "full.db"
    shutil.copy(base, db)
    size_kb = (db.stat().st_size + 1023) // 1024
    # The file may grow by a few pages at most: the crawl runs out of room almost at once.
    command = (f"ulimit -f {size_kb + 64}; exec {sys.executable} -m govinspect audit -c {config} --db {db} "
               f"--out {folder / 'full-out'} --as-of {AS_OF.isoformat()}")
    result = subprocess.run(["bash", "-c", command], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 2, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: ") and "cannot write" in last and str(db) in last
    assert "Traceback" not in result.stderr
    with Store(db) as store:
        assert store.integrity() == "ok"
    assert state(db) == before
