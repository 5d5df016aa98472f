"""Findings keep a history across runs of a changing site: fixed, new, ignored, reopened, triaged through the CLI."""

from __future__ import annotations

from govinspect.store import Store

from conftest import Route, audit_site, run_cli

NOT_FOUND = "<html><head><title>404 Not Found</title></head><body>Not Found</body></html>"
PAGE = "<html><head><title>审计动态</title></head><body><p>县审计局开展审计业务培训，提升审计人员业务能力。</p></body></html>"


def home(*targets: str) -> str:
    links = "".join(f'<li><a href="/{name}">专题链接{name}</a></li>' for name in targets)
    return f"<html><head><title>青山县审计局</title></head><body><ul>{links}</ul></body></html>"


def broken(report: dict) -> dict[str, dict]:
    """The link.broken findings of a report by the target's file name."""
    return {f["url"].rsplit("/", 1)[1]: f for f in report["findings"] if f["check"] == "link.broken"}


def triage(db, *args: str):
    result = run_cli("triage", *args, "--db", str(db))
    assert result.returncode == 0, result.stderr
    return result.stdout


def history(db, name: str) -> tuple[dict, list[int]]:
    with Store(db) as store:
        row = next(f for f in store.findings() if f["check_id"] == "link.broken" and f["subject"].endswith(name))
        runs = [r[0] for r in store.db.execute("select run_id from finding_runs where finding_id = ? order by run_id",
                                               [row["id"]])]
    return row, runs


def test_three_runs_of_a_changing_site(site_server, tmp_path):
    page = Route(home("gone1.html", "gone2.html", "ok.html"))
    gone1, gone2, gone3 = (Route(NOT_FOUND, 404) for _ in range(3))
    base = site_server({"/": page, "/gone1.html": gone1, "/gone2.html": gone2, "/gone3.html": gone3, "/ok.html": PAGE})
    db = tmp_path / "govinspect.db"

    first = broken(audit_site(tmp_path, base))
    assert {name: f["status"] for name, f in first.items()} == {"gone1.html": "open", "gone2.html": "open"}
    out = triage(db, first["gone2.html"]["id"][:8], "--ignore", "--reason", "上级单位网站，已核实可访问")
    assert out.split()[:2] == [first["gone2.html"]["id"], "ignored"]

    # Between the runs gone1 is repaired and a new broken link appears.
    gone1.status, gone1.body = 200, PAGE
    page.body = home("gone1.html", "gone2.html", "gone3.html", "ok.html")
    second = broken(audit_site(tmp_path, base))
    assert {name: f["status"] for name, f in second.items()} == {
        "gone1.html": "fixed", "gone2.html": "ignored", "gone3.html": "open"}
    assert second["gone1.html"]["id"] == first["gone1.html"]["id"]

    # A person marks gone3 fixed although it is not; gone1 breaks again.
    triage(db, second["gone3.html"]["id"], "--fixed")
    gone1.status, gone1.body = 404, NOT_FOUND
    third = audit_site(tmp_path, base)
    assert {name: f["status"] for name, f in broken(third).items()} == {
        "gone1.html": "open", "gone2.html": "ignored", "gone3.html": "open"}
    assert broken(third)["gone1.html"]["first_seen"] == first["gone1.html"]["first_seen"]

    row, runs = history(db, "gone1.html")
    assert runs == [1, 3] and (row["first_seen_run"], row["last_seen_run"], row["fixed_run"]) == (1, 3, None)
    row, runs = history(db, "gone2.html")
    assert runs == [1, 2, 3] and row["status"] == "ignored" and row["triage_reason"] == "上级单位网站，已核实可访问"
    row, runs = history(db, "gone3.html")
    assert runs == [2, 3] and row["status"] == "open"

    # Checking run 3 again replaces its sightings instead of adding to them.
    with Store(db) as store:
        before = store.db.execute("select count(*) from finding_runs where run_id = 3").fetchone()[0]
    for _ in range(2):
        result = run_cli("check", "-c", str(tmp_path / "site.toml"), "--db", str(db), "--run", "3")
        assert result.returncode == 0, result.stderr
    with Store(db) as store:
        assert store.db.execute("select count(*) from finding_runs where run_id = 3").fetchone()[0] == before
    assert history(db, "gone1.html")[0]["status"] == "open" and history(db, "gone2.html")[0]["status"] == "ignored"

    # A run that stops at max_pages saw gone1 but never verified gone3: gone3 is not taken for fixed.
    fourth = broken(audit_site(tmp_path, base, "max_pages = 2\n", expect=4))
    assert fourth["gone1.html"]["status"] == "open" and "gone3.html" not in fourth
    assert history(db, "gone3.html")[0]["status"] == "open"

    triage(db, first["gone2.html"]["id"], "--reopen")
    assert history(db, "gone2.html")[0]["status"] == "open"


def test_triage_mistakes_are_one_line_and_exit_2(site_server, tmp_path):
    base = site_server({"/": home("gone.html"), "/gone.html": Route(NOT_FOUND, 404)})
    audit_site(tmp_path, base)
    db = str(tmp_path / "govinspect.db")
    for args, words in ((["ffffffffffffffff0", "--ignore"], "no finding with id"),
                        ([broken_id(db)], "give one of --ignore, --fixed or --reopen"),
                        ([broken_id(db), "--fixed", "--ignore"], "not --ignore and --fixed together"),
                        ([broken_id(db), "--fixed", "--db", str(tmp_path / "none.db")], "no such database")):
        result = run_cli("triage", *args, *([] if "--db" in args else ["--db", db]))
        assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert words in result.stderr
    assert history(db, "gone.html")[0]["status"] == "open"  # the rejected command changed nothing


def broken_id(db: str) -> str:
    with Store(db) as store:
        return next(f["id"] for f in store.findings() if f["check_id"] == "link.broken")
