"""The rectification list as CSV: the xlsx columns, UTF-8 with a BOM so that Excel and WPS read the Chinese."""

from __future__ import annotations

import csv
from pathlib import Path

from govinspect.progress import progress
from reports.cells import text_cell
from reports.rows import Rectification


def write_csv(report: Rectification, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # newline="": the csv module writes its own \r\n; "utf-8-sig" puts the BOM Excel needs to see UTF-8.
    with path.open("w", encoding="utf-8-sig", newline="") as out, \
            progress(f"csv {path.name}", len(report.rows), unit="findings") as advance:
        writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL)
        # A title row, as on the printed list: which run, whether it saw the whole site, the veto cases.
        writer.writerow([f"{report.title} 第 {report.run['id']} 次检查 运行状态：{report.health_text} "
                         f"单项否决：{report.veto_text}"])
        writer.writerow(report.headers)
        for number, row in enumerate(report.rows, start=1):
            writer.writerow([text_cell(value) for value in row.values(number)])
            advance(1)
    return path
