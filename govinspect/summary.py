"""What an audit prints at its end, and the reports it writes into the output folder."""

from __future__ import annotations

import json
from pathlib import Path

import click

from checks import summary
from govinspect.findings import PassResult
from govinspect.store import Store


def run_figures(store: Store, run_id: int) -> dict:
    """Counts a person wants to see after a crawl, read back from the store."""
    db = store.db
    kinds = dict(db.execute("select kind, count(*) from pages where run_id = ? group by kind", [run_id]).fetchall())
    items, dated = db.execute("select count(*), count(date) from column_items where run_id = ?", [run_id]).fetchone()
    columns = store.columns(run_id)
    failed = db.execute("select count(*) from pages where run_id = ? and (error is not null or http_status >= 400)",
                        [run_id]).fetchone()[0]
    return {"kinds": kinds, "items": items, "dated_items": dated, "columns": len(columns),
            "empty_columns": sum(1 for c in columns if not c["items"]), "failed_pages": failed,
            "links": db.execute("select count(*) from links where run_id = ?", [run_id]).fetchone()[0]}


def write_reports(store: Store, run_id: int, out_dir: Path) -> list[Path]:
    """Every export format into `out_dir`: report.json, rectification.xlsx and .csv, report.html, self-inspection.docx."""
    from reports.export import write_all

    return write_all(store, run_id, out_dir)


def findings_lines(store: Store, run_id: int, result: PassResult | None = None) -> list[str]:
    """The findings a run saw, by severity and check, what the pass changed, and the veto cases."""
    severities = summary.by_severity(store, run_id)
    counts = summary.by_check(store, run_id)
    line = f"  findings {sum(counts.values())}: " + ", ".join(
        f"{name} {severities.get(name, 0)}" for name in ("critical", "major", "minor", "info"))
    if result:
        line += f" ({result.new} new, {result.reopened} reopened, {result.fixed} fixed by this run)"
    lines = [line]
    if counts:
        lines.append("  by check: " + ", ".join(f"{check_id} {n}" for check_id, n in counts.items()))
    if result and result.failed:
        lines.append(f"  checks that failed (see the log): {', '.join(result.failed)}")
    cases = summary.veto(store, run_id)
    if cases:
        lines.append("  单项否决: " + "; ".join(
            f"{c['indicator']} {'触发' if c['triggered'] else '未触发'} ({c['count']}/{c['threshold']}"
            + ("，估计" if "note" in c else "") + ")" for c in cases))
    return lines


def print_summary(store: Store, run_id: int, result: PassResult | None = None) -> None:
    run = store.run(run_id)
    figures = run_figures(store, run_id)
    kinds = figures["kinds"]
    dated = f"{figures['dated_items'] / figures['items']:.1%}" if figures["items"] else "-"
    caps = json.loads(run["caps"] or "{}")
    lines = [
        f"{run['site_name']}  run {run_id} ({run['mode']}, {run['status']}), as of {run['as_of']}",
        f"  pages {run['pages']}: " + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
        + f"; {figures['failed_pages']} failed; {run['requests']} requests, {run['bytes'] / 1e6:.1f} MB",
        f"  columns {figures['columns']} ({figures['empty_columns']} empty), items {figures['items']} "
        f"({dated} dated), links {figures['links']}",
        "  limits reached: " + ("; ".join(f"{name} at {', '.join(places[:3])}" for name, places in caps.items())
                                if caps else "none"),
    ]
    if run["error"]:
        lines.append(f"  note: {run['error']}")
    click.echo("\n".join(lines + findings_lines(store, run_id, result)))
