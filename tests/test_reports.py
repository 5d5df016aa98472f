"""The exports a bureau acts on, read back with the libraries staff's tools use: xlsx, CSV, docx, JSON, the diff."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from conftest import AS_OF, REPO, Route, audit_site, run_cli
from textsite import article, listing
from reports.rows import HEADERS

SHOWN_HEADERS = [f"{h}（UTC+08:00）" if h in ("首次发现", "最近发现") else h for h in HEADERS]

NOT_FOUND = "<html><head><title>404 Not Found</title></head><body>Not Found</body></html>"
FORMULA = '=HYPERLINK("http://evil")'
SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(2)>'
ID = "11010519491231002X"
MOBILE = "13900001001"


def hostile_site() -> dict:
    """Articles whose titles attack spreadsheets and browsers, one with personal numbers; broken and blocked links."""
    day = (AS_OF - timedelta(days=3)).isoformat()
    # The HTML source escapes them; the title the crawler reads (and a report shows) is the raw text.
    titles = {"evil": "=HYPERLINK(&quot;http://evil&quot;)", "xss": "&lt;script&gt;alert(1)&lt;/script&gt;",
              "attr": "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;", "people": f"名单 {ID} 联系 {MOBILE}"}
    body = "县审计局召开审计结果公告发布会，已示公开审计结果，接受社会监督。"
    routes = {f"/news/{name}.html": Route(article(title, body, day)) for name, title in titles.items()}
    routes["/news/list.html"] = Route(listing([(f"/news/{name}.html", f"县审计局关于公开审计结果的公告（第{i}号）", day)
                                               for i, name in enumerate(titles, start=1)]))
    home = ('<html><head><meta charset="utf-8"><title>青山县审计局</title></head><body><ul>'
            '<li><a href="/news/list.html">工作动态</a></li><li><a href="/gone.html">专题</a></li>'
            '<li><a href="/busy.html">上级网站</a></li></ul></body></html>')
    return {"/": Route(home), **routes, "/gone.html": Route(NOT_FOUND, 404), "/gone2.html": Route(NOT_FOUND, 404),
            "/busy.html": Route("<html><body>Too Many Requests</body></html>", 429)}


def audit(folder: Path, base: str) -> dict:
    return audit_site(folder, base, f'\n[[columns]]\nname = "工作动态"\nurl = "{base}news/list.html"\n'
                                    'category = "dynamic"\n')


@pytest.fixture(scope="module")
def audited(module_site_server, tmp_path_factory):
    """One `govinspect audit` of the hostile site: its folder, JSON report and the reports folder."""
    folder = tmp_path_factory.mktemp("hostile")
    base = module_site_server(hostile_site())
    report = audit(folder, base)
    return {"folder": folder, "report": report, "out": folder / "reports", "base": base, "db": folder / "govinspect.db"}


def listed(report: dict) -> list[dict]:
    """The findings the rectification list holds by default: all but info."""
    return [f for f in report["findings"] if f["severity"] != "info"]


def sheet_rows(path: Path, name: str = "整改清单") -> list[dict]:
    sheet = load_workbook(path)[name]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def test_audit_writes_every_format(audited):
    names = sorted(p.name for p in audited["out"].iterdir())
    assert names == ["rectification.csv", "rectification.xlsx", "report.html", "report.json", "self-inspection.docx"]


def test_xlsx_headers_rows_links_and_sheet_layout(audited):
    book = load_workbook(audited["out"] / "rectification.xlsx")
    assert book.sheetnames == ["概况", "整改清单"]
    sheet = book["整改清单"]
    assert [c.value for c in sheet[1]] == SHOWN_HEADERS
    assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref == f"A1:P{sheet.max_row}"
    assert sheet["H2"].alignment.wrap_text and sheet.column_dimensions["H"].width >= 40
    expected = listed(audited["report"])
    rows = sheet_rows(audited["out"] / "rectification.xlsx")
    assert len(rows) == len(expected) and [r["序号"] for r in rows] == list(range(1, len(rows) + 1))
    assert {r["问题页面/链接"] for r in rows} == {f["url"] for f in expected}
    assert all(r["状态"] == "待整改" and r["整改责任人"] is None for r in rows)
    for cell in sheet["G"][1:]:  # 问题页面/链接: every URL clickable
        assert cell.hyperlink is not None and cell.hyperlink.target == cell.value
    broken = next(r for r in rows if r["检查项"] == "链接不可用")
    assert broken["问题类别"] == "链接可用性" and broken["严重程度"] == "严重"  # linked from the homepage
    assert broken["出现页面"] == audited["base"] and "HTTP 状态：404" in broken["证据"]
    typo = next(r for r in rows if r["检查项"] == "错别字" and r["问题页面/链接"].endswith("/evil.html"))
    assert typo["证据"].startswith("「已示公开」 应为「以示公开」")
    status = sheet.data_validations.dataValidation[0]
    assert status.formula1 == '"待整改,已整改,已忽略"' and str(status.sqref).startswith("M2:M")


def test_xlsx_neutralises_formulas_and_keeps_markup_as_text(audited):
    sheet = load_workbook(audited["out"] / "rectification.xlsx")["整改清单"]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "no cell may be a formula"
    titles = {c.value for c in sheet["F"][1:]}
    assert "'" + FORMULA in titles and SCRIPT in titles and ATTRIBUTE in titles
    assert not any(isinstance(v, str) and v.startswith(("=", "+", "-", "@")) for v in (c.value for c in cells))


def test_xlsx_summary_sheet(audited):
    sheet = load_workbook(audited["out"] / "rectification.xlsx")["概况"]
    rows = [[v for v in row if v is not None] for row in sheet.iter_rows(values_only=True)]
    first = {row[0]: row[1:] for row in rows if row}
    assert rows[0] == ["青山县审计局网站自查整改清单"] and first["检查日期"][0].date() == date(2026, 11, 20)
    veto = audited["report"]["summary"]["veto"]
    states = {"triggered": "触发", "clear": "未触发", "not_judged": "未检测"}
    for case in veto:
        assert first[case["indicator"]][:3] == [states[case["state"]], case["count"], case["threshold"]]
    # Never probed: 站点无法访问 is not judged, so the sheet may not say that no veto case applies.
    assert next(c for c in veto if c["indicator"] == "站点无法访问")["state"] == "not_judged"
    assert not any("未发现触发单项否决的情形" in str(row[0]) for row in rows if row)
    assert first["运行状态"] == ["正常"]
    assert first["链接可用性"][-1] == sum(1 for f in listed(audited["report"]) if f["check"].startswith("link."))
    assert first["合计"][-1] == len(listed(audited["report"]))
    assert any("提示" in row[0] and "--include-info" in row[0] for row in rows if row)
    assert "与上次检查相比" in first and first["与上次检查相比"] == ["数量"]
    assert first["整改时限"][0].date() == date(2026, 12, 4)  # 10 working days after Friday 20 November


def test_info_findings_only_with_include_info(audited, tmp_path):
    blocked = [f for f in audited["report"]["findings"] if f["check"] == "link.blocked"]
    assert blocked, "the 429 link is a link.blocked (info) finding"
    out = tmp_path / "all.xlsx"
    result = run_cli("report", "--db", str(audited["db"]), "--format", "xlsx", "--include-info", "--out", str(out))
    assert result.returncode == 0, result.stderr
    rows = sheet_rows(out)
    assert len(rows) == len(audited["report"]["findings"])
    assert {r["严重程度"] for r in rows if r["检查项"] == "链接无法核验"} == {"提示"}


def test_times_are_the_sites_local_time_with_the_offset_named(site_server, tmp_path):
    """A server in New York audits a site in China: 首次/最近发现 in Beijing time, and the headings say so."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    base = site_server({"/": Route('<html><head><title>青山县审计局</title></head><body><a href="/gone.html">专题</a>'
                                   '</body></html>'), "/gone.html": Route(NOT_FOUND, 404)})
    config = tmp_path / "site.toml"
    config.write_text(f'[site]\nname = "青山县审计局"\nbase_url = "{base}"\n[crawl]\ndelay_seconds = 0\noffline = true\n',
                      encoding="utf-8")
    result = run_cli("audit", "-c", str(config), "--db", str(tmp_path / "g.db"), "--out", str(tmp_path / "out"),
                     env={"TZ": "America/New_York"})
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    started = report["run"]["started_at"]
    assert started.endswith("+08:00") and report["findings"][0]["first_seen"] == started
    beijing = datetime.fromisoformat(started).replace(tzinfo=None)
    with closing(sqlite3.connect(tmp_path / "g.db")) as db:
        stored = db.execute("select started_at from runs").fetchone()[0]
    assert stored.endswith(("-05:00", "-04:00"))  # the server's own zone, as the store keeps it
    assert datetime.fromisoformat(stored).astimezone(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None) == beijing
    rows = sheet_rows(tmp_path / "out" / "rectification.xlsx")
    assert rows and all(r["首次发现（UTC+08:00）"] == r["最近发现（UTC+08:00）"] == beijing for r in rows)
    csv_rows = list(csv.reader(io.StringIO((tmp_path / "out" / "rectification.csv").read_text("utf-8-sig"))))
    assert csv_rows[2][SHOWN_HEADERS.index("首次发现（UTC+08:00）")] == beijing.strftime("%Y-%m-%d %H:%M")
    assert "首次 / 最近发现（UTC+08:00）" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")


def test_csv_same_columns_with_bom(audited):
    raw = (audited["out"] / "rectification.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    title, *rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert "运行状态：正常" in title[0] and "站点无法访问" in title[0]
    assert rows[0] == SHOWN_HEADERS and len(rows) - 1 == len(listed(audited["report"]))
    titles = {row[HEADERS.index("页面标题")] for row in rows[1:]}
    assert "'" + FORMULA in titles and SCRIPT in titles
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert {row[HEADERS.index("整改时限")] for row in rows[1:]} == {"2026-12-04"}


def test_personal_numbers_masked_in_every_export(audited):
    for path in audited["out"].iterdir():
        if path.suffix == ".xlsx":
            text = "".join(str(c.value) for s in load_workbook(path) for row in s.iter_rows() for c in row)
        elif path.suffix == ".docx":
            doc = Document(str(path))
            text = "".join(p.text for p in doc.paragraphs) + "".join(
                c.text for t in doc.tables for row in t.rows for c in row.cells)
        else:
            text = path.read_text(encoding="utf-8-sig")
        assert ID not in text and MOBILE not in text, path.name
    titles = {r["页面标题"] for r in sheet_rows(audited["out"] / "rectification.xlsx")}
    assert "名单 110105********002X 联系 139****1001" in titles


def test_docx_self_inspection_report(audited):
    doc = Document(str(audited["out"] / "self-inspection.docx"))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "青山县审计局网站自查情况报告（草稿）"
    assert [h for h in headings if h[1] == "、"] == ["一、基本情况", "二、单项否决指标情况", "三、发现的主要问题",
                                                    "四、整改计划", "五、下一步工作"]
    assert "（一）内容表述（4 个）" in headings and any(h.startswith("（") and "链接可用性" in h for h in headings)
    veto, plan = doc.tables[0], doc.tables[-1]
    assert [c.text for c in veto.rows[0].cells] == ["指标", "结果", "数量", "阈值", "说明"]
    assert [c.text for c in plan.rows[0].cells] == ["序号", "问题类别", "检查项", "问题数量", "整改措施", "责任人",
                                                   "整改时限"]
    checks = {(f["check"]) for f in listed(audited["report"])}
    assert len(plan.rows) - 1 == len(checks)
    assert {row.cells[6].text for row in plan.rows[1:]} == {"2026-12-04"}
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "已示公开" in body and "【请填写" in body


def test_json_export_is_unchanged_in_shape(audited, tmp_path):
    result = run_cli("report", "--db", str(audited["db"]), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == audited["report"]


def test_since_lists_new_fixed_and_still_open(site_server, tmp_path):
    routes = hostile_site()
    base = site_server(routes)
    audit(tmp_path, base)
    # Between the runs the link to the missing page is removed and a new broken link appears.
    routes["/"].body = routes["/"].body.replace("/gone.html", "/gone2.html")
    audit(tmp_path, base)
    db = str(tmp_path / "govinspect.db")

    result = run_cli("report", "--db", db, "--since", "1")
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith("第 2 次检查与第 1 次相比：新发现 1，已整改 1，仍未整改 ")
    assert "gone2.html" in result.stdout and "新发现（1）" in result.stdout and "已整改（1）" in result.stdout

    result = run_cli("report", "--db", db, "--since", "1", "--format", "json")
    diff = json.loads(result.stdout)
    assert diff["schema"] == "govinspect.diff/1" and diff["since"] == 1 and diff["run"]["id"] == 2
    assert [f["url"].rsplit("/", 1)[1] for f in diff["new"]] == ["gone2.html"]
    assert [(f["url"].rsplit("/", 1)[1], f["status"]) for f in diff["fixed"]] == [("gone.html", "fixed")]
    assert diff["still_open"] and all(f["status"] == "open" for f in diff["still_open"])

    out = tmp_path / "diff.xlsx"
    assert run_cli("report", "--db", db, "--since", "1", "--format", "xlsx", "--out", str(out)).returncode == 0
    notes = {r["问题页面/链接"].rsplit("/", 1)[1]: (r["状态"], r["备注"]) for r in sheet_rows(out)
             if r["检查项"] == "链接不可用"}
    assert notes == {"gone.html": ("已整改", "与第 1 次检查相比：已整改"),
                     "gone2.html": ("待整改", "与第 1 次检查相比：新发现")}
    book = load_workbook(out)["概况"]
    summary = {row[0]: row[1] for row in book.iter_rows(values_only=True) if row[0]}
    assert summary["新发现"] == 1 and summary["已整改"] == 1 and "与第 1 次检查相比" in summary

    for args, words in ((["--since", "2"], "not earlier than run 2"), (["--since", "9"], "has no run 9"), ([], "--format")):
        result = run_cli("report", "--db", db, *args)
        assert result.returncode == 2 and words in result.stderr and result.stderr.count("\n") == 1, result.stderr


def stored_run(db: Path, as_of: str) -> None:
    """A run and one finding written through the store and findings API, as a check pass would."""
    from govinspect.findings import Sighting, record_pass
    from govinspect.store import Store

    with Store(db) as store:
        run_id = store.start_run(name="青山县审计局", base_url="http://127.0.0.1:9/", mode="full", as_of=as_of)
        store.finish_run(run_id, "completed")
        record_pass(store, run_id, [Sighting("link.broken", "链接不可用", "http://127.0.0.1:9/gone.html", "major",
                                             "页面链接返回 HTTP 404", {"http_status": 404, "kind": "page"},
                                             ["http://127.0.0.1:9/"])], ["link.broken"], as_of=as_of)


@pytest.mark.parametrize("days, deadline", [(10, "2026-10-16"), (2, "2026-09-30"), (3, "2026-10-08")])
def test_the_deadline_skips_the_national_day_holiday(tmp_path, days, deadline):
    # Monday 28 September 2026: 1–7 October are off and Saturday 10 October is a make-up working day.
    db = tmp_path / "govinspect.db"
    stored_run(db, "2026-09-28")
    out = tmp_path / "list.csv"
    result = run_cli("report", "--db", str(db), "--format", "csv", "--deadline-days", str(days), "--out", str(out))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig").split("\n", 1)[1], newline="")))
    assert [row["整改时限"] for row in rows] == [deadline]


def test_a_third_party_check_shows_in_the_rectification_list(site_server, tmp_path):
    from test_checks_framework import plugin

    env = plugin(tmp_path, "acme = acme_checks")
    base = site_server({"/": "<html><head><title>青山县审计局</title></head><body><p>首页</p></body></html>"})
    config = tmp_path / "site.toml"
    config.write_text(f'[site]\nname = "青山县审计局"\nbase_url = "{base}"\n[crawl]\ndelay_seconds = 0\n'
                      "offline = true\n", encoding="utf-8")
    result = run_cli("audit", "-c", str(config), "--db", str(tmp_path / "g.db"), "--out", str(tmp_path / "out"),
                     env=env)
    assert result.returncode == 0, result.stderr
    row = next(r for r in sheet_rows(tmp_path / "out" / "rectification.xlsx") if r["检查项"] == "问候")
    assert row["问题类别"] == "示例指标" and row["严重程度"] == "一般"
    assert "示例指标" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")


def test_findings_table_and_progress_lines(audited, tmp_path):
    result = run_cli("findings", "--db", str(audited["db"]), "--check", "link.broken")
    assert result.returncode == 0, result.stderr
    assert "严重程度" in result.stdout and "链接不可用" in result.stdout and "link.broken" in result.stdout
    assert "gone.html" in result.stdout and result.stdout.strip().endswith("1 条：严重 1")
    assert "\x1b[" not in result.stdout, "no colour codes when piped"
    # Not a terminal: one plain log line per export.
    result = run_cli("report", "--db", str(audited["db"]), "--format", "csv", "--out", str(tmp_path / "a.csv"))
    assert result.returncode == 0 and f"csv a.csv: {len(listed(audited['report']))} findings in" in result.stderr


def test_a_long_stage_prints_plain_lines_while_it_runs(monkeypatch, caplog):
    """Off a terminal, a line every few seconds even while one unit of work takes long."""
    import logging
    import re
    import time

    from govinspect.progress import progress

    monkeypatch.setenv("GOVINSPECT_PROGRESS_SECONDS", "0.05")
    with caplog.at_level(logging.INFO, logger="govinspect.progress"), progress("checks", 3, unit="checks") as advance:
        advance(1)
        time.sleep(0.5)  # one slow check
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) >= 3 and all(re.fullmatch(r"checks: 1/3 checks, \d+ s", line) for line in lines[:-1])
    assert re.fullmatch(r"checks: 1 checks in 0\.\d s", lines[-1])


def test_a_crawl_off_a_terminal_says_how_far_it_got(site_server, tmp_path):
    """Six slow pages, each linked from the one before: a crawl of three seconds prints lines as it goes."""
    import re

    def chained(i: int) -> Route:
        return Route(f'<html><head><title>第{i}页</title></head><body><a href="/p{i + 1}.html">下一页</a></body></html>',
                     delay=0.5)

    base = site_server({"/": chained(-1), **{f"/p{i}.html": chained(i) for i in range(6)}})
    config = tmp_path / "site.toml"
    config.write_text(f'[site]\nname = "青山县审计局"\nbase_url = "{base}"\n[crawl]\ndelay_seconds = 0\n'
                      "offline = true\n", encoding="utf-8")
    result = run_cli("crawl", "-c", str(config), "--db", str(tmp_path / "g.db"),
                     env={"GOVINSPECT_PROGRESS_SECONDS": "0.5"})
    assert result.returncode == 0, result.stderr
    counts = [int(m[1]) for m in re.finditer(r"^crawl: (\d+) pages stored, \d+ links verified, \d+ requests, \d+ s$",
                                             result.stderr, re.M)]
    assert len(counts) >= 3 and counts == sorted(counts) and counts[0] < counts[-1], result.stderr
    assert result.stderr.index("crawl: ") < result.stderr.index("crawl completed: ")


def test_progress_on_a_terminal(audited, tmp_path):
    """stderr on a pseudo-terminal: rich draws the bar instead of the log line."""
    leader, follower = pty.openpty()
    args = [sys.executable, "-m", "govinspect", "report", "--db", str(audited["db"]), "--format", "xlsx",
            "--out", str(tmp_path / "a.xlsx")]
    with subprocess.Popen(args, cwd=REPO, stdout=subprocess.PIPE, stderr=follower,
                          env={**os.environ, "TERM": "xterm", "COLUMNS": "100"}) as child:
        os.close(follower)
        stdout, _ = child.communicate(timeout=120)
        drawn = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            drawn += chunk
    os.close(leader)
    assert child.returncode == 0 and stdout.decode().strip().endswith("a.xlsx")
    text = drawn.decode("utf-8", "replace")
    assert "xlsx a.xlsx" in text and "findings in" not in text and "━" in text


def test_html_export_from_a_folder_that_holds_a_reports_folder(audited, tmp_path):
    """`python -m govinspect` puts the working folder first on sys.path: a reports/ output folder there must not
    stand in for the package (the scheduler runs audits so, with --out reports/)."""
    (tmp_path / "reports").mkdir()
    result = run_cli("report", "--db", str(audited["db"]), "--format", "html", "--out", "reports/r.html",
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "<title>青山县审计局网站自查整改清单" in (tmp_path / "reports" / "r.html").read_text(encoding="utf-8")
