"""Every export by format name: one report to a file, or all of them into an audit's output folder."""

from __future__ import annotations

import json
from pathlib import Path

from govinspect.store import Store
from reports.rows import DEFAULT_DEADLINE_DAYS, build

FORMATS = ("xlsx", "csv", "html", "json", "docx")
# The names `govinspect audit` and `demo` write: report.json is the one the scheduler and alerts point at.
FILE_NAMES = {"xlsx": "rectification.xlsx", "csv": "rectification.csv", "html": "report.html",
              "json": "report.json", "docx": "self-inspection.docx"}


def writer(fmt: str):
    if fmt == "xlsx":
        from reports.xlsx import write_xlsx
        return write_xlsx
    if fmt == "csv":
        from reports.csv import write_csv
        return write_csv
    if fmt == "html":
        from reports.html import write_html
        return write_html
    if fmt == "docx":
        from reports.docx import write_docx
        return write_docx
    raise ValueError(f"unknown format {fmt!r}")


def json_document(store: Store, run_id: int | None, *, status: str | None = None, since: int | None = None) -> dict:
    """The JSON export: `govinspect.report/1` of a run, or with `since` the diff `govinspect.diff/1`."""
    from reports.json import build_report

    report = build_report(store, run_id, status=status)
    if since is None:
        return report
    from reports.diff import compare

    changes = compare(store, since, report["run"]["id"])
    by_id = {f["id"]: f for f in report["findings"]}
    missing = [fid for fid in changes.fixed + changes.still_open if fid not in by_id]
    if missing:
        # Fixed before this run, or not looked at again by a partial run: not in this run's report.
        by_id.update({f["id"]: f for f in build_report(store, since)["findings"] if f["id"] in missing})

    def pick(ids):
        return [by_id[i] for i in ids if i in by_id and (not status or by_id[i]["status"] == status)]

    return {"schema": "govinspect.diff/1", "site": report["site"], "since": since, "run": report["run"],
            "new": pick(changes.new), "fixed": pick(changes.fixed), "still_open": pick(changes.still_open)}


def export(store: Store, fmt: str, path: str | Path, *, run_id: int | None = None, status: str | None = None,
           include_info: bool = False, since: int | None = None,
           deadline_days: int = DEFAULT_DEADLINE_DAYS) -> Path:
    if fmt == "json":
        from reports.json import write_report

        return write_report(json_document(store, run_id, status=status, since=since), path)
    report = build(store, run_id, status=status, include_info=include_info, since=since,
                   deadline_days=deadline_days, trend=fmt == "html", screenshots=fmt in ("html", "docx"))
    return writer(fmt)(report, path)


def write_all(store: Store, run_id: int, out_dir: Path, *, deadline_days: int = DEFAULT_DEADLINE_DAYS) -> list[Path]:
    """Every format into `out_dir` under FILE_NAMES; the rows are built once for the four tabular ones."""
    from reports.json import build_report, write_report

    out_dir = Path(out_dir)
    written = [write_report(build_report(store, run_id), out_dir / FILE_NAMES["json"])]
    report = build(store, run_id, deadline_days=deadline_days, trend=True, screenshots=True)
    for fmt in ("xlsx", "csv", "html", "docx"):
        written.append(writer(fmt)(report, out_dir / FILE_NAMES[fmt]))
    return written


def dumps(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)
