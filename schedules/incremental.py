"""Incremental runs: what to fetch again after the last completed run, and what to carry forward from it.

Every column list is read again (new items appear there). A listed article whose title and date are as
before is not requested: its stored page, links and findings carry forward. One whose list entry changed
is fetched with its ETag/Last-Modified (an unchanged page answers 304 and carries forward too). One that
left its list is fetched again, so a deleted page shows as a broken link. Link verdicts are re-verified
once they are older than their verdict's age.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from govinspect.store import Store

# How long a verdict is trusted before the target is verified again.
VERDICT_AGES = {"ok": timedelta(days=7), "redirected": timedelta(days=7), "skipped-private": timedelta(days=365),
                "skipped": timedelta(days=7), "broken": timedelta(days=1), "soft-404": timedelta(days=1),
                "blocked": timedelta(days=1)}

PAGE_COLUMNS = ("url", "kind", "http_status", "content_type", "encoding", "title", "published", "published_source",
                "document_date", "list_date", "url_date", "meta", "footer", "attachments", "related",
                "column_chain", "text_z", "text_chars", "size", "truncated", "etag", "last_modified", "elapsed",
                "fetched_at", "depth", "platform", "error", "tables", "unreadable")
TARGET_COLUMNS = ("url", "verdict", "http_status", "reason", "final_url", "elapsed", "checked_at")


@dataclass
class IncrementalPlan:
    base_run: int
    items: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    validators: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    known: set[str] = field(default_factory=set)
    due: list[tuple[str, str]] = field(default_factory=list)

    def unchanged_item(self, url: str, title: str | None, date: str | None) -> bool:
        return self.items.get(url) == (title, date)


def plan_incremental(store: Store, base_url: str, now: datetime | None = None) -> IncrementalPlan | None:
    """The plan against the site's last whole run, or None when there is none (then a full crawl)."""
    base = store.latest_whole_run(base_url=base_url)
    if base is None:
        return None
    run_id = base["id"]
    plan = IncrementalPlan(base_run=run_id)
    for url, title, date in store.db.execute(
            "select url, title, date from column_items where run_id = ? order by id desc", [run_id]):
        plan.items[url] = (title, date)
    for url, etag, modified, status in store.db.execute(
            "select url, etag, last_modified, http_status from pages where run_id = ?", [run_id]):
        if status is not None and status < 400:
            plan.known.add(url)
            plan.validators[url] = (etag, modified)
    now = now or datetime.now(timezone.utc)
    for url, verdict, checked_at in store.db.execute(
            "select url, verdict, checked_at from targets where run_id = ?", [run_id]):
        if url in plan.known:
            continue
        age = VERDICT_AGES.get(verdict, timedelta(days=1))
        checked = datetime.fromisoformat(checked_at) if checked_at else None
        if checked is None or now - checked >= age:
            plan.due.append((url, verdict))
    return plan


def carry_forward(store: Store, plan: IncrementalPlan, run_id: int) -> int:
    """Copy what this run did not fetch from the base run: pages with their links, and fresh verdicts."""
    base = plan.base_run
    db = store.db
    columns = ", ".join(PAGE_COLUMNS)
    with db.atomic():
        db.execute("create temp table if not exists carried (url text primary key)")
        db.execute("delete from carried")
        db.execute("insert into carried select url from pages where run_id = ? "
                   "except select url from pages where run_id = ?", [base, run_id])
        db.execute(
            f"insert into pages (run_id, carried, column_id, {columns}) "
            f"select ?, 1, (select n.id from columns n join columns b on b.url = n.url "
            f"           where b.id = old.column_id and n.run_id = ?), {', '.join('old.' + c for c in PAGE_COLUMNS)} "
            f"from pages old where old.run_id = ? and old.url in (select url from carried)",
            [run_id, run_id, base])
        db.execute("insert into links (run_id, source_url, target_url, tag, anchor, hidden) "
                   "select ?, source_url, target_url, tag, anchor, hidden from links "
                   "where run_id = ? and source_url in (select url from carried)", [run_id, base])
        due = {url for url, _ in plan.due}
        rows = db.execute(f"select {', '.join(TARGET_COLUMNS)} from targets where run_id = ? and url not in "
                          f"(select url from targets where run_id = ?)", [base, run_id]).fetchall()
        db["targets"].insert_all(
            [dict(zip(TARGET_COLUMNS, row), run_id=run_id, carried=1) for row in rows if row[0] not in due],
            batch_size=500)
        carried = db.execute("select count(*) from carried").fetchone()[0]
    return carried
