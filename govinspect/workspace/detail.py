"""One finding as its page shows it (evidence, pages, screenshots, sightings, triage), and the runs with their diff."""

from __future__ import annotations

import json

from govinspect.events import ACTION_ZH, derive, history
from govinspect.store import Store
from govinspect.workspace.queries import category_of, health, registry
from reports.diff import compare
from reports.evidence import evidence_line, highlight_parts
from reports.rows import mask

MAX_PAGES_SHOWN = 50
MAX_SHOTS = 4


def finding(store: Store, finding_id: str) -> dict | None:
    row = next(store.db.query("select * from findings where id = ?", [finding_id]), None)
    if row is None:
        return None
    cls = registry().checks.get(row["check_id"])
    evidence = json.loads(row["evidence"] or "{}")
    pages = json.loads(row["pages"] or "[]")
    before, wrong, after, right = (mask(part) for part in highlight_parts(evidence))
    events = history(store, finding_id)
    for event in events:
        event["action_zh"] = ACTION_ZH.get(event["action"], event["action"])
    page_title = store.db.execute("select title from pages where url = ? order by run_id desc limit 1",
                                  [row["subject"]]).fetchone()
    return {
        **row, "message": mask(row["message"]), "title": mask(row["title"]), "column_name": mask(row["column_name"]),
        "category": category_of(row["check_id"]), "check_title": cls.title if cls else row["title"],
        "page_title": mask(page_title[0]) if page_title else "", "evidence_line": mask(evidence_line(evidence)),
        "highlight": (before, wrong, after, right), "suspected": evidence.get("confidence") == "suspected",
        "pages": pages[:MAX_PAGES_SHOWN], "pages_total": len(pages), "events": events,
        "state": derive(events), "sightings": sightings(store, finding_id),
        "screenshots": screenshots_of(store, row["site_id"], [row["subject"], *pages]),
    }


def sightings(store: Store, finding_id: str) -> list[dict]:
    """Every run that saw the finding, newest first, with that run's health."""
    rows = list(store.db.query("""select runs.*, finding_runs.severity as seen_severity from finding_runs
                                  join runs on runs.id = finding_runs.run_id where finding_runs.finding_id = ?
                                  order by runs.id desc""", [finding_id]))
    for row in rows:
        row["health"] = health(row)
    return rows


def screenshots_of(store: Store, site_id: int, urls: list[str]) -> list[dict]:
    """The newest screenshot of each of these pages, those that mark this finding's evidence first."""
    if not urls:
        return []
    rows = list(store.db.query("""
        select s.id, s.url, s.run_id, s.width, s.height, s.marks, s.taken_at from screenshots s
        join runs on runs.id = s.run_id
        where runs.site_id = ? and s.url in (select value from json_each(?))
          and s.run_id = (select max(s2.run_id) from screenshots s2 where s2.url = s.url)
        order by s.run_id desc, s.id""", [site_id, json.dumps(urls[:500])]))
    order = {url: i for i, url in reversed(list(enumerate(urls)))}
    rows.sort(key=lambda r: order.get(r["url"], len(order)))
    return rows[:MAX_SHOTS]


def screenshot_png(store: Store, shot_id: int) -> bytes | None:
    row = store.db.execute("select png from screenshots where id = ?", [shot_id]).fetchone()
    return row[0] if row else None


def runs(store: Store, site_id: int) -> list[dict]:
    counts = dict(store.db.execute("""select run_id, count(*) from finding_runs join findings on findings.id =
                                      finding_runs.finding_id where findings.site_id = ? group by run_id""",
                                   [site_id]).fetchall())
    rows = list(store.db.query("select * from runs where site_id = ? order by id desc", [site_id]))
    for row in rows:
        row["health"] = health(row)
        row["findings"] = counts.get(row["id"], 0)
    return rows


def diff(store: Store, since: int, run_id: int) -> dict:
    """Findings new, fixed and still open between two runs of a site, each with what a person reads."""
    changes = compare(store, since, run_id)
    wanted = changes.new + changes.fixed + changes.still_open
    rows = {r["id"]: r for r in store.db.query(
        "select id, check_id, severity, status, subject, message from findings where id in "
        "(select value from json_each(?))", [json.dumps(wanted)])}
    def listed(ids: list[str]) -> list[dict]:
        return [{**rows[i], "message": mask(rows[i]["message"]), "category": category_of(rows[i]["check_id"])}
                for i in ids if i in rows]

    return {"since": since, "run": run_id, "new": listed(changes.new), "fixed": listed(changes.fixed),
            "still_open": listed(changes.still_open)}
