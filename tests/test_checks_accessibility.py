"""`accessibility.violations`: axe-core in Debian's Chromium on a loopback site, pages with and without alt text."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from conftest import AS_OF, Route, run_cli
from crawlcheck import crawl, html, listing

from crawler.accessibility import AXE

pytestmark = pytest.mark.skipif(shutil.which("chromium") is None,
                                reason="chromium not found: install Debian's chromium package, as .ci/run does")

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                    "0000000b4944415478da636000020000050001e9fadcd80000000049454e44ae426082")
BAD_HOME = ('<html><head><meta charset="utf-8"><title>青山县审计局</title></head><body>'
            '<img src="/logo.png"><form><input type="text" name="q"></form>'
            '<a href="/news/list.html">工作动态</a><script src="http://cdn.example.com/stat.js"></script></body></html>')
GOOD_ARTICLE = ('<html lang="zh-CN"><head><meta charset="utf-8"><title>县审计局召开审计工作会议</title></head><body>'
                '<main><h1>县审计局召开审计工作会议</h1><p>发布日期：2024-03-08</p>'
                '<img src="/logo.png" alt="会议现场"><p>会议要求做好审计工作。</p></main></body></html>')


@pytest.fixture(scope="module")
def found(module_site_server, tmp_path_factory):
    base = module_site_server({
        "/": BAD_HOME, "/logo.png": Route(PNG, headers={"Content-Type": "image/png"}),
        "/news/list.html": listing("工作动态", [("/news/1.html", "县审计局召开审计工作会议", "2024-03-08")]),
        "/news/1.html": GOOD_ARTICLE,
    })
    hits = module_site_server.hits
    done = crawl(tmp_path_factory.mktemp("axe"), base,
                 f'accessibility_pages = 3\n\n[[columns]]\nname = "工作动态"\nurl = "{base}news/list.html"\n'
                 'category = "dynamic"\n')
    findings = [f for f in done.check() if f["check"] == "accessibility.violations"]
    from govinspect.store import Store

    with Store(done.db) as store:
        fact = json.loads(store.db.execute("select value from site_facts where name = 'accessibility'").fetchone()[0])
    return base, findings, hits, fact


def test_one_finding_per_page_with_the_rule_ids(found):
    base, findings, _, _ = found
    [home] = findings
    assert home["url"] == base and home["severity"] == "minor"
    assert {"image-alt", "label", "html-has-lang"} <= set(home["evidence"]["rules"])
    assert "图片缺少替代文本（image-alt，1 处）" in home["message"]
    assert home["evidence"]["engine"] == "axe-core 4.14.1"


def test_page_with_alt_text_and_language_is_clean(found):
    base, findings, _, _ = found
    assert all(not f["url"].endswith("/news/1.html") for f in findings)


def test_offline_browser_loads_nothing_off_site(found):
    _, _, hits, fact = found
    assert "/logo.png" in hits and fact["blocked"] == ["http://cdn.example.com/stat.js"]
    assert [page["error"] for page in fact["pages"]] == [None, None]


def test_axe_shipped_with_its_licence():
    licence = AXE.parent / "axe-core.LICENSE"
    assert AXE.read_text(encoding="utf-8").startswith("/*! axe v4.14.1")
    assert "Mozilla Public License" in licence.read_text(encoding="utf-8")


def test_demo_finds_the_planted_photo_and_every_other_planted_defect(tmp_path):
    from types import SimpleNamespace

    from govinspect.demo.scorecard import score
    from govinspect.store import Store

    out = tmp_path / "demo"
    result = run_cli("demo", "--out", str(out), "--as-of", AS_OF.isoformat(), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if "planted defects:" in line)
    found, planted_count = re.search(r"planted defects: (\d+)/(\d+) found", line).groups()
    assert found == planted_count and re.search(r", 0/\d+ near misses fired", line), line
    manifest = json.loads((out / "sample-site.json").read_text(encoding="utf-8"))
    site = SimpleNamespace(defects=manifest["defects"], near_misses=manifest["near_misses"])
    with Store(out / "govinspect.db") as store:
        card = score(store, store.run()["id"], site, ["accessibility.violations"])
    assert (card["defects"], card["found"], card["fired"]) == (1, 1, [])
