"""Evidence screenshots at audit time: the pages with findings, the evidence marked, numbers masked, other hosts refused."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import timedelta

import pytest

from conftest import AS_OF, Route, audit_site
from test_report_html import ARTIFACTS, CHROMIUM
from textsite import article, listing

DAY = (AS_OF - timedelta(days=2)).isoformat()
SPAM = ('<div style="display:none"><a href="http://www.yule-88.example/">娱乐城 百家乐</a></div>'
        '<a style="position:absolute;left:-9999px" href="http://www.dubo-66.example/">博彩</a>')


def site(other: str) -> dict:
    """A homepage with a hidden gambling link; an article with a typo, a mobile number and an image from another host."""
    body = ["县审计局召开审计结果公告发布会，已示公开审计结果，接受社会监督。", "联系人手机 13900001001，欢迎来电。"]
    home = ('<html><head><meta charset="utf-8"><title>青山县审计局</title></head><body>'
            f'<ul><li><a href="/news/list.html">工作动态</a></li></ul>{SPAM}</body></html>')
    return {"/": Route(home), "/news/list.html": Route(listing([("/news/a.html", "审计结果公告发布会", DAY)])),
            "/news/a.html": Route(article("审计结果公告发布会", body, DAY, extra=f'<img src="{other}logo.png">'))}


@pytest.fixture(scope="module")
def audited(module_site_server, tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("chromium not found: install Debian's chromium package (apt-get install -y chromium)")
    # The other host: the same machine under another name, so a request to it would be seen here.
    other = module_site_server({"/logo.png": Route(b"\x89PNG", headers={"Content-Type": "image/png"})})
    other_hits = module_site_server.hits
    base = module_site_server(site(other.replace("127.0.0.1", "localhost")))
    folder = tmp_path_factory.mktemp("screenshots")
    columns = f'\n[[columns]]\nname = "工作动态"\nurl = "{base}news/list.html"\ncategory = "dynamic"\n'
    # The crawl itself never verifies the off-site image (check_external off): any request to it is the browser's.
    report = audit_site(folder, base, "check_external = false\n" + columns
                        + "\n[report]\nscreenshots = true\nscreenshot_max_kb = 300\n")
    with closing(sqlite3.connect(folder / "govinspect.db")) as conn:
        shots = {url: {"png": png, "marks": json.loads(marks), "masked": masked, "height": height}
                 for url, png, marks, masked, height in conn.execute(
                     "select url, png, marks, masked, height from screenshots")}
    return {"report": report, "shots": shots, "base": base, "other_hits": other_hits, "folder": folder}


def finding(report: dict, check: str) -> dict:
    return next(f for f in report["findings"] if f["check"] == check)


def test_each_page_with_findings_is_photographed_once(audited):
    base = audited["base"]
    assert set(audited["shots"]) == {base, base + "news/list.html", base + "news/a.html"}
    for shot in audited["shots"].values():
        assert shot["png"].startswith(b"\x89PNG") and len(shot["png"]) <= 300 * 1024


def test_the_evidence_is_marked(audited):
    shots, report = audited["shots"], audited["report"]
    hidden = [f["id"] for f in report["findings"] if f["check"] == "link.hidden"]
    assert len(hidden) == 2 and set(hidden) <= set(shots[audited["base"]]["marks"])
    assert finding(report, "text.typo")["id"] in shots[audited["base"] + "news/a.html"]["marks"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, url in (("hidden-links", audited["base"]), ("typo-masked", audited["base"] + "news/a.html")):
        (ARTIFACTS / f"screenshot-{name}.png").write_bytes(shots[url]["png"])


def test_personal_numbers_are_masked_and_other_hosts_never_asked(audited):
    assert audited["shots"][audited["base"] + "news/a.html"]["masked"] == 1
    assert audited["other_hits"] == []  # the image on another host was refused, not fetched


def test_without_the_setting_no_screenshot_is_taken(module_site_server, tmp_path, audited):
    base = module_site_server(site("http://localhost:9/"))
    audit_site(tmp_path, base, f'check_external = false\n[[columns]]\nname = "工作动态"\nurl = "{base}news/list.html"\n')
    with closing(sqlite3.connect(tmp_path / "govinspect.db")) as conn:
        assert conn.execute("select count(*) from screenshots").fetchone()[0] == 0


def test_a_run_cut_short_is_not_photographed(audited, tmp_path):
    from govinspect.config import load_config
    from govinspect.store import Store
    from reports.screenshots import take_screenshots

    db = tmp_path / "govinspect.db"
    with closing(sqlite3.connect(audited["folder"] / "govinspect.db")) as source, closing(sqlite3.connect(db)) as copy:
        source.backup(copy)
    config = load_config(audited["folder"] / "site.toml")
    with Store(db) as store:
        run_id = store.run()["id"]
        store.db.execute("delete from screenshots")
        store.db["runs"].update(run_id, {"status": "interrupted"})
        assert take_screenshots(store, run_id, config) == 0
        store.db["runs"].update(run_id, {"status": "completed"})
        assert take_screenshots(store, run_id, config) == 3  # the same run, whole: its three pages
