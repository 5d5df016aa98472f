"""What changed between two runs of a site: findings new since the earlier one, fixed since, and still open."""

from __future__ import annotations

from dataclasses import dataclass, field

from govinspect.store import Store


@dataclass
class Diff:
    since: int | None
    run: int
    new: list[str] = field(default_factory=list)
    fixed: list[str] = field(default_factory=list)
    still_open: list[str] = field(default_factory=list)


def compare(store: Store, since: int | None, run_id: int) -> Diff:
    """Findings of run `run_id` against run `since` (same site, earlier); false positives (ignored) left out.

    new: seen by `run_id`, not by `since`. fixed: seen by `since` and fixed now. still open: seen by `since`
    and open now, whether `run_id` saw it again or, a partial run, did not look at it. The status is the
    finding's current one, so for two older runs a finding that was fixed and came back later counts as open.
    """
    result = Diff(since, run_id)
    if since is None:
        return result
    runs = {r["id"]: r for r in (store.run(since), store.run(run_id)) if r}
    if since not in runs:
        raise LookupError(f"--since: {store.path} has no run {since}")
    if runs[since]["site_id"] != runs[run_id]["site_id"]:
        raise LookupError(f"--since: run {since} crawled {runs[since]['base_url']}, "
                          f"not {runs[run_id]['base_url']} like run {run_id}")
    if since >= run_id:
        raise LookupError(f"--since: run {since} is not earlier than run {run_id}")
    rows = store.db.execute("""
        select findings.id, findings.status,
               exists (select 1 from finding_runs where finding_id = findings.id and run_id = :since) as before,
               exists (select 1 from finding_runs where finding_id = findings.id and run_id = :run) as after
        from findings where site_id = :site and status != 'ignored' and id in
            (select finding_id from finding_runs where run_id in (:since, :run))
        order by check_id, subject""", {"since": since, "run": run_id, "site": runs[run_id]["site_id"]})
    for fid, status, before, after in rows:
        if not before:
            result.new.append(fid)
        elif status == "fixed":
            result.fixed.append(fid)
        else:
            result.still_open.append(fid)
    return result
