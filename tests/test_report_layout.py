"""How the exports look on paper and on screen: xlsx page setup and row heights, HTML columns that do not wrap per character."""

from __future__ import annotations

import math
import unicodedata

import pytest
from openpyxl import load_workbook

from conftest import run_cli, write_config
from test_report_html import ARTIFACTS, browser, opened, served  # noqa: F401 (fixtures)
from test_reports import audited, listed  # noqa: F401 (fixture)


def used(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def test_xlsx_prints_landscape_fit_to_width_with_the_header_on_every_page(audited):
    book = load_workbook(audited["out"] / "rectification.xlsx")
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape" and int(setup.paperSize) == int(sheet.PAPERSIZE_A4)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth == 1 and setup.fitToHeight == 0
    assert book["整改清单"].print_title_rows == "$1:$1"


def test_xlsx_rows_are_as_tall_as_their_wrapped_text(audited):
    sheet = load_workbook(audited["out"] / "rectification.xlsx")["整改清单"]
    for row in sheet.iter_rows(min_row=2):
        height = sheet.row_dimensions[row[0].row].height
        assert height is not None
        for cell in row:
            if cell.value is None or not cell.alignment.wrap_text:
                continue
            width = sheet.column_dimensions[cell.column_letter].width - 1
            lines = sum(max(1, math.ceil(used(part) / width)) for part in str(cell.value).split("\n"))
            assert height >= min(409, lines * 15), (cell.coordinate, cell.value, height)


def test_xlsx_summary_counts_match_the_list(audited):
    book = load_workbook(audited["out"] / "rectification.xlsx")
    rows = [[v for v in row if v is not None] for row in book["概况"].iter_rows(values_only=True)]
    listing = [r for r in book["整改清单"].iter_rows(min_row=2, values_only=True)]
    total_line = next(row[0] for row in rows if row and str(row[0]).startswith("整改清单共"))
    assert total_line == f"整改清单共 {len(listing)} 条：待整改 {len(listing)} 条"
    assert next(row for row in rows if row and row[0] == "合计")[-1] == len(listed(audited["report"]))


LINES = """cells => cells.map(cell => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    return new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.bottom))).size;
})"""


def test_html_narrow_columns_do_not_wrap_per_character(opened):
    page, _, _ = opened
    page.set_viewport_size({"width": 1280, "height": 900})

    def lines(column: int) -> list[int]:
        return page.eval_on_selector_all(f"#findings-table tbody tr td:nth-child({column})", LINES)

    assert set(lines(1)) == {1} and set(lines(4)) == {1}   # 序号, 严重程度: one line each
    assert set(lines(9)) == {2}                             # 首次 / 最近发现: one line per date
    assert set(lines(11)) <= {0, 1}                         # 整改时限
    assert max(lines(2)) <= 3                               # 问题类别: words, not a column of characters
    page.locator("#findings-table").scroll_into_view_if_needed()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-html-list.png"))


@pytest.mark.parametrize("text, words", [("screenshot_pages = 0", "report.screenshot_pages"),
                                         ('screenshots = "yes"', "report.screenshots: must be true or false"),
                                         ("screenshot_max_kb = 10", "report.screenshot_max_kb"),
                                         ("pictures = true", "report.pictures: unknown key")])
def test_report_section_mistakes_are_one_line(tmp_path, text, words):
    config = write_config(tmp_path / "site.toml", "http://127.0.0.1:9/", f"\n[report]\n{text}\n")
    result = run_cli("audit", "-c", str(config), "--db", str(tmp_path / "x.db"))
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and words in result.stderr, result.stderr
