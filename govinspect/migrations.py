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


def _fleet(db: Database) -> None:
    """A fleet database's record of what it merged: each run's shard of origin, each shard's last fingerprint."""
    db["fleet_shards"].create({
        "site_key": str, "site_id": int, "site_group": str, "shard": str, "digest": str, "ingested_at": str,
    }, pk="site_key")
    db["fleet_runs"].create({"run_id": int, "site_key": str, "shard_run_id": int, "ingested_at": str},
                            pk="run_id")
    db["fleet_runs"].create_index(["site_key", "shard_run_id"], unique=True)


MIGRATIONS = [_initial, _page_tables, _schedules, _fleet]


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
