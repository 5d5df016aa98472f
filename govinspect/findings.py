"""Findings with a history: stable ids, one sighting per run, automatic fixing, reopening, and triage by a person."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from govinspect.health import crawl_health
from govinspect.store import Store


def finding_id(check_id: str, subject: str) -> str:
    """Stable across runs for the same problem, so that a finding keeps its history and its triage."""
    return hashlib.sha1(f"{check_id}\n{subject}".encode("utf-8")).hexdigest()[:16]


@dataclass
class Sighting:
    """One finding as a check pass saw it; `severity` already resolved from the check's default."""

    check_id: str
    title: str
    subject: str
    severity: str
    message: str
    evidence: dict = field(default_factory=dict)
    pages: list[str] = field(default_factory=list)
    column: str | None = None

    @property
    def id(self) -> str:
        return finding_id(self.check_id, self.subject)


@dataclass
class PassResult:
    run_id: int
    by_check: Counter = field(default_factory=Counter)
    new: int = 0
    reopened: int = 0
    fixed: int = 0
    failed: list[str] = field(default_factory=list)  # checks that raised: their findings were left as they were
    results: list[dict] = field(default_factory=list)  # each check's {check_id, status, error, seconds, findings}


# This run looked at the subject again and got an answer: a page fetched (not carried forward) that answered,
# or a link target verified. Only such a subject can be judged clean, and its finding closed.
FETCHED = """exists (select 1 from pages where run_id = :run and url = {url} and carried = 0 and error is null
                     and http_status < 500 and http_status not in (403, 412, 429, 521))"""
# A subject may name a part of its page (`…#suspected-typo`): the page is what was fetched again.
SUBJECT_PAGE = ("(case when instr(findings.subject, '#') > 0 "
                "then substr(findings.subject, 1, instr(findings.subject, '#') - 1) else findings.subject end)")
REOBSERVED = f"""({FETCHED.format(url=SUBJECT_PAGE)}
    or exists (select 1 from targets where run_id = :run and url = findings.subject and carried = 0
               and verdict in ('ok', 'redirected', 'broken', 'soft-404')))"""
# A finding that rests on several pages (a policy document and its interpretation) needs all of them seen again.
ALL_PAGES_REOBSERVED = f"""not exists (select 1 from json_each(findings.pages) page
                                     where not {FETCHED.format(url="page.value")})"""


def record_pass(store: Store, run_id: int, sightings: Iterable[Sighting], checks_run: Iterable[str], *,
                partial_checks: Iterable[str] = (), unfinished_checks: Iterable[str] = (),
                cross_page_checks: Iterable[str] = (), as_of: str | None = None) -> PassResult:
    """Store one check pass over a run in one transaction, replacing any earlier pass over the same run.

    `checks_run` judged the whole run; `partial_checks` judged part of it: their sightings are recorded,
    but they close nothing; `unfinished_checks` failed or were skipped: an earlier pass's sightings of
    theirs over this run stay. A finding of `cross_page_checks` is judged from all its `pages`: a partial
    run closes it only when it fetched every one of them again. `as_of`, the date the rules were applied with, is kept with the run.
    A finding is closed only on evidence: its check judged the run and did not see it, and either the run
    saw the whole site (completed, full, healthy, no limit reached) or it fetched the finding's subject
    again itself (not carried forward, answered). Every other finding keeps its status.
    """
    run = store.run(run_id)
    if run is None:
        raise LookupError(f"{store.path}: no run {run_id}")
    db, site_id, ran = store.db, run["site_id"], sorted(set(checks_run))
    seen_by = sorted(set(ran) | set(partial_checks))
    result = PassResult(run_id)
    seen: dict[str, Sighting] = {}
    for sighting in sightings:
        if sighting.id in seen:  # a check that names the same subject twice: one finding, all its pages
            known = seen[sighting.id]
            known.pages = list(dict.fromkeys(known.pages + sighting.pages))
        else:
            seen[sighting.id] = sighting
    kept = sorted(set(unfinished_checks))
    params = {"run": run_id, "site": site_id, **{f"c{i}": c for i, c in enumerate(seen_by)},
              **{f"k{i}": c for i, c in enumerate(kept)},
              **{f"x{i}": c for i, c in enumerate(sorted(set(cross_page_checks)))}}
    cross = ", ".join(f":x{i}" for i in range(len(set(cross_page_checks))))
    seen_checks = ", ".join(f":c{i}" for i in range(len(seen_by)))
    judged = ", ".join(f":c{i}" for i, c in enumerate(seen_by) if c in ran) or "null"
    with db.atomic():
        if as_of:
            db["runs"].update(run_id, {"as_of": as_of})
        keep = ", ".join(f":k{i}" for i in range(len(kept)))
        db.execute(f"""delete from finding_runs where run_id = :run and finding_id not in
                       (select id from findings where check_id in ({keep}))""", params)
        for fid, s in seen.items():
            row = {"title": s.title, "severity": s.severity, "message": s.message, "column_name": s.column,
                   "evidence": json.dumps(s.evidence, ensure_ascii=False),
                   "pages": json.dumps(s.pages, ensure_ascii=False)}
            old = next(db.query("select * from findings where id = ?", [fid]), None)
            if old is None:
                db["findings"].insert(dict(row, id=fid, site_id=site_id, check_id=s.check_id, subject=s.subject,
                                           status="open", first_seen_run=run_id, last_seen_run=run_id))
                result.new += 1
            else:
                if old["status"] == "fixed" and _reopens(old, run_id):
                    row.update(status="open", fixed_run=None, triage=None)  # a person's "fixed" no longer stands
                    result.reopened += 1
                db["findings"].update(fid, row)
            db["finding_runs"].insert({"finding_id": fid, "run_id": run_id, "severity": s.severity})
            result.by_check[s.check_id] += 1
        db.execute(f"""update findings set
                         first_seen_run = (select min(run_id) from finding_runs where finding_id = findings.id),
                         last_seen_run = (select max(run_id) from finding_runs where finding_id = findings.id)
                       where site_id = :site and check_id in ({seen_checks})""", params)
        # Seen only by an earlier pass over this very run, never triaged: it was never there.
        db.execute(f"""delete from findings where site_id = :site and check_id in ({judged}) and triage is null
                       and not exists (select 1 from finding_runs where finding_id = findings.id)""", params)
        health = crawl_health(store, run_id)
        whole = (run["status"] == "completed" and run["mode"] == "full" and health == "ok"
                 and not json.loads(run["caps"] or "{}"))
        evidence = "" if whole else (f" and {REOBSERVED} and (check_id not in ({cross}) "
                                     f"or {ALL_PAGES_REOBSERVED})")
        result.fixed = db.execute(f"""update findings set status = 'fixed', fixed_run = :run
                                      where site_id = :site and status = 'open' and check_id in ({judged})
                                      and coalesce(last_seen_run, 0) < :run{evidence}""", params).rowcount
    return result


def _reopens(old: dict, run_id: int) -> bool:
    """A fixed finding seen again reopens, unless the run that saw it is not later than the fix a person made."""
    if old["triage"] == "fixed":
        return run_id > (old["fixed_run"] or 0)
    return run_id >= (old["fixed_run"] or 0)


def resolve_ids(store: Store, prefixes: Iterable[str]) -> list[str]:
    """Full finding ids from ids or unique prefixes; an unknown or ambiguous one is a LookupError."""
    out = []
    for prefix in prefixes:
        prefix = prefix.strip().lower()
        rows = [r[0] for r in store.db.execute(
            "select id from findings where id like ? escape '\\' order by id limit 3",
            [prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"])] if prefix else []
        if not rows:
            raise LookupError(f"{store.path}: no finding with id {prefix!r}")
        if len(rows) > 1:
            raise LookupError(f"{store.path}: finding id {prefix!r} is ambiguous ({', '.join(rows)}, …): "
                              "give more of it")
        out.append(rows[0])
    return list(dict.fromkeys(out))


def triage(store: Store, ids: Iterable[str], action: str, reason: str | None = None, *,
           actor: str | None = None) -> list[dict]:
    """Mark findings ignored (stays so in later runs), fixed (a later run that sees it reopens it) or open again.

    Each mark is an event of `govinspect.events`, the same the workspace writes; the command line's actor is
    the user running it.
    """
    from govinspect.events import record

    return record(store, ids, action, actor=actor or _login_name(), source="cli", reason=reason)


def _login_name() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a container user without a passwd entry
        return "cli"
