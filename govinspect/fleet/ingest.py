"""Merge a site's shard into the fleet database: ATTACH it read-only, replace that site's partition, one transaction.

The fleet database has the single-site schema (govinspect.store). Row ids are the fleet's own: each run copied
gets a new id, its columns keep their relative ids under an offset (pages and list items point at them), and
every `run_id` / `*_run` column is translated. Finished runs never change, so a run already merged is not copied
again; findings, probes and the other per-site tables are replaced whole. A shard whose fingerprint equals the
one merged last time is not touched at all: re-ingesting the same shard changes nothing.

A finding's id is a hash of its check and subject, and two sites share subjects (the same off-site link): in the
fleet database it is qualified by the site, `fleet_finding_id(base_url, id)`, the same every night.
"""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from govinspect.store import Store, StoreError, now_iso

def fleet_finding_id(base_url: str, finding_id: str) -> str:
    return hashlib.sha1(f"{base_url}\n{finding_id}".encode("utf-8")).hexdigest()[:16]


OWN = {"sites", "runs", "columns", "findings", "finding_runs", "fleet_shards", "fleet_runs"}


@dataclass
class IngestResult:
    runs_copied: int = 0
    runs_dropped: int = 0
    pages_copied: int = 0
    unchanged: bool = False


def ingest_shard(fleet_db: Path, shard: Path, *, key: str, group: str = "",
                 keep_runs: int = 0) -> IngestResult:
    """Replace site `key`'s partition of the fleet database by what its shard holds: its latest `keep_runs`
    finished runs (0: all of them), their findings and the site's other rows."""
    if not shard.exists():
        raise StoreError(f"{shard}: no such shard (the site's audit has not run)")
    Store(fleet_db).close()  # creates and migrates the fleet database
    # A URI connection, so that ATTACH understands ?mode=ro: the merge can never write the shard.
    with closing(sqlite3.connect(Path(fleet_db).resolve().as_uri(), uri=True, isolation_level=None,
                                 timeout=60)) as db:
        db.execute("PRAGMA busy_timeout = 60000")
        db.create_function("fleet_finding_id", 2, fleet_finding_id, deterministic=True)
        db.execute("ATTACH DATABASE ? AS shard", [f"{shard.resolve().as_uri()}?mode=ro"])
        try:
            return _merge(db, key, group, str(shard), keep_runs)
        finally:
            db.execute("DETACH DATABASE shard")


def _merge(db: sqlite3.Connection, key: str, group: str, shard: str, keep_runs: int) -> IngestResult:
    digest = _fingerprint(db) + f"/{keep_runs}"
    db.execute("BEGIN IMMEDIATE")
    try:
        known = db.execute("select digest from fleet_shards where site_key = ?", [key]).fetchone()
        if known and known[0] == digest:
            db.execute("ROLLBACK")
            return IngestResult(unchanged=True)
        result = IngestResult()
        site_ids = []
        for shard_site, name, base_url, created in db.execute(
                "select id, name, base_url, created_at from shard.sites order by id").fetchall():
            site_id = _site(db, name, base_url, created)
            site_ids.append(site_id)
            runs = _runs(db, key, site_id, shard_site, keep_runs, result)
            _site_tables(db, site_id, base_url, shard_site, runs)
        db.execute("""insert into fleet_shards (site_key, site_id, site_group, shard, digest, ingested_at)
                      values (?, ?, ?, ?, ?, ?) on conflict (site_key) do update set site_id = excluded.site_id,
                      site_group = excluded.site_group, shard = excluded.shard, digest = excluded.digest,
                      ingested_at = excluded.ingested_at""",
                   [key, site_ids[0] if site_ids else None, group, shard, digest, now_iso()])
        db.execute("COMMIT")
        return result
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _fingerprint(db: sqlite3.Connection) -> str:
    """What a merge depends on: the shard's runs as they stand and every per-site row (findings, triage, probes)."""
    digest = hashlib.sha1()
    for table in ["runs"] + sorted(_site_table_names(db)):
        for row in db.execute(f"select * from shard.[{table}] order by rowid"):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def _columns(db: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [row[1] for row in db.execute(f"PRAGMA {schema}.table_info([{table}])")]


def _tables(db: sqlite3.Connection, schema: str) -> set[str]:
    return {row[0] for row in db.execute(f"select name from {schema}.sqlite_master where type = 'table'")}


def _site_table_names(db: sqlite3.Connection) -> list[str]:
    """Per-site tables both sides know (findings, probes, schedule_runs and any later one with a site_id)."""
    shared = (_tables(db, "shard") & _tables(db, "main")) - (OWN - {"findings"})
    return [t for t in shared if "site_id" in _columns(db, "shard", t)]


def _run_table_names(db: sqlite3.Connection) -> list[str]:
    """Per-run tables (pages, links, targets, column_items and any later one with a run_id but no site_id)."""
    shared = (_tables(db, "shard") & _tables(db, "main")) - OWN
    return [t for t in shared if "run_id" in (cols := _columns(db, "shard", t)) and "site_id" not in cols]


def _site(db: sqlite3.Connection, name: str, base_url: str, created: str | None) -> int:
    row = db.execute("select id from sites where base_url = ?", [base_url]).fetchone()
    if row:
        db.execute("update sites set name = ? where id = ?", [name, row[0]])
        return row[0]
    return db.execute("insert into sites (name, base_url, created_at) values (?, ?, ?)",
                      [name, base_url, created]).lastrowid


def _runs(db: sqlite3.Connection, key: str, site_id: int, shard_site: int, keep_runs: int,
          result: IngestResult) -> dict[int, int]:
    """Bring the site's runs in line with the shard's latest finished runs; shard run id → fleet run id."""
    compared = ["started_at", "status", "finished_at", "pages"]
    theirs = {row[0]: row[1:] for row in db.execute(
        f"select id, {', '.join(compared)} from shard.runs where site_id = ? and status != 'running' order by id",
        [shard_site])}
    if keep_runs:  # a night's run holds every page again: the fleet keeps what its reports compare
        theirs = dict(list(theirs.items())[-keep_runs:])
    mapping = {}
    for run_id, shard_run in db.execute("select run_id, shard_run_id from fleet_runs where site_key = ?",
                                        [key]).fetchall():
        ours = db.execute(f"select {', '.join(compared)} from runs where id = ?", [run_id]).fetchone()
        if shard_run in theirs and ours == theirs[shard_run]:
            mapping[shard_run] = run_id
    missing = sorted(set(theirs) - set(mapping))
    if missing:  # fleet run ids keep the runs' order (reports take the latest id): copy again what comes after
        mapping = {shard_run: run_id for shard_run, run_id in mapping.items() if shard_run < missing[0]}
    # Whatever else the site has here (a recreated shard's old runs, a run that changed) leaves the partition.
    stale = [r for (r,) in db.execute("select id from runs where site_id = ?", [site_id]) if r not in
             mapping.values()]
    for run_id in stale:
        for table in _run_table_names(db) + ["columns", "finding_runs", "fleet_runs", "runs"]:
            db.execute(f"delete from [{table}] where {'id' if table == 'runs' else 'run_id'} = ?", [run_id])
    result.runs_dropped = len(stale)
    for shard_run in sorted(set(theirs) - set(mapping)):  # oldest first
        mapping[shard_run] = _copy_run(db, key, site_id, shard_run, result)
    return mapping


def _copy_run(db: sqlite3.Connection, key: str, site_id: int, shard_run: int, result: IngestResult) -> int:
    mine = _columns(db, "main", "runs")
    names = [c for c in _columns(db, "shard", "runs") if c in mine and c not in ("id", "site_id")]
    run_id = db.execute(f"insert into runs (site_id, {', '.join(names)}) select ?, {', '.join(names)} "
                        f"from shard.runs where id = ?", [site_id, shard_run]).lastrowid
    offset = db.execute("select coalesce(max(id), 0) + 1 - (select coalesce(min(id), 0) from shard.columns "
                        "where run_id = ?) from main.columns", [shard_run]).fetchone()[0]
    _copy(db, "columns", "run_id = ?", [shard_run], {"id": f"id + {offset}", "run_id": str(run_id)})
    for table in _run_table_names(db):
        values = {"run_id": str(run_id), "column_id": f"column_id + {offset}", "id": None}
        count = _copy(db, table, "run_id = ?", [shard_run], values)
        if table == "pages":
            result.pages_copied += count
    db.execute("insert into fleet_runs (run_id, site_key, shard_run_id, ingested_at) values (?, ?, ?, ?)",
               [run_id, key, shard_run, now_iso()])
    result.runs_copied += 1
    return run_id


def _site_tables(db: sqlite3.Connection, site_id: int, base_url: str, shard_site: int, runs: dict[int, int]) -> None:
    """Replace findings (with their sightings), probes and the other per-site rows by the shard's."""
    db.execute("create temp table if not exists run_map (shard_id integer primary key, fleet_id integer)")
    db.execute("delete from temp.run_map")
    db.executemany("insert into temp.run_map values (?, ?)", runs.items())
    db.execute("delete from finding_runs where finding_id in (select id from findings where site_id = ?)", [site_id])
    db.execute("""insert into finding_runs (finding_id, run_id, severity)
                  select fleet_finding_id(?, fr.finding_id), m.fleet_id, fr.severity from shard.finding_runs fr
                  join shard.findings f on f.id = fr.finding_id join temp.run_map m on m.shard_id = fr.run_id
                  where f.site_id = ?""", [base_url, shard_site])
    for table in _site_table_names(db):
        db.execute(f"delete from [{table}] where site_id = ?", [site_id])
        cols = _columns(db, "shard", table)
        values = {"site_id": str(site_id)}
        values.update({c: f"(select fleet_id from temp.run_map where shard_id = {c})"
                       for c in cols if c == "run_id" or c.endswith("_run")})
        # Integer row ids are the fleet's own; finding ids are the stable hashes, qualified by the site.
        values["id"] = "fleet_finding_id(?, id)" if table == "findings" else None
        _copy(db, table, "site_id = ?", [shard_site], values, [base_url] if table == "findings" else [])


def _copy(db: sqlite3.Connection, table: str, where: str, params: list, values: dict[str, str | None],
          value_params: list | tuple = ()) -> int:
    """insert into main.table select … from shard.table: the columns both have, some replaced by expressions."""
    mine = set(_columns(db, "main", table))
    names = [c for c in _columns(db, "shard", table) if c in mine and values.get(c, c) is not None]
    exprs = [values.get(c) or f"[{c}]" for c in names]
    cursor = db.execute(f"insert into main.[{table}] ({', '.join(f'[{c}]' for c in names)}) "
                        f"select {', '.join(exprs)} from shard.[{table}] where {where} order by rowid",
                        [*value_params, *params])
    return cursor.rowcount
