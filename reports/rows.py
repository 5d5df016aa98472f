"""The rectification list (整改清单) of a run as labelled rows and its summary: what every export but JSON shows."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from checks import summary
from checks.registry import load_registry
from checks.summary import all_clear
from checks.textutil import mask_numbers
from checks.workdays import add_working_days, covered_years, has_holiday_data
from govinspect.health import HEALTH_ZH
from govinspect.store import Store
from reports.clock import local, offset_label, site_zone
from reports.diff import Diff, compare
from reports.evidence import evidence_line, highlight_parts

HEADERS = ["序号", "问题类别", "检查项", "严重程度", "所属栏目", "页面标题", "问题页面/链接", "问题描述", "证据",
           "出现页面", "首次发现", "最近发现", "状态", "整改时限", "整改责任人", "备注"]
TIMED = ("首次发现", "最近发现")  # headed with the site's UTC offset: the cells hold the site's local time
SEVERITY_ZH = {"critical": "严重", "major": "重要", "minor": "一般", "info": "提示"}
STATUS_ZH = {"open": "待整改", "fixed": "已整改", "ignored": "已忽略"}
RUN_STATUS_ZH = {"completed": "已完成", "interrupted": "中途停止，结果不完整", "failed": "失败", "running": "进行中"}
STATE_ZH = {"triggered": "触发", "clear": "未触发", "not_judged": "未检测"}
UNFINISHED_ZH = {"failed": "检查出错，未能完成，原有问题状态不变", "skipped": "跳过", "partial": "部分完成"}
CHANGE_ZH = {"new": "新发现", "fixed": "已整改", "open": "仍未整改"}
SEVERITY_ORDER = list(SEVERITY_ZH)
STATUS_ORDER = list(STATUS_ZH)
DEFAULT_DEADLINE_DAYS = 10
MAX_PAGES_LISTED = 20  # link.blocked can name hundreds of pages: a cell stays readable, the JSON has them all


@dataclass(slots=True)  # 100,000 of them for a large site
class Row:
    id: str
    check_id: str
    category: str
    check_title: str
    severity: str
    column: str
    page_title: str
    url: str
    message: str
    evidence: str
    highlight: tuple[str, str, str, str]  # before, wrong text, after, right form (HTML marks the wrong text)
    pages: list[str]
    pages_total: int
    first_seen: datetime | None
    last_seen: datetime | None
    status: str
    deadline: date | None
    note: str
    change: str | None = None
    confidence: str = ""  # "suspected" for the typo detector's 疑似错别字: labelled so and listed after the certain
    screenshot: int | None = None  # id of the evidence screenshot that shows it, when the run took one

    def values(self, number: int) -> list:
        """The cells in HEADERS order; dates stay dates, the writer formats them."""
        more = f"\n等 {self.pages_total} 个页面" if self.pages_total > len(self.pages) else ""
        return [number, self.category, self.check_title, SEVERITY_ZH.get(self.severity, self.severity), self.column,
                self.page_title, self.url, self.message, self.evidence, "\n".join(self.pages) + more,
                self.first_seen, self.last_seen, STATUS_ZH.get(self.status, self.status), self.deadline, "",
                self.note]


@dataclass
class Rectification:
    site: dict
    run: dict
    day: date
    deadline_days: int
    deadline: date
    calendar_note: str
    include_info: bool
    rows: list[Row]
    veto: list[dict]
    counts: dict[str, dict[str, int]]  # open findings: category → severity → count
    info_left_out: int
    changes: Diff  # against the previous run (or `since`)
    since: int | None = None
    trend: list[dict] = field(default_factory=list)
    health: tuple[str, list[str]] = ("ok", [])
    unfinished: list[dict] = field(default_factory=list)  # check results that failed, were skipped or partial

    @property
    def health_text(self) -> str:
        """运行状态 as a person reads it: the verdict, then why."""
        health, reasons = self.health
        return HEALTH_ZH[health] + (f"：{'；'.join(reasons)}" if reasons else "")

    @property
    def checks_failed(self) -> list[dict]:
        return [r for r in self.unfinished if r["status"] == "failed"]

    @property
    def veto_text(self) -> str:
        """The veto cases in one sentence that never says "none applies" while one was not judged."""
        triggered = [c["indicator"] for c in self.veto if c["state"] == "triggered"]
        unjudged = [c["indicator"] for c in self.veto if c["state"] == "not_judged"]
        parts = []
        if triggered:
            parts.append("以下单项否决指标存在问题：" + "、".join(triggered) + "，须立即整改")
        if unjudged:
            parts.append("以下单项否决指标本次未能检测，不能据此认定未触发：" + "、".join(unjudged))
        if all_clear(self.veto) and self.veto:
            parts.append("未发现触发单项否决的情形")
        return "；".join(parts) + "。" if parts else "（无可判断的单项否决指标）"
    zone_label: str = ""  # UTC+08:00: the offset of the site's time zone, in which every time is shown
    screenshots: dict[int, dict] = field(default_factory=dict)  # id → {url, png, width, height}, those rows show

    @property
    def title(self) -> str:
        return f"{self.site['name']}网站自查整改清单"

    @property
    def headers(self) -> list[str]:
        """HEADERS, the time columns labelled with the site's UTC offset."""
        return [f"{name}（{self.zone_label}）" if name in TIMED and self.zone_label else name for name in HEADERS]


def _when(value: str | None, zone: ZoneInfo) -> datetime | None:
    moment = local(value, zone)
    return moment.replace(tzinfo=None) if moment else None  # spreadsheets know no zones: the headers name it


def run_day(run: dict) -> date:
    """The day a run's rules were applied: its `as_of`, else the day it started."""
    return date.fromisoformat(run["as_of"] or run["started_at"][:10])


def deadline_for(day: date, days: int) -> tuple[date, str]:
    """`days` working days after `day` by the Chinese holiday calendar, and how it was counted."""
    end = add_working_days(day, days)
    missing = sorted({y for y in range(day.year, end.year + 1) if not has_holiday_data(y)})
    first, last = covered_years()
    note = f"整改时限为检查之日起 {days} 个工作日（法定节假日及调休按 chinese-calendar {first}–{last} 年数据计算）"
    if missing:
        note += f"；{'、'.join(map(str, missing))}年暂无节假日数据，按周一至周五计算"
    return end, note


def mask(text: str | None) -> str:
    """A report never re-publishes a personal number, whatever a check or a page title let through."""
    return mask_numbers(text) if text else ""


def build(store: Store, run_id: int | None = None, *, status: str | None = None, include_info: bool = False,
          since: int | None = None, deadline_days: int = DEFAULT_DEADLINE_DAYS, trend: bool = False,
          screenshots: bool = False) -> Rectification:
    run = store.report_run(run_id)
    if run is None:
        raise LookupError(f"{store.path}: no run {run_id}" if run_id else f"{store.path}: no run yet")
    run_id, site_id = run["id"], run["site_id"]
    base = since if since is not None else store.previous_whole_run(run_id)
    changes = compare(store, base, run_id)
    if since is not None:
        wanted = {fid: kind for kind, ids in (("new", changes.new), ("fixed", changes.fixed),
                                              ("open", changes.still_open)) for fid in ids}
        findings = store.db.query("select * from findings where id in (select value from json_each(?))",
                                  [json.dumps(list(wanted))])
    else:
        wanted = {}
        findings = store.db.query("""select * from findings where site_id = ? and (fixed_run = ? or id in
                                     (select finding_id from finding_runs where run_id = ?))""",
                                  [site_id, run_id, run_id])
    # The veto cases first: they read every sighting of the run, which is freed before the rows are made.
    veto = summary.veto(store, run_id)
    registry = load_registry()
    zone = site_zone(run)
    started = {r["id"]: _when(r["started_at"], zone) for r in store.runs(site_id)}
    places = _places(store, [run_id] + ([since] if since else []))
    day = run_day(run)
    deadline, calendar_note = deadline_for(day, deadline_days)
    rows, counts, info_left_out = [], {}, 0
    for f in findings:
        cls = registry.checks.get(f["check_id"])
        category = cls.indicator if cls else f["check_id"].split(".")[0]
        if f["severity"] == "info" and not include_info:
            info_left_out += f["status"] == "open"
            continue
        if f["status"] == "open":
            by_severity = counts.setdefault(category, {})
            by_severity[f["severity"]] = by_severity.get(f["severity"], 0) + 1
        if status and f["status"] != status:
            continue
        rows.append(_row(f, cls, category, places, started, deadline, wanted.get(f["id"]), since))
    rows.sort(key=lambda r: (STATUS_ORDER.index(r.status) if r.status in STATUS_ORDER else 9,
                             SEVERITY_ORDER.index(r.severity) if r.severity in SEVERITY_ORDER else 9,
                             r.category, r.check_id, r.confidence == "suspected", r.url))
    report = Rectification(
        site={"name": run["site_name"], "base_url": run["base_url"]}, run=run, day=day, deadline_days=deadline_days,
        deadline=deadline, calendar_note=calendar_note, include_info=include_info, rows=rows,
        veto=veto, counts=dict(sorted(counts.items())), info_left_out=info_left_out,
        changes=changes, since=since, health=store.health(run_id),
        unfinished=[r for r in store.check_results(run_id) if r["status"] in ("failed", "skipped", "partial")],
        zone_label=offset_label(zone, local(run["started_at"], zone)))
    if trend:
        report.trend = open_trend(store, site_id, registry)
    if screenshots:
        report.screenshots = _attach_screenshots(store, run_id, rows)
    return report


def _attach_screenshots(store: Store, run_id: int, rows: list[Row]) -> dict[int, dict]:
    """Each row's screenshot: one that marks it, else one of its page or of a page it shows on."""
    from reports.screenshots import run_screenshots

    shots = run_screenshots(store, run_id)
    marking = {fid: shot["id"] for shot in shots for fid in json.loads(shot["marks"] or "[]")}
    of_url = {shot["url"]: shot["id"] for shot in shots}
    for row in rows:
        row.screenshot = marking.get(row.id) or next((of_url[u] for u in [row.url, *row.pages] if u in of_url), None)
    used = {row.screenshot for row in rows}
    return {shot["id"]: shot for shot in shots if shot["id"] in used}


def _row(f: dict, cls, category: str, places: dict, started: dict, deadline: date, change: str | None,
         since: int | None) -> Row:
    evidence = json.loads(f["evidence"] or "{}")
    pages = json.loads(f["pages"] or "[]")
    # The subject's own page when the crawl stored it, else the first page the problem shows on.
    title, column = next((places[u] for u in [f["subject"], *pages] if u in places), ("", ""))
    notes = []
    if change:
        notes.append(f"与第 {since} 次检查相比：{CHANGE_ZH[change]}")
    if f["triage_reason"]:
        notes.append(f"{STATUS_ZH.get(f['triage'], f['triage'] or '')}：{f['triage_reason']}")
    before, wrong, after, right = highlight_parts(evidence)
    check_title = cls.title if cls else (f["title"] or "")
    if evidence.get("confidence") == "suspected":  # 疑似错别字: a column of its own value, for the sheet's filter
        check_title = "疑似" + check_title
    return Row(
        id=f["id"], check_id=f["check_id"], category=category, check_title=check_title,
        severity=f["severity"], column=mask(f["column_name"] or column), page_title=mask(title), url=f["subject"],
        message=mask(f["message"]), evidence=mask(evidence_line(evidence)),
        highlight=(mask(before), mask(wrong), mask(after), mask(right)),
        pages=pages[:MAX_PAGES_LISTED], pages_total=len(pages), first_seen=started.get(f["first_seen_run"]),
        last_seen=started.get(f["last_seen_run"]), status=f["status"],
        deadline=deadline if f["status"] == "open" else None, note=mask("；".join(notes)), change=change,
        confidence=evidence.get("confidence", ""))


def _places(store: Store, run_ids: list[int]) -> dict[str, tuple[str, str]]:
    """URL → (page title, column name) of the pages these runs stored; the first run given wins."""
    out: dict[str, tuple[str, str]] = {}
    for run_id in run_ids:
        for url, title, column in store.db.execute(
                "select pages.url, pages.title, columns.name from pages left join columns on columns.id = "
                "pages.column_id where pages.run_id = ?", [run_id]):
            out.setdefault(url, (title or "", column or ""))
    return out


def open_trend(store: Store, site_id: int, registry=None, limit: int = 30) -> list[dict]:
    """Open findings (not info, not false positives) by category at each of the site's last `limit` runs."""
    registry = registry or load_registry()
    runs = store.db.execute("select id, started_at, as_of from runs where site_id = ? order by id desc limit ?",
                            [site_id, limit]).fetchall()[::-1]
    if not runs:
        return []
    counts = store.db.execute("""
        select finding_runs.run_id, findings.check_id, count(*) from finding_runs
        join findings on findings.id = finding_runs.finding_id
        where findings.site_id = ? and findings.status != 'ignored' and finding_runs.severity != 'info'
          and finding_runs.run_id >= ? group by 1, 2""", [site_id, runs[0][0]]).fetchall()
    out = {run_id: {"run": run_id, "day": (as_of or started or "")[:10], "counts": {}}
           for run_id, started, as_of in runs}
    for run_id, check_id, n in counts:
        cls = registry.checks.get(check_id)
        category = cls.indicator if cls else check_id.split(".")[0]
        if run_id in out:
            out[run_id]["counts"][category] = out[run_id]["counts"].get(category, 0) + n
    return list(out.values())
