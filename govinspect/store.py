"""The SQLite store: opening, recovery of killed runs, and the write and read API every stage shares."""

from __future__ import annotations

import json
import os
import sqlite3
import zlib
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

from sqlite_utils import Database

from govinspect.migrations import migrate

RUN_STATUSES = ("running", "completed", "interrupted", "failed")
HEALTHS = ("ok", "degraded", "failed", "interrupted")
# A run that saw the whole site it could reach: what reports, diffs and alerts read and compare with.
WHOLE = "runs.status = 'completed' and coalesce(runs.health, 'ok') in ('ok', 'degraded')"


class StoreError(Exception):
    """The database cannot be used: the message names the file and what is wrong."""


def now_iso() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


def compress(text: str | None) -> bytes | None:
    return zlib.compress(text.encode("utf-8"), 6) if text else None


def decompress(blob: bytes | None) -> str:
    return zlib.decompress(blob).decode("utf-8") if blob else ""


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _refuse_foreign(db: Database, path: Path) -> None:
    """Never migrate someone else's SQLite file: tables but no govinspect schema version means it is not ours."""
    if db.execute("PRAGMA user_version").fetchone()[0]:
        return
    tables = [name for name in db.table_names() if not name.startswith("sqlite_")]
    if tables:
        raise StoreError(f"{path}: not a govinspect database (it holds other tables: {', '.join(tables[:3])}); "
                         "left unchanged, give another --db")


class _Database(Database):
    """sqlite-utils' Database whose outermost transactions take the write lock at once (BEGIN IMMEDIATE).

    A deferred transaction that reads before it writes (sqlite-utils' `update` and `upsert` do) fails at
    once with "database is locked" when another process committed in between: SQLite cannot wait that out.
    Taking the lock first makes it wait `busy_timeout` instead, so a probe or the scheduler writing beside
    a running crawl never breaks it.
    """

    @contextmanager
    def atomic(self):
        if self.conn.in_transaction:
            with super().atomic():
                yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                self.rollback()
                raise


class Store:
    """One SQLite file, possibly holding several sites. Opening it migrates the schema and marks dead runs."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._column_ids: dict[tuple[int, str], int] = {}
        try:
            if self.path.parent and not self.path.parent.exists():
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = _Database(self.path)
            self.db.conn.execute("PRAGMA busy_timeout = 10000")
            _refuse_foreign(self.db, self.path)  # before anything, WAL mode included, touches the file
            self.db.enable_wal()
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.db.execute("PRAGMA foreign_keys = ON")
            migrate(self.db)
        except (sqlite3.DatabaseError, OSError, StoreError) as error:
            if getattr(self, "db", None) is not None:
                self.db.close()
            if isinstance(error, StoreError):
                raise
            raise StoreError(f"{self.path}: cannot open the database ({error})") from None
        self.recover_interrupted()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        self.close()
        if isinstance(exc, sqlite3.Error):
            # A full disk or a damaged file: every write is one transaction, so what was there is still there.
            raise StoreError(f"{self.path}: cannot write to the database ({exc})") from None

    # runs ------------------------------------------------------------------

    def recover_interrupted(self) -> list[int]:
        """Runs left `running` by a process that no longer exists were killed: mark them `interrupted`."""
        dead = [row["id"] for row in self.db.query("select id, pid from runs where status = 'running'")
                if not _alive(row["pid"])]
        if dead:
            with self.db.atomic():
                for run_id in dead:
                    self._finish_counts(run_id)
                    self.db["runs"].update(run_id, {
                        "status": "interrupted", "finished_at": now_iso(),
                        "error": "the crawl process ended without finishing (killed or crashed)",
                    })
        return dead

    def site_id(self, name: str, base_url: str) -> int:
        row = next(self.db.query("select id from sites where base_url = ?", [base_url]), None)
        if row:
            self.db["sites"].update(row["id"], {"name": name})
            return row["id"]
        return self.db["sites"].insert({"name": name, "base_url": base_url, "created_at": now_iso()}).last_pk

    def start_run(self, *, name: str, base_url: str, mode: str, as_of: str | None, config: dict | None = None) -> int:
        with self.db.atomic():
            site_id = self.site_id(name, base_url)
            return self.db["runs"].insert({
                "site_id": site_id, "mode": mode, "status": "running", "started_at": now_iso(),
                "as_of": as_of, "pid": os.getpid(),
                "config": json.dumps(config, ensure_ascii=False) if config else None,
            }).last_pk

    def finish_run(self, run_id: int, status: str, *, requests: int | None = None, error: str | None = None,
                   caps: dict | None = None) -> None:
        assert status in RUN_STATUSES
        with self.db.atomic():
            self._finish_counts(run_id)
            update: dict[str, Any] = {"status": status, "finished_at": now_iso(), "error": error}
            if requests is not None:
                update["requests"] = requests
            if caps:
                update["caps"] = json.dumps(caps, ensure_ascii=False)
            self.db["runs"].update(run_id, update)

    def _finish_counts(self, run_id: int) -> None:
        pages, size = self.db.execute(
            "select count(*), coalesce(sum(size), 0) from pages where run_id = ?", [run_id]).fetchone()
        errors = self.db.execute(
            "select count(*) from pages where run_id = ? and (error is not null or http_status >= 400)",
            [run_id]).fetchone()[0]
        self.db["runs"].update(run_id, {"pages": pages, "bytes": size, "errors": errors})

    def run(self, run_id: int | None = None) -> dict | None:
        """A run with its site's name and base URL; the latest run when no id is given."""
        sql = ("select runs.*, sites.name as site_name, sites.base_url from runs "
               "join sites on sites.id = runs.site_id ")
        if run_id is None:
            return next(self.db.query(sql + "order by runs.id desc limit 1"), None)
        return next(self.db.query(sql + "where runs.id = ?", [run_id]), None)

    # named queries: each "which run" question has exactly one meaning ---------

    def latest_whole_run(self, site_id: int | None = None, *, base_url: str | None = None) -> dict | None:
        """The newest completed run that is not failed (ok or degraded): what reports show by default."""
        clauses, params = [WHOLE], []
        if site_id is not None:
            clauses.append("runs.site_id = ?"), params.append(site_id)
        if base_url is not None:
            clauses.append("sites.base_url = ?"), params.append(base_url)
        row = next(self.db.query("select runs.id from runs join sites on sites.id = runs.site_id where "
                                 + " and ".join(clauses) + " order by runs.id desc limit 1", params), None)
        return self.run(row["id"]) if row else None

    def report_run(self, run_id: int | None = None) -> dict | None:
        """The run a report shows: the one asked for, else the latest whole run, else (none yet) the latest run."""
        if run_id is not None:
            return self.run(run_id)
        return self.latest_whole_run() or self.run()

    def previous_whole_run(self, run_id: int) -> int | None:
        """The site's newest checked whole run before `run_id`: what diffs, 新发现/已整改 and alerts compare with.

        A crawl never checked (a bare `govinspect crawl`) would make everything look new; an interrupted or
        failed run saw only part of the site or nothing.
        """
        return self.db.execute(f"""select max(runs.id) from runs where {WHOLE} and runs.id < ?
                                   and runs.site_id = (select site_id from runs where id = ?)
                                   and (exists (select 1 from check_results where run_id = runs.id)
                                        or exists (select 1 from finding_runs where run_id = runs.id))""",
                               [run_id, run_id]).fetchone()[0]

    def set_health(self, run_id: int, health: str, reasons: list[str]) -> None:
        assert health in HEALTHS
        with self.db.atomic():
            self.db["runs"].update(run_id, {"health": health,
                                            "health_reasons": json.dumps(reasons, ensure_ascii=False)})

    def health(self, run_id: int) -> tuple[str, list[str]]:
        """The run's health and its reasons; a run from before health was kept counts as ok when completed."""
        run = self.run(run_id)
        if run["status"] == "interrupted":
            return "interrupted", json.loads(run["health_reasons"] or "[]") or ["检查中途停止，结果不完整"]
        if run["health"]:
            return run["health"], json.loads(run["health_reasons"] or "[]")
        return ("ok", []) if run["status"] == "completed" else ("failed", [run["error"] or "运行未完成"])

    def add_probe(self, site_id: int, probe: dict) -> int:
        """One homepage availability observation: {url, at (UTC ISO), http_status, elapsed, ok, error, …}."""
        with self.db.atomic():
            return self.db["probes"].insert(dict(probe, site_id=site_id)).last_pk

    def record_check_results(self, run_id: int, results: Iterable[dict]) -> None:
        with self.db.atomic():
            self.db.execute("delete from check_results where run_id = ?", [run_id])
            self.db["check_results"].insert_all([dict(r, run_id=run_id) for r in results])

    def check_results(self, run_id: int) -> list[dict]:
        return list(self.db.query("select * from check_results where run_id = ? order by check_id", [run_id]))

    def runs(self, site_id: int | None = None) -> list[dict]:
        where, params = ("where site_id = ?", [site_id]) if site_id else ("", [])
        return list(self.db.query(f"select * from runs {where} order by id", params))

    # crawl writes (one transaction per call; the pipeline batches) ----------

    def write_batch(self, run_id: int, *, pages: Iterable[dict] = (), columns: Iterable[dict] = (),
                    items: Iterable[dict] = (), links: Iterable[dict] = (), targets: Iterable[dict] = ()) -> None:
        """Everything a burst of crawling produced, in one transaction so a kill never leaves half of it."""
        with self.db.atomic():
            for column in columns:
                self.upsert_column(run_id, column)
            page_rows = []
            for page in pages:
                page = dict(page, run_id=run_id)
                for key in ("meta", "footer", "attachments", "related", "column_chain"):
                    if key in page and not isinstance(page[key], (str, type(None))):
                        page[key] = json.dumps(page[key], ensure_ascii=False)
                if "text" in page:
                    text = page.pop("text")
                    page["text_z"], page["text_chars"] = compress(text), len(text or "")
                column_url = page.pop("column_url", None)
                if column_url:
                    page["column_id"] = self.upsert_column(run_id, {"url": column_url})
                page_rows.append(page)
            self._upsert_grouped("pages", page_rows)
            for item in items:
                self.add_column_items(run_id, item["column_url"], item["entries"], item.get("start", 0))
            # Links are the bulk of a crawl's rows: plain executemany, no per-value conversion.
            self.db.conn.executemany(
                "insert into links (run_id, source_url, target_url, tag, anchor, hidden) values (?, ?, ?, ?, ?, ?)",
                [(run_id, link["source_url"], link["target_url"], link.get("tag"), link.get("anchor"),
                  link.get("hidden", 0)) for link in links])
            self._upsert_grouped("targets", [dict(target, run_id=run_id) for target in targets])

    def _upsert_grouped(self, table: str, rows: list[dict]) -> None:
        """Insert or update by (run_id, url), one executemany per row shape: the crawl's hottest write."""
        groups: dict[tuple, list[dict]] = {}
        for row in rows:
            groups.setdefault(tuple(sorted(row)), []).append(row)
        for keys, group in groups.items():
            updates = ", ".join(f"[{k}] = excluded.[{k}]" for k in keys if k not in ("run_id", "url"))
            sql = (f"insert into [{table}] ({', '.join(f'[{k}]' for k in keys)}) "
                   f"values ({', '.join('?' for _ in keys)}) on conflict (run_id, url) do "
                   + (f"update set {updates}" if updates else "nothing"))
            self.db.conn.executemany(sql, [tuple(row[k] for k in keys) for row in group])

    def upsert_column(self, run_id: int, column: dict) -> int:
        key = (run_id, column["url"])
        column_id = self._column_ids.get(key)
        if column_id is None:
            row = next(self.db.query("select id from columns where run_id = ? and url = ?", list(key)), None)
            column_id = row["id"] if row else self.db["columns"].insert(dict(column, run_id=run_id)).last_pk
            self._column_ids[key] = column_id
            if not row:
                return column_id
        update = {k: v for k, v in column.items() if v is not None and k != "url"}
        if update:
            self.db["columns"].update(column_id, update)
        return column_id

    def add_column_items(self, run_id: int, column_url: str, entries: list[dict], start: int = 0) -> None:
        column_id = self.upsert_column(run_id, {"url": column_url})
        rows = [{"run_id": run_id, "column_id": column_id, "position": start + offset, **entry}
                for offset, entry in enumerate(entries)]
        self.db["column_items"].insert_all(rows, ignore=True, batch_size=500)
        count = self.db.execute("select count(*) from column_items where column_id = ?", [column_id]).fetchone()[0]
        self.db["columns"].update(column_id, {"items": count})

    def finalize_crawl(self, run_id: int) -> None:
        """Tie pages to the column lists that name them, and settle each page's publication date.

        A page reached through an ordinary link before its column's list is still a column item;
        the list's date comes after the page's own (meta, visible text) and before the URL's.
        """
        with self.db.atomic():
            self.db.execute("""
                update pages set
                  column_id = coalesce(column_id, (select column_id from column_items ci
                                       where ci.run_id = pages.run_id and ci.url = pages.url order by ci.id limit 1)),
                  list_date = coalesce(list_date, (select date from column_items ci
                                       where ci.run_id = pages.run_id and ci.url = pages.url and date is not null
                                       order by ci.id limit 1)),
                  kind = case when kind = 'page' and exists (select 1 from column_items ci
                              where ci.run_id = pages.run_id and ci.url = pages.url) then 'article' else kind end
                where run_id = ?""", [run_id])
            self.db.execute("""
                update pages set
                  published = coalesce(published, list_date, url_date),
                  published_source = case when published is not null then published_source
                                          when list_date is not null then 'list'
                                          when url_date is not null then 'url' end
                where run_id = ? and kind in ('article', 'page')""", [run_id])

    # reads -------------------------------------------------------------------

    def columns(self, run_id: int) -> list[dict]:
        return list(self.db.query("select * from columns where run_id = ? order by id", [run_id]))

    def column_items(self, column_id: int) -> list[dict]:
        return list(self.db.query("select * from column_items where column_id = ? order by position, id",
                                  [column_id]))

    def pages(self, run_id: int, kind: str | None = None) -> Iterator[dict]:
        sql, params = "select * from pages where run_id = ?", [run_id]
        if kind:
            sql, params = sql + " and kind = ?", params + [kind]
        for row in self.db.query(sql + " order by id", params):
            yield _decoded_page(row)

    def page(self, run_id: int, url: str) -> dict | None:
        row = next(self.db.query("select * from pages where run_id = ? and url = ?", [run_id, url]), None)
        return _decoded_page(row) if row else None

    def links(self, run_id: int) -> Iterator[dict]:
        return self.db.query("select * from links where run_id = ? order by id", [run_id])

    def findings(self, site_id: int | None = None, *, status: str | None = None) -> list[dict]:
        clauses, params = [], []
        if site_id is not None:
            clauses.append("site_id = ?"), params.append(site_id)
        if status:
            clauses.append("status = ?"), params.append(status)
        where = ("where " + " and ".join(clauses)) if clauses else ""
        rows = list(self.db.query(f"select * from findings {where} order by check_id, subject", params))
        for row in rows:
            row["evidence"] = json.loads(row["evidence"] or "{}")
            row["pages"] = json.loads(row["pages"] or "[]")
        return rows

    def integrity(self) -> str:
        return self.db.execute("PRAGMA integrity_check").fetchone()[0]


def _decoded_page(row: dict) -> dict:
    row = dict(row)
    row["text"] = decompress(row.pop("text_z", None))
    for key in ("meta", "footer", "attachments", "related", "column_chain"):
        row[key] = json.loads(row[key]) if row.get(key) else ({} if key in ("meta", "footer") else [])
    return row
