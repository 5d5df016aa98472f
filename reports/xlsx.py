"""The rectification list as an Excel workbook: a summary sheet, then the list staff work from (openpyxl, write-only)."""

from __future__ import annotations

import math
import unicodedata
from copy import copy
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from govinspect.progress import progress
from reports.cells import text_cell, web_link
from reports.rows import (HEADERS, RUN_STATUS_ZH, SEVERITY_ORDER, SEVERITY_ZH, STATE_ZH, STATUS_ZH, UNFINISHED_ZH,
                          Rectification)

WIDTHS = [6, 14, 18, 8, 14, 30, 42, 50, 50, 42, 16, 16, 9, 12, 12, 24]
WRAPPED = {"页面标题", "问题描述", "证据", "出现页面", "备注", "所属栏目", "检查项"}
LINKED = {"问题页面/链接": 6, "出现页面": 9}
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
SEVERITY_FILL = {"critical": PatternFill("solid", fgColor="F8CBAD"), "major": PatternFill("solid", fgColor="FFE699")}
THIN = Side(style="thin", color="BFBFBF")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TOP = Alignment(vertical="top")
WRAP = Alignment(vertical="top", wrap_text=True)
BOLD = Font(bold=True)
LINK = Font(color="0563C1", underline="single")
LINE_POINTS = 15      # one line of 11-point text
MAX_ROW_POINTS = 409  # Excel's tallest row


def write_xlsx(report: Rectification, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write-only: rows stream to the file, so 100,000 findings do not sit in memory as cell objects.
    book = Workbook(write_only=True)
    _summary_sheet(book, report)
    sheet = book.create_sheet("整改清单")
    sheet.freeze_panes = "B2"
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    last_row = len(report.rows) + 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(HEADERS))}{last_row}"
    status_col = get_column_letter(HEADERS.index("状态") + 1)
    # A drop-down on 状态 so that staff record their progress in the sheet itself.
    choice = DataValidation(type="list", formula1='"' + ",".join(STATUS_ZH.values()) + '"', allow_blank=True)
    choice.add(f"{status_col}2:{status_col}{max(last_row, 2)}")
    sheet.data_validations.append(choice)
    _print_setup(sheet, repeat_rows="1:1")
    sheet.row_dimensions[1].height = _height(report.headers, WIDTHS)
    sheet.append([_cell(sheet, name, font=BOLD, fill=HEADER_FILL, align=WRAP) for name in report.headers])
    del sheet.row_dimensions[1]
    wrapped = [name in WRAPPED for name in HEADERS]
    wrapped_widths = [w if wrap else None for w, wrap in zip(WIDTHS, wrapped)]
    severity_at = HEADERS.index("严重程度")
    with progress(f"xlsx {path.name}", len(report.rows), unit="findings") as advance:
        for number, row in enumerate(report.rows, start=1):
            values = row.values(number)
            cells = [_cell(sheet, value, align=WRAP if wrapped[i] else TOP) for i, value in enumerate(values)]
            for name, at in LINKED.items():
                target = web_link(row.url if name == "问题页面/链接" else (row.pages[0] if row.pages else None))
                if target:
                    cells[at].hyperlink = target
                    _restyle(sheet, cells[at], font=LINK, align=WRAP if wrapped[at] else TOP)
            if row.severity in SEVERITY_FILL:
                _restyle(sheet, cells[severity_at], fill=SEVERITY_FILL[row.severity], align=TOP)
            # Excel does not size a row to wrapped text it did not lay out itself: without a height rows overlap.
            sheet.row_dimensions[number + 1].height = _height(values, wrapped_widths)
            sheet.append(cells)
            del sheet.row_dimensions[number + 1]  # written with the row; 100,000 of them need not stay
            advance(1)
    book.save(path)
    return path


def _print_setup(sheet, repeat_rows: str | None = None) -> None:
    """A4 landscape, every column on one page's width (as many pages down as it takes), the header on each page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.print_options.horizontalCentered = True
    if repeat_rows:
        sheet.print_title_rows = repeat_rows


def _columns_used(text: str) -> int:
    """Width of a text in Excel's character units: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _height(values: list, widths: list) -> float:
    """Points a row needs for its wrapped cells (width None: not wrapped, one line)."""
    lines = 1
    for value, width in zip(values, widths):
        if width is None or value is None:
            continue
        usable = max(1, width - 1)
        lines = max(lines, sum(max(1, math.ceil(_columns_used(part) / usable)) for part in str(value).split("\n")))
    return min(MAX_ROW_POINTS, lines * LINE_POINTS + 3)


def _style(sheet, font, fill, align, number_format):
    """The style array of one combination, made once per workbook (its indexes are the workbook's own):
    openpyxl hashes every style object again on each assignment, the slowest part of writing a big sheet."""
    book = sheet.parent
    if not hasattr(book, "_report_styles"):
        book._report_styles = {}
    cache = book._report_styles
    key = (id(font), id(fill), id(align), number_format)
    if key not in cache:
        template = WriteOnlyCell(sheet)
        template.border = GRID
        for name, value in (("font", font), ("fill", fill), ("alignment", align), ("number_format", number_format)):
            if value is not None:
                setattr(template, name, value)
        cache[key] = template._style
    return copy(cache[key])


def _cell(sheet, value, *, font=None, fill=None, align=None) -> WriteOnlyCell:
    number_format = None
    if isinstance(value, datetime):
        number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, date):
        number_format = "yyyy-mm-dd"
    elif not isinstance(value, (int, float)) or isinstance(value, bool):
        value = text_cell(value) if value is not None else None
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never "f": openpyxl would store a text beginning with "=" as a formula
    cell._style = _style(sheet, font, fill, align, number_format)
    return cell


def _restyle(sheet, cell, *, font=None, fill=None, align=None) -> None:
    """Another look for a cell made by _cell (a link's font, a severity's fill)."""
    number_format = cell.number_format if cell.number_format != "General" else None
    cell._style = _style(sheet, font, fill, align, number_format)


def _summary_sheet(book: Workbook, report: Rectification) -> None:
    """概况: the run, the veto cases, open findings by category and severity, and what changed since last time."""
    sheet = book.create_sheet("概况")
    for letter, width in zip("ABCDEFG", (28, 12, 12, 12, 12, 12, 50)):
        sheet.column_dimensions[letter].width = width
    _print_setup(sheet)
    run = report.run

    def line(*values, bold=False):
        sheet.append([_cell(sheet, v, font=BOLD if bold else None) if v is not None else None for v in values])

    line(report.title, bold=True)
    line("运行状态", report.health_text, bold=report.health[0] != "ok")
    for result in report.unfinished:
        line("未完成的检查", result["check_id"], None, None, None, None,
             f"{UNFINISHED_ZH[result['status']]}：{result['error'] or ''}")
    line("网站", report.site["name"])
    line("网址", report.site["base_url"])
    line("检查批次", f"第 {run['id']} 次（{'全量' if run['mode'] == 'full' else '增量'}，{RUN_STATUS_ZH.get(run['status'], run['status'])}）")
    line("检查日期", report.day)
    line("整改时限", report.deadline, None, None, None, None, report.calendar_note)
    line()
    line("单项否决指标", "是否触发", "数量", "阈值", None, None, "说明", bold=True)
    for case in report.veto:
        rule = next((r["rule"] for r in case.get("rules", []) if r["count"] == case["count"]), "")
        line(case["indicator"], STATE_ZH[case["state"]], case["count"], case["threshold"], None,
             None, "；".join(x for x in (case.get("reason", ""), rule, case.get("note", "")) if x))
    line(report.veto_text)
    line()
    shown = [s for s in SEVERITY_ORDER if s != "info" or report.include_info]
    line("待整改问题（按类别和严重程度）", *[SEVERITY_ZH[s] for s in shown], "合计", bold=True)
    totals = dict.fromkeys(shown, 0)
    for category, counts in report.counts.items():
        line(category, *[counts.get(s, 0) for s in shown], sum(counts.get(s, 0) for s in shown))
        for s in shown:
            totals[s] += counts.get(s, 0)
    line("合计", *totals.values(), sum(totals.values()), bold=True)
    by_status = {status: sum(1 for r in report.rows if r.status == status) for status in STATUS_ZH}
    line(f"整改清单共 {len(report.rows)} 条：" + "，".join(f"{STATUS_ZH[s]} {n} 条" for s, n in by_status.items() if n)
         if report.rows else "整改清单为空")
    if report.info_left_out:
        line(f"另有 {report.info_left_out} 条“提示”类问题（无法核验，需人工查看）未列入整改清单，"
             "可用 --include-info 列出")
    line()
    changes = report.changes
    base = f"第 {changes.since} 次检查" if changes.since else "上次检查"
    line(f"与{base}相比", "数量", bold=True)
    if changes.since is None:
        line("（本站首次检查，无可比较的批次）")
    else:
        line("新发现", len(changes.new))
        line("已整改", len(changes.fixed))
        line("仍未整改", len(changes.still_open))

