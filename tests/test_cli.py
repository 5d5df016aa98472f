"""The command line as a person runs it: demo end to end, init, help, and one-line errors with exit 2."""

from __future__ import annotations

import json
import re
import signal
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request
from contextlib import closing

import pytest

from govinspect.config import load_config

from conftest import AS_OF, REPO, run_cli, write_config


def test_demo_runs_end_to_end_and_finds_the_whole_sample_site(tmp_path):
    out = tmp_path / "demo"
    result = run_cli("demo", "--out", str(out), "--as-of", AS_OF.isoformat(), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    manifest = json.loads((out / "sample-site.json").read_text(encoding="utf-8"))
    columns = len(manifest["columns"])
    items = sum(len(c["items"]) for c in manifest["columns"])
    assert f"{columns}/{columns} columns, {items}/{items} items found" in result.stdout
    assert result.stdout.startswith("运行状态：正常")
    planted = re.search(r"planted defects: (\d+)/(\d+) found, 0/\d+ near misses fired.*; 0 unexpected findings",
                        result.stdout)
    assert planted and planted[1] == planted[2], result.stdout
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["schema"] == "govinspect.report/1" and report["run"]["status"] == "completed"
    assert (out / "govinspect.db").exists()


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_demo_keep_serving_stops_cleanly_on_a_signal(tmp_path, stop):
    args = [sys.executable, "-m", "govinspect", "demo", "--keep-serving", "--out", str(tmp_path / "demo"),
            "--as-of", AS_OF.isoformat()]
    with subprocess.Popen(args, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) as child:
        try:
            lines = []
            for line in child.stderr:  # the audit first, then the line that says it serves
                lines.append(line)
                if line.startswith("serving the sample site at "):
                    break
            url = line.split(" at ", 1)[1].split()[0]
            with urllib.request.urlopen(url, timeout=10) as answer:
                assert answer.status == 200
            child.send_signal(stop)
            _, rest = child.communicate(timeout=30)  # a child that ignores the signal fails here
            assert child.returncode == 0, "".join(lines) + rest
        finally:
            if child.poll() is None:
                child.kill()
    assert rest.strip() == f"{stop.name}: sample site stopped" and "Traceback" not in rest
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url, timeout=5)


def test_init_discovers_columns_and_writes_a_config_that_loads(sample_server, tmp_path):
    output = tmp_path / "site.toml"
    result = run_cli("init", sample_server.base_url, "-o", str(output))
    assert result.returncode == 0, result.stderr
    config = load_config(output)
    expected = {c.url: c.category for c in sample_server.site.columns}
    found = {c.url: c.category for c in config.columns}
    assert set(expected) <= set(found)
    assert sum(found[url] == category for url, category in expected.items()) / len(expected) >= 0.9
    assert "# Review every column" in output.read_text(encoding="utf-8")


def test_init_never_overwrites_a_reviewed_file_unless_forced(sample_server, tmp_path):
    output = tmp_path / "site.toml"
    output.write_text("# reviewed by hand\n", encoding="utf-8")
    result = run_cli("init", sample_server.base_url, "-o", str(output))
    assert result.returncode == 2 and result.stderr == f"error: {output}: already exists (give --force to overwrite it)\n"
    assert output.read_text(encoding="utf-8") == "# reviewed by hand\n"
    result = run_cli("init", sample_server.base_url, "-o", str(output), "--force")
    assert result.returncode == 0, result.stderr
    assert load_config(output).columns


@pytest.mark.parametrize("args, words", [
    (["findings", "--db", "{tmp}/none.db"], "no such database"),
    (["report", "--format", "json", "--db", "{tmp}/none.db"], "no such database"),
    (["crawl", "-c", "{tmp}/none.toml"], "file not found"),
    (["init", "not-a-url"], "not an http(s) URL"),
    (["init", "http://127.0.0.1:9/"], "cannot fetch the page"),
])
def test_bad_input_is_one_line_with_exit_2(tmp_path, args, words):
    result = run_cli(*[a.format(tmp=tmp_path) for a in args])
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and words in result.stderr and "Traceback" not in result.stderr


def test_bad_as_of_is_a_usage_error(tmp_path):
    config = tmp_path / "site.toml"
    config.write_text('[site]\nname = "x"\nbase_url = "http://127.0.0.1:9/"\n', encoding="utf-8")
    result = run_cli("crawl", "-c", str(config), "--db", str(tmp_path / "x.db"), "--as-of", "2026-13-01")
    assert result.returncode == 2 and "--as-of" in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.parametrize("command", ["demo", "init", "crawl", "audit", "check", "checks", "report", "findings",
                                     "triage"])
def test_every_command_has_help_from_its_docstring(command):
    result = run_cli(command, "--help")
    assert result.returncode == 0 and "Usage:" in result.stdout and len(result.stdout.splitlines()) > 4


def test_a_sqlite_file_that_is_not_ours_is_refused_and_left_unchanged(tmp_path):
    other = tmp_path / "other.db"
    with closing(sqlite3.connect(other)) as conn, conn:
        conn.execute("create table notes (id integer primary key, text text)")
        conn.execute("insert into notes (text) values ('bureau notes')")
    before = other.read_bytes()
    for args in (["findings"], ["report", "--format", "json"]):
        result = run_cli(*args, "--db", str(other))
        assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
        assert "not a govinspect database" in result.stderr and "notes" in result.stderr
    assert other.read_bytes() == before


def test_an_unwritable_out_folder_is_refused_before_the_crawl(site_server, tmp_path):
    base = site_server({"/": "<html><head><title>青山县审计局</title></head><body>首页</body></html>"})
    config = write_config(tmp_path / "site.toml", base)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = run_cli("audit", "-c", str(config), "--db", str(tmp_path / "g.db"), "--out", str(blocker / "reports"))
    assert result.returncode == 2 and result.stderr.strip().splitlines()[-1].startswith("error: --out: cannot write")
    assert site_server.hits == [], "nothing was crawled"
