"""The check framework: the registry over entry points, a third-party plug-in end to end, configuration of checks."""

from __future__ import annotations

import json
import re
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest

from checks.registry import load_registry

from conftest import AS_OF, REPO, audit_site, fired, run_cli, write_config

CHECKS_MD = REPO.parent / "shared" / "spec" / "checks.md"
BUILTIN = ("homepage.stale", "column.stale", "column.empty", "column.undated", "link.broken", "link.soft404",
           "link.blocked", "link.private", "link.hidden", "meta.tags", "meta.site_code", "meta.footer", "meta.pubdate")


def catalogue() -> dict[str, tuple[str, str, str]]:
    """checks.md as id → (title, indicator of its section, severity)."""
    if not CHECKS_MD.exists():
        pytest.skip("../shared/spec/checks.md is not beside this checkout")
    rows, indicator = {}, ""
    for line in CHECKS_MD.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^## .*[（(]([^)）]+)[)）]\s*$", line)
        if heading:
            indicator = heading.group(1)
        row = re.match(r"^\| `([a-z0-9_.]+)` \| ([^|]+?) \| .* \| (critical|major|minor|info) \|$", line)
        if row:
            rows[row.group(1)] = (row.group(2), indicator, row.group(3))
    return rows


@pytest.mark.parametrize("check_id", BUILTIN)
def test_builtin_check_is_registered_as_the_catalogue_describes_it(check_id):
    cls = load_registry().checks[check_id]
    assert (cls.title, cls.indicator, cls.severity) == catalogue()[check_id]


def test_govinspect_checks_lists_every_check_and_what_a_config_disables(tmp_path):
    result = run_cli("checks")
    assert result.returncode == 0, result.stderr
    listed = {line.split()[0]: line.split() for line in result.stdout.splitlines()}
    assert set(BUILTIN) <= set(listed) and all(row[-1] == "enabled" for row in listed.values())
    assert listed["link.broken"][1:] == ["链接不可用", "链接可用性", "major", "enabled"]
    config = write_config(tmp_path / "site.toml", "http://127.0.0.1:1/", '\n[checks]\ndisable = ["meta.tags"]\n')
    result = run_cli("checks", "-c", str(config))
    assert result.returncode == 0, result.stderr
    assert [line.split()[-1] for line in result.stdout.splitlines() if line.startswith("meta.tags ")] == ["disabled"]


PLUGIN = '''
from checks.api import Check, Finding


class Greeting(Check):
    """A check a bureau wrote for itself: greets the site on its homepage."""

    id = "acme.greeting"
    title = "问候"
    indicator = "示例指标"
    severity = "minor"
    options = {"greeting": "你好"}

    def run(self, crawl, options):
        home = crawl.homepage
        yield Finding(home["url"], f"{options['greeting']}，{crawl.site.name}", {"pages": len(list(crawl.pages()))},
                      [home["url"]])
'''


def plugin(folder: Path, entry_points: str, source: str = PLUGIN) -> dict:
    """A distribution installed nowhere but on PYTHONPATH: a module and a dist-info naming its entry points."""
    (folder / "acme_checks.py").write_text(source, encoding="utf-8")
    info = folder / "acme_checks-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-checks\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[govinspect.checks]\n{entry_points}\n", encoding="utf-8")
    return {"PYTHONPATH": str(folder)}


def test_a_third_party_check_shows_up_in_the_listing_and_in_the_report(site_server, tmp_path):
    env = plugin(tmp_path, "acme = acme_checks")
    result = run_cli("checks", env=env)
    assert result.returncode == 0, result.stderr
    assert "acme.greeting" in result.stdout and "问候" in result.stdout
    base = site_server({"/": "<html><head><title>青山县审计局</title></head><body><p>首页</p></body></html>"})
    config = write_config(tmp_path / "site.toml", base, '\n[checks.options."acme.greeting"]\ngreeting = "您好"\n')
    result = run_cli("audit", "-c", str(config), "--db", str(tmp_path / "g.db"), "--out", str(tmp_path / "out"),
                     env=env)
    assert result.returncode == 0, result.stderr
    report = (tmp_path / "out" / "report.json").read_text(encoding="utf-8")
    assert '"acme.greeting": 1' in report and '"message": "您好，青山县审计局"' in report and '"title": "问候"' in report


WRITER = PLUGIN + '''

class Writer(Check):
    id = "acme.writer"
    title = "越权写入"
    indicator = "示例指标"

    def run(self, crawl, options):
        crawl._store.db.execute("delete from pages")  # what a check must never do
        return []
'''


def test_a_check_cannot_write_and_one_that_fails_leaves_the_others_running(site_server, tmp_path):
    env = plugin(tmp_path, "acme = acme_checks", WRITER)
    base = site_server({"/": "<html><head><title>青山县审计局</title></head><body><p>首页</p></body></html>"})
    config = write_config(tmp_path / "site.toml", base)
    result = run_cli("audit", "-c", str(config), "--db", str(tmp_path / "g.db"), "--out", str(tmp_path / "out"),
                     env=env)
    assert result.returncode == 4, result.stderr  # a check that failed leaves the run degraded
    assert "check acme.writer failed: OperationalError: attempt to write a readonly database" in result.stderr
    assert "本次有 1 项检查未能完成（其原有问题状态不变）：越权写入（acme.writer：OperationalError" in result.stdout
    assert result.stdout.startswith("运行状态：部分未检查（本次有 1 项检查未能完成：acme.writer）")
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["run"]["health"] == "degraded" and report["run"]["checks_failed"] == [
        {"check": "acme.writer", "error": "OperationalError: attempt to write a readonly database"}]
    greeting = next(f for f in report["findings"] if f["check"] == "acme.greeting")
    assert greeting["evidence"]["pages"] == report["run"]["pages"] >= 1, "the pages are still there"


@pytest.mark.parametrize("entry_points, source, words", [
    ("acme = acme_checks", PLUGIN.replace('"acme.greeting"', '"link.broken"'), "duplicate check id 'link.broken'"),
    ("acme = acme_checks", "import no_such_module\n", "No module named 'no_such_module'"),
    ("acme = acme_checks:Greeting", PLUGIN.replace('"minor"', '"high"'), "severity 'high' is not one of"),
    ("acme = acme_checks:NOPE", PLUGIN, "NOPE"),
], ids=["duplicate-id", "import-error", "bad-severity", "missing-class"])
def test_a_broken_plugin_is_one_line_naming_its_entry_point(tmp_path, entry_points, source, words):
    result = run_cli("checks", env=plugin(tmp_path, entry_points, source))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "govinspect.checks: " in result.stderr and words in result.stderr


CONFIG_MISTAKES = [
    ('[checks]\ndisable = ["link.brokn"]\n', "checks.disable: unknown check id 'link.brokn'"),
    ('[checks.options."column.stale"]\nmax_days = 30\n', 'checks.options."column.stale".max_days: unknown option'),
    ('[checks.options."column.stale"]\ndynamic_days = "two weeks"\n',
     'checks.options."column.stale".dynamic_days: must be an integer'),
    ('[checks.options."homepage.stale"]\nmax_days = true\n',
     'checks.options."homepage.stale".max_days: must be an integer'),
    ('[checks.options."meta.tags"]\nsite_tags = "SiteName"\n', 'checks.options."meta.tags".site_tags: must be a list'),
    ('[checks.options."meta.tags"]\nsite_tags = [1]\n', 'checks.options."meta.tags".site_tags: must be a list'),
    ('[checks.options."no.such"]\nx = 1\n', """checks.options."no.such": unknown check id 'no.such'"""),
    ('[checks.options."column.stale"]\ndynamic_days = -14\n',
     'checks.options."column.stale".dynamic_days: must be greater than 0, not -14'),
    ('[checks.options."privacy.phone"]\nseveral = 0\n', 'checks.options."privacy.phone".several: must be greater than 0'),
    ('[checks.options."availability.homepage"]\nmax_failed_ratio = 0.0\n',
     'checks.options."availability.homepage".max_failed_ratio: must be greater than 0, not 0.0'),
    ('[checks.options."meta.footer"]\ntemplate_min_pages = 1\n',
     'checks.options."meta.footer".template_min_pages: must be at least 2, not 1'),
]


@pytest.mark.parametrize("command", ["checks", "check", "audit"])
@pytest.mark.parametrize("toml, message", CONFIG_MISTAKES, ids=[m.split(":")[1].strip() for _, m in CONFIG_MISTAKES])
def test_check_configuration_mistakes_are_one_line_and_exit_2(tmp_path, command, toml, message):
    config = write_config(tmp_path / "site.toml", "http://127.0.0.1:1/", "\n" + toml)
    db = tmp_path / "g.db"
    result = run_cli(command, "-c", str(config), *([] if command == "checks" else ["--db", str(db)]))
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2 and len(lines) == 1 and lines[0].startswith(f"error: {config}: {message}"), lines
    assert not db.exists(), "the configuration is checked before any crawl or database"


def test_disable_and_options_change_what_check_finds_without_crawling_again(site_server, tmp_path):
    day = (AS_OF - timedelta(days=20)).isoformat()
    base = site_server({
        "/": '<html><head><title>青山县审计局</title></head><body><a href="/a.html">县审计局召开会议</a>'
             '<a href="/gone.html">专题</a></body></html>',
        "/a.html": f"<html><head><title>县审计局召开会议</title></head><body><p>发布日期：{day}</p></body></html>",
    })
    report = audit_site(tmp_path, base)
    assert {("homepage.stale", "/"), ("link.broken", "/gone.html")} <= fired(report)
    requests = len(site_server.hits)
    config = write_config(tmp_path / "site.toml", base, textwrap.dedent('''
        [checks]
        disable = ["link.broken"]
        [checks.options."homepage.stale"]
        max_days = 30
        '''))
    result = run_cli("check", "-c", str(config), "--db", str(tmp_path / "govinspect.db"))
    assert result.returncode == 0, result.stderr
    assert "link.broken" not in result.stdout and "homepage.stale" not in result.stdout
    assert "首页不更新 未触发" in result.stdout and len(site_server.hits) == requests
    result = run_cli("report", "--db", str(tmp_path / "govinspect.db"), "--format", "json")
    checked = {f["check"] for f in json.loads(result.stdout)["findings"]}
    assert not checked & {"homepage.stale", "link.broken"}
