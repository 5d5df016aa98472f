"""The 2021 format of the 政府信息公开工作年度报告 (国办公开办函〔2021〕30号): its sections and tables, and a reader
that finds them in a report's text and table grids.

The reader is tolerant by design: headings with or without bold or markdown marks, full- or half-width
punctuation, small wording variants (总体情况概述, 存在的主要问题, 改进措施); a table row's numbers are the
row's last cells, so label columns merged with rowspan or colspan do not matter. Blank cells are numbers
the bureau has not filled in yet (as in the draft of reports/annual_report_draft.py): they are left out
of the sums, never counted as zero.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from checks.titles import cn_year

FORMAT_FROM_YEAR = 2021  # the 2021 format applies to the reports for 2021 and later

# number, official heading, words that recognise the heading
SECTIONS = (
    (1, "一、总体情况", ("总体情况", "基本情况", "概述", "概况")),
    (2, "二、主动公开政府信息情况", ("主动公开",)),
    (3, "三、收到和处理政府信息公开申请情况", ("收到和处理", "依申请公开", "处理政府信息公开申请", "政府信息公开申请情况")),
    (4, "四、政府信息公开行政复议、行政诉讼情况", ("行政复议", "行政诉讼")),
    (5, "五、存在的主要问题及改进情况", ("存在的主要问题", "主要问题", "存在问题", "存在的问题", "改进情况", "改进措施",
                                    "问题及改进", "不足及改进", "工作计划")),
    (6, "六、其他需要报告的事项", ("其他需要报告", "需要报告的事项", "其他需报告", "其他事项")),
)
NUMERALS = "一二三四五六七八九十"

# Section 二: the four small tables (条例 第二十条 items), each row label and its columns.
SEC2_TABLES = (
    ("第二十条第（一）项", ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"), ("规章", "行政规范性文件")),
    ("第二十条第（五）项", ("信息内容", "本年处理决定数量"), ("行政许可",)),
    ("第二十条第（六）项", ("信息内容", "本年处理决定数量"), ("行政处罚", "行政强制")),
    ("第二十条第（八）项", ("信息内容", "本年收费金额（单位：万元）"), ("行政事业性收费",)),
)
SEC2_ROWS = tuple(row for _, _, rows in SEC2_TABLES for row in rows)

# Section 三: applicant columns and the rows (key: new, carried, result, total, forward; None for a group label).
SEC3_ORGS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
SEC3_COLUMNS = ("自然人",) + SEC3_ORGS + ("总计",)
SEC3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
SEC3_ROWS = (
    ("一、本年新收政府信息公开申请数量", "new"), ("二、上年结转政府信息公开申请数量", "carried"),
    ("三、本年度办理结果", None), ("（一）予以公开", "result"),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "result"),
    ("（三）不予公开", None), ("1.属于国家秘密", "result"), ("2.其他法律行政法规禁止公开", "result"),
    ("3.危及“三安全一稳定”", "result"), ("4.保护第三方合法权益", "result"), ("5.属于三类内部事务信息", "result"),
    ("6.属于四类过程性信息", "result"), ("7.属于行政执法案卷", "result"), ("8.属于行政查询事项", "result"),
    ("（四）无法提供", None), ("1.本机关不掌握相关政府信息", "result"), ("2.没有现成信息需要另行制作", "result"),
    ("3.补正后申请内容仍不明确", "result"), ("（五）不予处理", None), ("1.信访举报投诉类申请", "result"),
    ("2.重复申请", "result"), ("3.要求提供公开出版物", "result"), ("4.无正当理由大量反复申请", "result"),
    ("5.要求行政机关确认或重新出具已获取信息", "result"), ("（六）其他处理", None),
    ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "result"),
    ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "result"),
    ("3.其他", "result"), ("（七）总计", "total"), ("四、结转下年度继续办理", "forward"),
)
# Section 四: 行政复议 and the two kinds of 行政诉讼, five cells each.
SEC4_RESULTS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
SEC4_GROUPS = ("行政复议", "行政诉讼：未经复议直接起诉", "行政诉讼：复议后起诉")

FEE_LINE = "无其他需要报告的事项，本年度未收取信息处理费。"

_MARKS = re.compile(r"[#＃*＊_`>]+")
_HEAD = re.compile(rf"^([{NUMERALS}]{{1,3}})\s*[、.．,，:：]\s*(.+)$")
_SUB = re.compile(r"^\s*[（(]\s*[一二三四五六七八九十]{1,3}\s*[）)]|^\s*\d+\s*[.．、]")
_TRAILING_NUMBERS = re.compile(r"(?:\s+[-—–/]?\d[\d,.]*|\s+[-—–/])+\s*$")
_CUT = re.compile(r"[。；;!！?？]|[：:](?=.{6,})")
_NUMBER = re.compile(r"^[-+]?\d+(?:[.,]\d+)*$")
_ZERO = {"—", "-", "–", "/", "／", "无", "－", "——"}
# 年报最后加一句：… is a note to whoever edits the report, not a statement of the report.
_EDITOR_NOTE = re.compile(r"^[^。；]{0,14}?(?:加|补|添|增|写)(?:上|入|充)?一(?:句|段|行|条)(?:话)?\s*[:：]")
_FEE = re.compile(r"信息(?:处理|受理)费")
_FEE_STATED = re.compile(r"未收取|未收|没有收取|不收取|无|零|未发生|\d+(?:\.\d+)?\s*(?:万?元)")
_FUTURE = re.compile(r"((?:19|20)\d{2})\s*年度?\s*[，,、]?\s*[\u4e00-\u9fff]{0,8}?(?:将|计划|拟|打算|准备|力争|争取)"
                     r"(?:继续|进一步|持续|着力|重点|全面)?")
_PERIOD = re.compile(r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日\s*(?:起)?\s*至\s*((?:19|20)\d{2})\s*年\s*12\s*月\s*31\s*日")
_REPORTED = re.compile(r"现将[\u4e00-\u9fff\s]{0,14}?((?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})\s*年度?[\u4e00-\u9fff\s]{0,6}?"
                       r"(?:政府信息公开|政务公开|信息公开)")
_ANY_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_SIGNATURE = re.compile(r"^(?:[\u4e00-\u9fff]{2,30}(?:局|厅|委|办|办公室|政府|委员会|中心)|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
                        r"|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日)$")


def clean_line(line: str) -> str:
    """A line without markdown/bold marks and surrounding spaces."""
    return _MARKS.sub("", line).replace("\u3000", " ").strip()


@dataclass
class Heading:
    line: int
    text: str
    numeral: int | None
    section: int | None  # 1–6 when it is one of the format's headings


def _numeral(text: str) -> int | None:
    values = {ch: i + 1 for i, ch in enumerate(NUMERALS)}
    if len(text) == 1:
        return values.get(text)
    if text.startswith("十"):
        return 10 + values.get(text[1:], 0)
    return None


def _section_of(words: str, numeral: int | None) -> int | None:
    squeezed = re.sub(r"\s+", "", words)
    candidates = [number for number, _, keys in SECTIONS if any(k in squeezed for k in keys)]
    if not candidates:
        return None
    return numeral if numeral in candidates else candidates[0]


def find_headings(lines: list[str]) -> list[Heading]:
    """Top-level headings (一、… or a bare section name), numbered or not, with the format section each is.

    A numbered line that is none of the format's headings counts only when it continues the numbering
    (a table row such as 三、本年度办理结果 inside section 三 does not end the section).
    """
    found = _candidate_headings(lines)
    out: list[Heading] = []
    for h in found:
        previous = out[-1].numeral if out else 0
        if h.section or (h.numeral and previous is not None and h.numeral == previous + 1):
            out.append(h)
    return out


def _candidate_headings(lines: list[str]) -> list[Heading]:
    out = []
    for i, raw in enumerate(lines):
        line = clean_line(raw)
        if not line or "\t" in raw or _SUB.match(line):
            continue
        m = _HEAD.match(line)
        if m:
            numeral, words = _numeral(m.group(1)), m.group(2).strip()
            if _TRAILING_NUMBERS.search(words):
                continue  # 一、本年新收政府信息公开申请数量 2 0 0 …: a table row
            head = _CUT.split(words, maxsplit=1)[0].strip()
            if len(head) > 30:
                continue
            out.append(Heading(i, line, numeral, _section_of(head, numeral)))
            continue
        bare = re.sub(r"\s+", "", line).rstrip("：:。")
        for number, official, _ in SECTIONS:
            if bare == official[2:]:
                out.append(Heading(i, line, None, number))
                break
    return out


@dataclass
class ReportText:
    """A report's lines with its editor's notes set aside, its headings, and the line ranges of its sections."""

    lines: list[str]
    notes: list[str] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)

    @classmethod
    def parse(cls, text: str) -> "ReportText":
        lines, notes = [], []
        for raw in (text or "").split("\n"):
            if not raw.strip():
                continue
            (notes if _EDITOR_NOTE.match(clean_line(raw)) else lines).append(raw)
        report = cls(lines, notes)
        report.headings = find_headings(lines)
        return report

    @property
    def order(self) -> list[int]:
        """Format sections in the order their first heading appears."""
        seen: list[int] = []
        for h in self.headings:
            if h.section and h.section not in seen:
                seen.append(h.section)
        return seen

    def section_lines(self, number: int) -> list[str]:
        """The body lines under every heading of format section `number` (up to the next top-level heading)."""
        out = []
        for k, h in enumerate(self.headings):
            if h.section != number:
                continue
            end = self.headings[k + 1].line if k + 1 < len(self.headings) else len(self.lines)
            out += self.lines[h.line + 1:end]
        return out

    def content_lines(self) -> list[str]:
        """Lines that are not a signature (the body's name, the date) or a table row."""
        return [line for line in self.lines if "\t" not in line and not _SIGNATURE.match(clean_line(line))]


def structure_problems(report: ReportText) -> tuple[list[int], list[int]]:
    """(missing sections, sections out of order)."""
    order = report.order
    missing = [n for n, _, _ in SECTIONS if n not in order]
    out_of_order = [n for i, n in enumerate(order) if any(m > n for m in order[:i])]
    return missing, out_of_order


def fee_statement(lines: list[str]) -> str | None:
    """The sentence that states the 信息处理费 collected, if one of `lines` has it."""
    for line in lines:
        for sentence in re.split(r"[。；;]", clean_line(line)):
            if _FEE.search(sentence) and _FEE_STATED.search(sentence):
                return sentence.strip()
    return None


def future_plans(lines: list[str]) -> list[tuple[int, str]]:
    """(year, exact text) of each 「2021年，我局将继续」-style plan in `lines`."""
    found = []
    for line in lines:
        for m in _FUTURE.finditer(line):
            found.append((int(m.group(1)), m.group(0)))
    return found


def body_year(report: ReportText) -> tuple[int | None, str | None]:
    """The year the report's body is about, and the text that says so."""
    text = "\n".join(report.lines)
    m = _PERIOD.search(text)
    if m and m.group(1) == m.group(2):
        return int(m.group(1)), m.group(0)
    m = _REPORTED.search(text)
    if m:
        return cn_year(m.group(1)), m.group(0)
    improvement = set(report.section_lines(5))
    years = Counter(int(y) for line in report.lines[:15] if line not in improvement for y in _ANY_YEAR.findall(line))
    if years:
        year, count = years.most_common(1)[0]
        if count >= 2:
            return year, f"{year}年（正文中出现 {count} 次）"
    return None, None


# ---------------------------------------------------------------- tables

Grid = list[list[str]]


def number(cell: str) -> int | float | None:
    """A cell's number; '' (not filled in) is None; —, -, / and 无 are 0."""
    text = (cell or "").strip().replace(" ", "")
    if not text:
        return None
    if text in _ZERO:
        return 0
    if _NUMBER.match(text):
        value = float(text.replace(",", "")) if "." in text else int(text.replace(",", ""))
        return value
    return None


_TABLE_LABEL = re.compile(r"本年新收|上年结转|本年度办理结果|结转下年度|总计|第二十条|" + "|".join(SEC2_ROWS))


def _row_label(line: str) -> bool:
    """A line that is a table row whose cells are all blank (the docx reader drops trailing empty cells)."""
    text = clean_line(line)
    if len(text) > 80:
        return False
    if _SUB.match(text) or _TABLE_LABEL.search(text):
        return True
    m = _HEAD.match(text)
    return bool(m and _section_of(m.group(2), None) is None)


def grids_from_text(text: str) -> list[Grid]:
    """Tables of a text: runs of tab-separated lines (docx attachments) become grids; else one grid of the
    lines that end in numbers (a pdf's text, or an HTML page stored without its tables).

    A docx row of blank cells is a line without a tab: the lines after a tab-separated one that read as
    row labels (（一）…, 1.…, 本年新收…, 规章 …) stay rows of the table.
    """
    lines = [line for line in (text or "").split("\n") if line.strip()]
    grids: list[Grid] = []
    current: Grid = []
    gap: list[str] = []
    for line in lines:
        if "\t" in line:
            if current and gap and not all(_row_label(g) for g in gap):
                grids.append(current)
                current = []
            elif current:
                current += [[g.strip()] for g in gap]
            current.append([cell.strip() for cell in line.split("\t")])
            gap = []
        elif current:
            gap.append(line)
            if not _row_label(line):
                grids.append(current + [[g.strip()] for g in gap[:-1]])
                current, gap = [], []
    if current:
        grids.append(current + [[g.strip()] for g in gap])
    if grids:
        return grids
    rows: Grid = []
    for line in lines:
        tokens = line.split()
        values = []
        while tokens and (number(tokens[-1]) is not None):
            values.insert(0, tokens.pop())
        if values or len(line.strip()) <= 30:  # a row of numbers, or a short line of header cells
            rows.append(tokens + values)
    return [rows] if rows else []


def _label(row: list[str], width: int) -> str:
    cells = row[:-width] if len(row) > width else row
    return " ".join(dict.fromkeys(c for c in cells if c))


def _values(row: list[str], width: int) -> list | None:
    """The row's last `width` cells as numbers (None for a blank), or None when the row is too short."""
    if len(row) < width + 1:
        return None
    return [number(c) for c in row[-width:]]


@dataclass
class TableProblems:
    missing: list[str] = field(default_factory=list)     # 二/三/四 tables or section 二 rows not found
    sums: list[dict] = field(default_factory=list)        # totals that do not add up
    unfilled: list[str] = field(default_factory=list)     # tables found with no number filled in

    def __bool__(self) -> bool:
        return bool(self.missing or self.sums)


def _has(grid: Grid, word: str, exact: bool = False) -> bool:
    cells = (re.sub(r"\s+", "", cell) for row in grid for cell in row)
    return any((cell == word) if exact else (word in cell) for cell in cells)


def check_tables(grids: list[Grid]) -> TableProblems:
    problems = TableProblems()
    labels = {re.sub(r"\s+", "", cell) for grid in grids for row in grid for cell in row[:3] if cell}
    missing_rows = [row for row in SEC2_ROWS if not any(label == row or label.startswith(row) for label in labels)]
    if len(missing_rows) == len(SEC2_ROWS):
        problems.missing.append("二、主动公开政府信息情况统计表")
    elif missing_rows:
        problems.missing += [f"二、主动公开政府信息情况统计表「{row}」行" for row in missing_rows]
    sec3 = next((g for g in grids if _has(g, "本年新收")), None)
    if sec3 is None:
        problems.missing.append("三、收到和处理政府信息公开申请情况统计表")
    else:
        _check_sec3(sec3, problems)
    sec4 = next((g for g in grids if _has(g, "行政复议", True) and _has(g, "行政诉讼", True)), None)
    if sec4 is None:
        problems.missing.append("四、政府信息公开行政复议、行政诉讼情况统计表")
        return problems
    _check_sec4(sec4, problems)
    return problems


def _check_sec3(grid: Grid, problems: TableProblems) -> None:
    width = len(SEC3_COLUMNS)
    rows: dict[str, list | None] = {}
    groups: dict[str, dict] = {}
    in_results, group = False, "一"
    any_number = False
    for row in grid:
        spaced = _label(row, width)
        label = re.sub(r"\s+", "", spaced)
        values = _values(row, width)
        filled = values is not None and any(v is not None for v in values)
        any_number = any_number or filled
        key = ("new" if "本年新收" in label else "carried" if "上年结转" in label
               else "forward" if "结转下年度" in label else None)
        if key:
            if rows.get(key) is None:  # the first reading wins: a later line of text never replaces it
                rows[key] = values
            in_results = in_results and key != "forward"
            continue
        if "本年度办理结果" in label:
            in_results = True  # its own row, or (merged with rowspan) the first label of every result row
        if not in_results:
            continue
        if "总计" in label:
            if rows.get("total") is None:
                rows["total"] = values
            in_results = False
            continue
        m = re.search(r"[（(]([一二三四五六])[）)]", label)
        if m:
            group = m.group(1)
        sub = bool(re.search(r"(?:^|\s)\d+\s*[.．、]", spaced))
        entry = groups.setdefault(group, {"own": None, "subs": []})
        if filled:
            if sub:
                entry["subs"].append(values)
            else:
                entry["own"] = values
    if not any_number:
        problems.unfilled.append("三")
        return
    names = SEC3_COLUMNS
    # each row: 总计 = 自然人 + the five kinds of 法人或其他组织
    for key, title in (("new", "本年新收"), ("carried", "上年结转"), ("total", "（七）总计"), ("forward", "结转下年度")):
        values = rows.get(key)
        if values is None:
            problems.missing.append(f"三、收到和处理政府信息公开申请情况统计表「{title}」行")
            continue
        parts = values[:-1]
        if values[-1] is not None and None not in parts and sum(parts) != values[-1]:
            problems.sums.append({"table": "三", "row": title, "rule": "总计 = 自然人 + 法人或其他组织",
                                  "expected": sum(parts), "found": values[-1]})
    new, carried, total, forward = (rows.get(k) for k in ("new", "carried", "total", "forward"))
    if new and carried and total and forward:
        for j, name in enumerate(names):
            terms = (new[j], carried[j], total[j], forward[j])
            if None not in terms and new[j] + carried[j] != total[j] + forward[j]:
                problems.sums.append({"table": "三", "column": name,
                                      "rule": "本年新收 + 上年结转 = 本年度办理结果总计 + 结转下年度继续办理",
                                      "expected": new[j] + carried[j] - forward[j], "found": total[j],
                                      "text": f"{new[j]} + {carried[j]} ≠ {total[j]} + {forward[j]}"})
    if total and groups:
        for j, name in enumerate(names):
            terms = []
            for entry in groups.values():
                terms += entry["subs"] if entry["subs"] else ([entry["own"]] if entry["own"] else [])
            column = [t[j] for t in terms]
            if total[j] is not None and column and None not in column and sum(column) != total[j]:
                problems.sums.append({"table": "三", "column": name, "rule": "（七）总计 = （一）至（六）各项之和",
                                      "expected": sum(column), "found": total[j]})


def _check_sec4(grid: Grid, problems: TableProblems) -> None:
    """The data row: the last row whose last 15 cells are all numbers or blanks."""
    data = [[number(c) for c in row[-15:]] for row in grid
            if len(row) >= 15 and all(number(c) is not None or not c.strip() or c.strip() == "待填" for c in row[-15:])]
    data = [v for v in data if any(x is not None for x in v)] or data
    if not data or all(x is None for x in data[-1]):
        problems.unfilled.append("四")
        return
    values = data[-1]
    for g, name in enumerate(SEC4_GROUPS):
        cells = values[g * 5:(g + 1) * 5]
        if None not in cells and sum(cells[:4]) != cells[4]:
            problems.sums.append({"table": "四", "column": name, "rule": "总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结",
                                  "expected": sum(cells[:4]), "found": cells[4]})
