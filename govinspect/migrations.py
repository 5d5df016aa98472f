"""The database schema, as an ordered list of migrations tracked by `PRAGMA user_version`."""

from __future__ import annotations

from sqlite_utils import Database


def _initial(db: Database) -> None:
    db["sites"].create({"id": int, "name": str, "base_url": str, "created_at": str}, pk="id", not_null={"name", "base_url"})
    db["sites"].create_index(["base_url"], unique=True)

    db["runs"].create({
        "id": int, "site_id": int, "mode": str, "status": str, "started_at": str, "finished_at": str,
        "as_of": str, "requests": int, "pages": int, "bytes": int, "errors": int, "pid": int,
        "error": str, "caps": str, "config": str,
    }, pk="id", foreign_keys=[("site_id", "sites", "id")], not_null={"site_id", "mode", "status"},
        defaults={"requests": 0, "pages": 0, "bytes": 0, "errors": 0})
    db["runs"].create_index(["site_id", "id"])
    db["runs"].create_index(["status"])

    db["columns"].create({
        "id": int, "run_id": int, "name": str, "url": str, "category": str, "platform": str,
        "source": str, "max_age_days": int, "list_pages": int, "items": int, "declared_total": int,
        "http_status": int, "error": str, "cap_hit": int,
    }, pk="id", foreign_keys=[("run_id", "runs", "id")], not_null={"run_id", "url"},
        defaults={"list_pages": 0, "items": 0, "cap_hit": 0})
    db["columns"].create_index(["run_id", "url"], unique=True)

    db["column_items"].create({
        "id": int, "run_id": int, "column_id": int, "position": int, "title": str, "url": str, "date": str,
    }, pk="id", foreign_keys=[("run_id", "runs", "id"), ("column_id", "columns", "id")])
    db["column_items"].create_index(["column_id", "url"], unique=True)
    db["column_items"].create_index(["run_id", "url"])

    db["pages"].create({
        "id": int, "run_id": int, "url": str, "kind": str, "http_status": int, "content_type": str,
        "encoding": str, "title": str, "column_id": int, "published": str, "published_source": str,
        "document_date": str, "list_date": str, "url_date": str, "meta": str, "footer": str,
        "attachments": str, "related": str, "column_chain": str, "text_z": bytes, "text_chars": int,
        "size": int, "truncated": int, "etag": str, "last_modified": str, "elapsed": float,
        "fetched_at": str, "depth": int, "platform": str, "error": str,
    }, pk="id", foreign_keys=[("run_id", "runs", "id")], not_null={"run_id", "url", "kind"})
    db["pages"].create_index(["run_id", "url"], unique=True)
    db["pages"].create_index(["run_id", "kind"])

    db["links"].create({
        "id": int, "run_id": int, "source_url": str, "target_url": str, "tag": str, "anchor": str, "hidden": int,
    }, pk="id", foreign_keys=[("run_id", "runs", "id")], not_null={"run_id", "source_url", "target_url"})
    db["links"].create_index(["run_id", "target_url"])
    db["links"].create_index(["run_id", "source_url"])

    db["targets"].create({
        "id": int, "run_id": int, "url": str, "verdict": str, "http_status": int, "reason": str,
        "final_url": str, "elapsed": float, "checked_at": str,
    }, pk="id", foreign_keys=[("run_id", "runs", "id")], not_null={"run_id", "url", "verdict"})
    db["targets"].create_index(["run_id", "url"], unique=True)

    db["findings"].create({
        "id": str, "site_id": int, "check_id": str, "subject": str, "title": str, "severity": str,
        "status": str, "message": str, "evidence": str, "pages": str, "column_name": str,
        "first_seen_run": int, "last_seen_run": int, "fixed_run": int, "triage": str,
        "triage_reason": str, "triaged_at": str,
    }, pk="id", foreign_keys=[("site_id", "sites", "id")], not_null={"site_id", "check_id", "subject", "status"})
    db["findings"].create_index(["site_id", "status"])

    db["finding_runs"].create({"finding_id": str, "run_id": int, "severity": str},
                              pk=("finding_id", "run_id"),
                              foreign_keys=[("finding_id", "findings", "id"), ("run_id", "runs", "id")])
    db["finding_runs"].create_index(["run_id"])


def _page_tables(db: Database) -> None:
    """The body's tables as JSON grids (crawler/extract/tables.py): annual report statistics are read from cells."""
    db["pages"].add_column("tables", str)


def _schedules(db: Database) -> None:
    """Homepage availability probes, and the scheduler's record of what it ran, skipped or stopped."""
    db["probes"].create({
        "id": int, "site_id": int, "at": str, "url": str, "http_status": int, "elapsed": float, "ok": int,
        "error": str, "limit_seconds": float,
    }, pk="id", foreign_keys=[("site_id", "sites", "id")], not_null={"site_id", "at", "ok"})
    db["probes"].create_index(["site_id", "at"])

    db["schedule_runs"].create({
        "id": int, "site_id": int, "job": str, "mode": str, "trigger": str, "status": str, "started_at": str,
        "finished_at": str, "run_id": int, "exit_code": int, "daemon": str, "daemon_pid": int, "child_pid": int,
        "note": str, "alert": str,
    }, pk="id", foreign_keys=[("site_id", "sites", "id")], not_null={"site_id", "job", "status", "started_at"})
    db["schedule_runs"].create_index(["site_id", "id"])
    db["schedule_runs"].create_index(["status"])


def _run_health(db: Database) -> None:
    """What each run could see: its health with reasons, pages and verdicts carried forward, each check's result."""
    db["runs"].add_column("health", str)
    db["runs"].add_column("health_reasons", str)
    db["pages"].add_column("carried", int, not_null_default=0)
    db["targets"].add_column("carried", int, not_null_default=0)
    db["probes"].add_column("source", str)  # None: a probe; "audit": an audit that could not open the homepage
    db["check_results"].create({
        "run_id": int, "check_id": str, "status": str, "error": str, "seconds": float, "findings": int,
    }, pk=("run_id", "check_id"), foreign_keys=[("run_id", "runs", "id")], not_null={"run_id", "check_id", "status"})


def _workspace(db: Database) -> None:
    """The browser workspace: accounts, their sessions, triage as append-only events, evidence screenshots."""
    db["users"].create({"name": str, "role": str, "password_hash": str, "created_at": str}, pk="name",
                       not_null={"role", "password_hash"})
    db["sessions"].create({"token_hash": str, "user_name": str, "csrf": str, "created_at": str, "expires_at": str},
                          pk="token_hash", not_null={"user_name", "csrf", "expires_at"})
    db["sessions"].create_index(["user_name"])
    # No foreign key to findings: a finding a check pass drops again must not be held by its comments.
    db["finding_events"].create({
        "id": int, "finding_id": str, "at": str, "actor": str, "source": str, "action": str, "reason": str,
        "assignee": str, "deadline": str, "comment": str,
    }, pk="id", not_null={"finding_id", "at", "actor", "action"})
    db["finding_events"].create_index(["finding_id", "id"])
    db.execute("""create trigger finding_events_append_only_update before update on finding_events
                  begin select raise(abort, 'finding_events is append-only'); end""")
    db.execute("""create trigger finding_events_append_only_delete before delete on finding_events
                  begin select raise(abort, 'finding_events is append-only'); end""")
    db["screenshots"].create({
        "id": int, "run_id": int, "url": str, "png": bytes, "width": int, "height": int, "marks": str,
        "masked": int, "taken_at": str,
    }, pk="id", foreign_keys=[("run_id", "runs", "id")], not_null={"run_id", "url", "png"})
    db["screenshots"].create_index(["run_id", "url"], unique=True)
    # The workspace's list filters and sorts 20,000 findings of a site by these.
    db["findings"].create_index(["site_id", "severity"])
    db["findings"].create_index(["site_id", "last_seen_run"])
    db["findings"].create_index(["site_id", "check_id"])


def _site_facts(db: Database) -> None:
    """What the crawler observed but could not read or judge itself: unreadable attachments (JSON on the page row:
    {problem, detail, parts}), and per-run facts about the site as a whole (TLS, IPv6, search), one row a fact."""
    db["pages"].add_column("unreadable", str)
    db["site_facts"].create({
        "id": int, "run_id": int, "name": str, "value": str, "observed_at": str,
    }, pk="id", foreign_keys=[("run_id", "runs", "id")], not_null={"run_id", "name"})
    db["site_facts"].create_index(["run_id", "name"], unique=True)


def _fleet(db: Database) -> None:
    """A fleet database's record of what it merged: each run's shard of origin, each shard's last fingerprint."""
    db["fleet_shards"].create({
        "site_key": str, "site_id": int, "site_group": str, "shard": str, "digest": str, "ingested_at": str,
    }, pk="site_key")
    db["fleet_runs"].create({"run_id": int, "site_key": str, "shard_run_id": int, "ingested_at": str},
                            pk="run_id")
    db["fleet_runs"].create_index(["site_key", "shard_run_id"], unique=True)


MIGRATIONS = [_initial, _page_tables, _schedules, _run_health, _workspace, _site_facts, _fleet]


def migrate(db: Database) -> None:
    """Bring the schema up to date under a write lock, so two processes opening a new file cannot race."""
    if db.execute("PRAGMA user_version").fetchone()[0] >= len(MIGRATIONS):
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
            migration(db)
            db.execute(f"PRAGMA user_version = {number}")
        db.execute("COMMIT")
    except BaseException:
        db.rollback()
        raise
