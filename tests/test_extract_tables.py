"""The body's tables as JSON grids (crawler/extract/tables.py): spans expanded, layout and chrome tables left out."""

from __future__ import annotations

import json

import pytest

from crawler.extract.tables import read_tables, tables_of
from crawler.items import Page


def grids(body: str) -> list:
    return tables_of(read_tables(Page.from_html("http://127.0.0.1/a.html", f"<html><body>{body}</body></html>")))


def test_colspan_and_rowspan_repeat_the_cell_in_every_position_it_covers():
    body = ('<table><tr><td rowspan="3">三、本年度办理结果</td><td colspan="2">（一）予以公开</td><td>1</td></tr>'
            '<tr><td rowspan="2">（三）不予公开</td><td>1.属于国家秘密</td><td>0</td></tr>'
            "<tr><td>2.其他法律行政法规禁止公开</td><td>0</td></tr></table>")
    assert grids(body) == [[["三、本年度办理结果", "（一）予以公开", "（一）予以公开", "1"],
                            ["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密", "0"],
                            ["三、本年度办理结果", "（三）不予公开", "2.其他法律行政法规禁止公开", "0"]]]


@pytest.mark.parametrize("body, expected", [
    ("<table><tr><td>只有一行</td></tr></table>", []),
    ('<div class="footer"><table><tr><td>a</td></tr><tr><td>b</td></tr></table></div>', []),
    ("<table><tr><td><table><tr><td>x</td></tr><tr><td>y</td></tr></table></td></tr><tr><td>z</td></tr></table>",
     [[["x"], ["y"]]]),
    ('<table><tr><th>规章</th><td> 0 </td></tr><tr><td>行政规范性文件</td><td rowspan="abc">2</td></tr></table>',
     [[["规章", "0"], ["行政规范性文件", "2"]]]),
], ids=["one-row", "footer", "layout-table-holding-a-table", "th-and-a-bad-span"])
def test_which_tables_are_kept(body, expected):
    assert grids(body) == expected


def test_no_table_is_none_and_bad_json_reads_as_no_table():
    assert read_tables(Page.from_html("http://127.0.0.1/", "<html><body><p>正文</p></body></html>")) is None
    assert tables_of(None) == [] and tables_of("{not json") == [] and tables_of(json.dumps({"a": 1})) == []
