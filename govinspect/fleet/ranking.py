"""The fleet's sites side by side, from the fleet database: each one's last run, vetoes and findings, ranked.

Reports never compute findings: this reads what the ingested runs stored, with the single-site summaries
(checks.summary) and the run-to-run comparison (reports.diff).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from checks import summary
from checks.registry import load_registry
from govinspect.fleet.config import FleetConfig
from govinspect.store import Store
from reports.diff import compare

SCHEMA = "govinspect.fleet/1"
HEALTH_ORDER = ["ok", "degraded", "interrupted", "failed"]
HEALTH_ZH = {"ok": "正常", "degraded": "不完整", "interrupted": "中途停止", "failed": "失败", None: "尚未检查"}
VETO_STATE_ZH = {"triggered": "触发", "clear": "未触发", "not_judged": "未检测"}
# Points deducted per open finding: the ranking's order among sites of the same health and veto state.
WEIGHTS = {"critical": 10, "major": 3, "minor": 1, "info": 0}


@dataclass
class SiteRank:
    key: str
    group: str
    name: str
    base_url: str
    run: dict | None = None
    by_severity: dict[str, int] = field(default_factory=dict)
    by_check: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)
    veto: list[dict] = field(default_factory=list)
    open_findings: int = 0
    new: int = 0
    fixed: int = 0
    previous_run: int | None = None
    rank: int = 0

    @property
    def health(self) -> str | None:
        return self.run["health"] if self.run else None

    @property
    def vetoes(self) -> list[str]:
        return [c["indicator"] for c in self.veto if veto_state(c) == "triggered"]

    @property
    def score(self) -> int:
        return sum(WEIGHTS.get(s, 0) * n for s, n in self.by_severity.items())

    def order(self) -> tuple:
        health = HEALTH_ORDER.index(self.health) if self.health in HEALTH_ORDER else len(HEALTH_ORDER)
        return (health, len(self.vetoes), self.score, self.open_findings, self.name)


def veto_state(case: dict) -> str:
    """triggered / clear / not_judged: the three states of run health (issue 11), read from older runs too."""
    return case.get("state") or ("triggered" if case.get("triggered") else "clear")


def rank_sites(store: Store, config: FleetConfig) -> list[SiteRank]:
    """Every site of fleet.toml with its latest ingested run, best first (rank 1)."""
    shards = {row["site_key"]: row for row in store.db.query("select * from fleet_shards")} \
        if store.db["fleet_shards"].exists() else {}
    registry = load_registry()
    sites = []
    for entry in config.sites:
        shard = shards.get(entry.key)
        site = store.db.execute("select name, base_url from sites where id = ?",
                                [shard["site_id"]]).fetchone() if shard else None
        item = SiteRank(entry.key, entry.group, site[0] if site else entry.key, site[1] if site else "")
        run = store.db.execute("select id from runs where site_id = ? order by id desc limit 1",
                               [shard["site_id"]]).fetchone() if shard else None
        if run:
            _fill(store, item, run[0], registry)
        sites.append(item)
    sites.sort(key=SiteRank.order)
    for number, item in enumerate(sites, start=1):
        item.rank = number
    return sites


def _fill(store: Store, item: SiteRank, run_id: int, registry) -> None:
    run = store.run(run_id)
    health, reasons = store.health(run_id)
    item.run = {"id": run_id, "mode": run["mode"], "status": run["status"], "health": health,
                "health_reasons": reasons, "started_at": run["started_at"], "finished_at": run["finished_at"],
                "as_of": run["as_of"], "pages": run["pages"]}
    seen = [f for f in summary.seen(store, run_id) if f["status"] == "open"]
    for f in seen:
        item.by_severity[f["seen_severity"]] = item.by_severity.get(f["seen_severity"], 0) + 1
        item.by_check[f["check_id"]] = item.by_check.get(f["check_id"], 0) + 1
        cls = registry.checks.get(f["check_id"])
        category = cls.indicator if cls else f["check_id"].split(".")[0]
        item.by_category[category] = item.by_category.get(category, 0) + 1
    item.by_check = dict(sorted(item.by_check.items()))
    item.open_findings = sum(n for s, n in item.by_severity.items() if s != "info")
    item.veto = summary.veto(store, run_id)
    item.previous_run = store.previous_whole_run(run_id)
    if item.previous_run is not None:
        changes = compare(store, item.previous_run, run_id)
        item.new, item.fixed = len(changes.new), len(changes.fixed)


def document(config: FleetConfig, sites: list[SiteRank], generated_at: str) -> dict:
    """`govinspect.fleet/1`, as interface.md fixes it."""
    return {
        "schema": SCHEMA,
        "fleet": {"name": config.fleet.name, "generated_at": generated_at, "sites": len(sites)},
        "sites": [{
            "key": s.key, "name": s.name, "base_url": s.base_url, "group": s.group, "run": s.run,
            "summary": {"by_severity": s.by_severity, "by_check": s.by_check, "by_category": s.by_category,
                        "veto": s.veto},
            "open_findings": s.open_findings, "changes": {"since_run": s.previous_run, "new": s.new, "fixed": s.fixed},
            "score": s.score, "rank": s.rank,
        } for s in sites],
    }
