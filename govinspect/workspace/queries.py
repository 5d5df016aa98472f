"""What the workspace's pages read from the store: one SQL query per list, filtered and paged in SQLite."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache

from checks import summary
from checks.registry import load_registry
from govinspect.store import Store
from reports.rows import SEVERITY_ORDER, mask, open_trend

PAGE_SIZE = 50
SORTS = {  # name → ORDER BY; the id last so that pages never overlap
    "severity": "case f.severity when 'critical' then 0 when 'major' then 1 when 'minor' then 2 else 3 end, "
                "f.last_seen_run desc, f.id",
    "recent": "f.last_seen_run desc, f.id",
    "oldest": "f.first_seen_run, f.id",
    "check": "f.check_id, f.subject, f.id",
    "url": "f.subject, f.id",
}
VETO_STATE_ZH = {"triggered": "触发", "clear": "未触发", "not_judged": "未检测"}
HEALTH_ZH = {"ok": "正常", "degraded": "部分完成", "failed": "失败", "interrupted": "中途停止"}


@cache
def registry():
    """The checks, read once per server: a plug-in installed later needs a restart, as for the audits."""
    return load_registry()


def categories() -> dict[str, list[str]]:
    """Indicator (问题类别) → the check ids under it, as every report groups them."""
    out: dict[str, list[str]] = {}
    for cls in registry():
        out.setdefault(cls.indicator, []).append(cls.id)
    return dict(sorted(out.items()))


def category_of(check_id: str) -> str:
    cls = registry().checks.get(check_id)
    return cls.indicator if cls else check_id.split(".")[0]


def sites(store: Store) -> list[dict]:
    return list(store.db.query("select id, name, base_url from sites order by id"))


def current_site(store: Store, wanted: int | None) -> dict | None:
    """The site asked for, else the one of the latest run."""
    if wanted:
        row = next(store.db.query("select id, name, base_url from sites where id = ?", [wanted]), None)
        if row:
            return row
    return next(store.db.query("select sites.id, sites.name, sites.base_url from runs join sites on "
                               "sites.id = runs.site_id order by runs.id desc limit 1"), None)


def latest_run(store: Store, site_id: int) -> dict | None:
    return next(store.db.query("select * from runs where site_id = ? order by id desc limit 1", [site_id]), None)


def health(run: dict | None) -> dict:
    """A run's health and its reasons; runs stored before health was recorded read from their status."""
    if not run:
        return {"state": None, "label": "尚无检查", "reasons": []}
    state = run.get("health") or {"completed": "ok", "interrupted": "interrupted", "failed": "failed"}.get(
        run.get("status"), run.get("status"))
    reasons = run.get("health_reasons") or []
    if isinstance(reasons, str):
        try:
            reasons = json.loads(reasons)
        except ValueError:
            reasons = [reasons]
    if not reasons and run.get("error"):
        reasons = [run["error"]]
    return {"state": state, "label": HEALTH_ZH.get(state, state or ""), "reasons": [str(r) for r in reasons]}


def veto_cases(store: Store, run_id: int) -> list[dict]:
    """The veto cases with their state (triggered / clear / not judged): from the store's own when it has one."""
    cases = []
    for case in summary.veto(store, run_id):
        state = case.get("state") or ("triggered" if case.get("triggered") else "clear")
        cases.append({**case, "state": state, "state_zh": VETO_STATE_ZH.get(state, state),
                      "reason": case.get("reason") or case.get("note") or ""})
    return cases


def open_counts(store: Store, site_id: int) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """Open findings by category and severity, and the totals by severity."""
    by_category: dict[str, dict[str, int]] = {}
    totals = dict.fromkeys(SEVERITY_ORDER, 0)
    for check_id, severity, n in store.db.execute(
            "select check_id, severity, count(*) from findings where site_id = ? and status = 'open' group by 1, 2",
            [site_id]):
        cell = by_category.setdefault(category_of(check_id), {})
        cell[severity] = cell.get(severity, 0) + n
        totals[severity] = totals.get(severity, 0) + n
    return dict(sorted(by_category.items())), totals


def trend(store: Store, site_id: int) -> list[dict]:
    return open_trend(store, site_id, registry())


@dataclass
class Filters:
    category: str = ""
    severity: str = ""
    status: str = "open"
    column: str = ""
    check: str = ""
    confidence: str = ""   # "suspected": only 疑似 findings
    q: str = ""
    sort: str = "severity"
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "Filters":
        page = args.get("page", "1")
        sort = args.get("sort", "severity")
        return cls(**{name: (args.get(name) or "").strip()[:200] for name in
                      ("category", "severity", "column", "check", "confidence", "q")},
                   status=args.get("status", "open").strip(), sort=sort if sort in SORTS else "severity",
                   page=max(1, int(page)) if page.isdigit() else 1)

    def query(self, **changes) -> dict:
        """These filters as URL parameters, with `changes`; empty ones left out."""
        values = {**self.__dict__, **changes}
        return {k: v for k, v in values.items() if v not in ("", None) and not (k == "page" and v == 1)}


@dataclass
class Page:
    rows: list[dict]
    total: int
    filters: Filters
    pages: int = field(init=False)

    def __post_init__(self):
        self.pages = max(1, -(-self.total // PAGE_SIZE))


def _where(site_id: int, f: Filters) -> tuple[str, list]:
    clauses, params = ["f.site_id = ?"], [site_id]
    if f.category:
        ids = categories().get(f.category, [])
        clauses.append(f"f.check_id in ({', '.join('?' for _ in ids) or 'null'})")
        params += ids
    for name, column in (("severity", "f.severity"), ("status", "f.status"), ("column", "f.column_name"),
                         ("check", "f.check_id")):
        value = getattr(f, name)
        if value and value != "all":
            clauses.append(f"{column} = ?")
            params.append(value)
    if f.confidence == "suspected":
        clauses.append("json_extract(f.evidence, '$.confidence') = 'suspected'")
    if f.q:
        like = "%" + f.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        clauses.append("(f.title like :q escape '\\' or f.message like :q escape '\\' or f.subject like :q "
                       "escape '\\' or f.column_name like :q escape '\\' or f.evidence like :q escape '\\')"
                       .replace(":q", "?"))
        params += [like] * 5
    return " and ".join(clauses), params


def findings_page(store: Store, site_id: int, f: Filters) -> Page:
    """One page of a site's findings, filtered, sorted and counted by SQLite (LIMIT/OFFSET over indexes)."""
    where, params = _where(site_id, f)
    total = store.db.execute(f"select count(*) from findings f where {where}", params).fetchone()[0]
    pages = max(1, -(-total // PAGE_SIZE))
    f.page = min(f.page, pages)
    # The page's ids first, over the findings table alone: the rows skipped by OFFSET are never joined.
    ids = [r[0] for r in store.db.execute(f"select f.id from findings f where {where} order by {SORTS[f.sort]} "
                                          "limit ? offset ?", [*params, PAGE_SIZE, (f.page - 1) * PAGE_SIZE])]
    run = latest_run(store, site_id)
    found = {row["id"]: row for row in store.db.query("""
        select f.id, f.check_id, f.subject, f.title, f.severity, f.status, f.message, f.column_name, f.evidence,
               f.first_seen_run, f.last_seen_run, f.triage, p.title as page_title,
               (select assignee from finding_events e where e.finding_id = f.id and e.action = 'assign'
                order by e.id desc limit 1) as assignee
        from findings f left join pages p on p.run_id = ? and p.url = f.subject
        where f.id in (select value from json_each(?))""", [run["id"] if run else 0, json.dumps(ids)])}
    rows = [found[i] for i in ids]
    for row in rows:
        evidence = json.loads(row.pop("evidence") or "{}")
        row["suspected"] = evidence.get("confidence") == "suspected"
        row["category"] = category_of(row["check_id"])
        for key in ("message", "page_title", "column_name", "title"):
            row[key] = mask(row[key])
    return Page(rows, total, f)


def choices(store: Store, site_id: int) -> dict:
    """The values each filter offers: categories and checks of the registry, the columns this site has."""
    present = [r[0] for r in store.db.execute("select distinct check_id from findings where site_id = ? order by 1",
                                              [site_id])]
    columns = [r[0] for r in store.db.execute(
        "select distinct column_name from findings where site_id = ? and column_name is not null order by 1",
        [site_id])]
    return {"categories": sorted({category_of(c) for c in present}), "checks": present,
            "columns": [mask(c) for c in columns]}
