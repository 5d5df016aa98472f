"""Text form (内容表述) by rule: 文号 format, mixed punctuation, numbering, mojibake, blank pages, wrong dates.

Each rule reads the stored main text of pages (navigation and footer already removed by the crawler) and
the extracted text of attachments, and reports the exact wrong text with its right form and context.
"""

from __future__ import annotations

import re
from datetime import date

from checks.api import Check
from checks.textutil import (DocNumber, crawl_texts, doc_numbers, finding, is_han, more, nonempty, occurrence,
                             where_name)

INDICATOR = "内容表述"

# ---- 文号 -------------------------------------------------------------------------------------------------


def doc_number_problems(match: DocNumber) -> list[str]:
    problems = []
    if match["open"] != "〔" or match["close"] != "〕":
        problems.append(f"年份用了「{match['open']}{match['close']}」而不是六角括号「〔〕」")
    if match["di"]:
        problems.append("序号前多了「第」")
    if match["seq"].startswith("0"):
        problems.append("序号有前导零")
    return problems


def right_doc_number(match: DocNumber) -> str:
    return f"{match['org']}〔{match['year']}〕{int(match['seq'])}号"


class TextDocNumber(Check):
    id = "text.doc_number"
    title = "文号格式不规范"
    indicator = INDICATOR
    severity = "minor"

    def run(self, crawl, options):
        for source in nonempty(crawl):
            found = []
            for match in doc_numbers(source.text):
                problems = doc_number_problems(match)
                if problems:
                    found.append(occurrence(source.text, match.start, match.end,
                                            suggestion=right_doc_number(match), problems=problems))
            if found:
                first = found[0]
                yield finding(source, f"{where_name(source, 'text')}文号「{first['text']}」格式不规范"
                              f"（{'，'.join(first['problems'])}），应为「{first['suggestion']}」{more(found)}", found)


# ---- 中英文标点混用 ---------------------------------------------------------------------------------------

FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_HALF = re.compile(r"[,;:?!()]")
_URL = re.compile(r"(?:https?://|ftp://|www\.)[^\s\u4e00-\u9fff，。；、（）《》“”]*", re.I)
_CHINESE_MARKS = set("“”‘’《》〈〉、。，；：？！（）【】〔〕「」『』…—·")


def _chinese(char: str) -> bool:
    return is_han(char) or char in _CHINESE_MARKS


def _neighbour(text: str, i: int, step: int) -> str:
    """The character next to text[i] (over one space), or '' at a line's edge."""
    j = i + step
    if 0 <= j < len(text) and text[j] in " \u00a0":
        j += step
    return text[j] if 0 <= j < len(text) and text[j] != "\n" else ""


def mixed_punctuation(text: str) -> list[tuple[int, str]]:
    """(offset, mark) of each half-width , ; : ? ! ( ) with Chinese on both sides; URLs and numbers skipped."""
    urls = [m.span() for m in _URL.finditer(text)] if ("http" in text or "www." in text or "ftp" in text) else []
    out = []
    for match in _HALF.finditer(text):
        i = match.start()
        if _chinese(_neighbour(text, i, -1)) and _chinese(_neighbour(text, i, 1)):
            if not any(a <= i < b for a, b in urls):
                out.append((i, match.group(0)))
    return out


def _snippet(text: str, i: int) -> tuple[int, int]:
    """Two characters each side of offset i, within the line."""
    start, end = i, i + 1
    for _ in range(2):
        if start > 0 and text[start - 1] != "\n":
            start -= 1
        if end < len(text) and text[end] != "\n":
            end += 1
    return start, end


class TextPunctuation(Check):
    id = "text.punctuation"
    title = "中英文标点混用"
    indicator = INDICATOR
    severity = "minor"

    def run(self, crawl, options):
        for source in nonempty(crawl):
            marks = mixed_punctuation(source.text)
            if not marks:
                continue
            found = []
            for i, mark in marks:
                start, end = _snippet(source.text, i)
                wrong = source.text[start:end]
                right = wrong[:i - start] + FULL_WIDTH[mark] + wrong[i - start + 1:]
                found.append(occurrence(source.text, start, end, suggestion=right, mark=mark))
            counts = {}
            for _, mark in marks:
                counts[mark] = counts.get(mark, 0) + 1
            first = found[0]
            yield finding(source, f"{where_name(source, 'text')}有 {len(found)} 处半角标点夹在汉字之间，"
                          f"如「{first['text']}」应为「{first['suggestion']}」", found, marks=counts)


# ---- 序号 -------------------------------------------------------------------------------------------------

_CN_NUM = "一二三四五六七八九十"
# Heading styles, highest level first; a heading of a level restarts the numbering of every level below it.
_HEADINGS = (
    ("一、", re.compile(rf"([{_CN_NUM}]{{1,3}})、")),
    ("（一）", re.compile(rf"[（(]([{_CN_NUM}]{{1,3}})[）)]")),
    ("1.", re.compile(r"(\d{1,2})[、．.](?![\d.．])")),
    ("（1）", re.compile(r"[（(](\d{1,2})[）)]")),
)
# Where a heading may start: a line's first character (after indentation) that can begin one.
_LINE_START = re.compile(rf"\n[ \t\u3000]*(?=[{_CN_NUM}（(\d])")
# 一是…二是…: after a line start or a mark, never inside a word (统一是, 第一是).
_INLINE = re.compile(rf"[{_CN_NUM}]是")
_INLINE_BEFORE = set("。；;，,：:！!？? \t\u3000\n")


def _inline(text: str):
    """(start, end, numeral) of each 一是 / 十二是 that follows a line start or a mark."""
    for m in _INLINE.finditer(text):
        start = m.start()
        while start > 0 and text[start - 1] in _CN_NUM and m.start() - start < 2:
            start -= 1
        if start == 0 or text[start - 1] in _INLINE_BEFORE:
            yield start, m.end(), text[start:m.end() - 1]


def cn_number(chars: str) -> int | None:
    """一 … 九十九 in Chinese numerals."""
    digits = {c: i + 1 for i, c in enumerate(_CN_NUM[:9])}
    if "十" not in chars:
        return digits.get(chars) if len(chars) == 1 else None
    tens, _, ones = chars.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    t = digits.get(tens, 0 if tens else 1)
    o = digits.get(ones, 0) if ones else 0
    return None if (tens and not t) or (ones and not o) else t * 10 + o


def _label(style: str, value_text: str) -> str:
    return {"一、": f"{value_text}、", "（一）": f"（{value_text}）", "1.": f"{value_text}.", "（1）": f"（{value_text}）",
            "是": f"{value_text}是"}[style]


def numbering_problems(text: str) -> list[dict]:
    """Skipped or repeated numbers: each style keeps a stack of runs, so a list nested in a list (or a table's
    row labels under a heading) starts a run of its own and the outer run goes on after it."""
    events = []
    for m in _LINE_START.finditer("\n" + text):
        at = m.end() - 1
        for level, (style, pattern) in enumerate(_HEADINGS):
            heading = pattern.match(text, at)
            if heading:
                events.append((at, level, style, heading.start(1), heading.end(0), heading.group(1)))
                break
    for start, end, raw in _inline(text):
        events.append((start, len(_HEADINGS), "是", start, end, raw))
    events.sort(key=lambda e: e[0])
    stacks: dict[str, list[int]] = {}
    problems = []
    for _, level, style, start, end, raw in events:
        value = int(raw) if raw.isdigit() else cn_number(raw)
        if value is None:
            continue
        for lower_level, (lower, _) in enumerate(_HEADINGS):
            if lower_level > level:
                stacks.pop(lower, None)
        if style != "是":
            stacks.pop("是", None)
        runs = stacks.setdefault(style, [])
        if not runs:
            runs.append(value)
            continue
        if value == runs[-1] + 1:
            runs[-1] = value
            continue
        if value == 1:
            if style == "是":
                runs[:] = [1]  # 一是 again: a new enumeration (they do not nest)
            else:
                runs.append(1)
            continue
        outer = next((depth for depth in range(len(runs) - 2, -1, -1) if value == runs[depth] + 1), None)
        if outer is not None:
            del runs[outer + 1:]
            runs[outer] = value
            continue
        expected = runs[-1] + 1
        kind = "skip" if value > expected else "repeat"
        problems.append({"start": start, "end": end, "style": style, "value": value,
                         "previous": runs[-1], "kind": kind})
        runs[-1] = value
    return problems


_CN_OF = {i + 1: c for i, c in enumerate(_CN_NUM[:9])}


def _cn(value: int) -> str:
    if value <= 9:
        return _CN_OF[value]
    tens, ones = divmod(value, 10)
    return ("" if tens == 1 else _CN_OF[tens]) + "十" + (_CN_OF[ones] if ones else "")


class TextNumbering(Check):
    id = "text.numbering"
    title = "序号错误"
    indicator = INDICATOR
    severity = "minor"

    def run(self, crawl, options):
        for source in nonempty(crawl):
            problems = numbering_problems(source.text)
            if not problems:
                continue
            found = []
            for p in problems:
                arabic = p["style"] in ("1.", "（1）")
                before = _label(p["style"], str(p["previous"]) if arabic else _cn(p["previous"]))
                expected = _label(p["style"], str(p["previous"] + 1) if arabic else _cn(p["previous"] + 1))
                start = p["start"] - (1 if p["style"] in ("（一）", "（1）") else 0)
                found.append(occurrence(source.text, start, p["end"], suggestion=expected, previous=before,
                                        problem=p["kind"]))
            first = found[0]
            verb = "跳号" if first["problem"] == "skip" else "重号"
            yield finding(source, f"{where_name(source, 'text')}序号{verb}：「{first['previous']}」之后是"
                          f"「{first['text']}」，应为「{first['suggestion']}」{more(found)}", found)


# ---- 乱码 -------------------------------------------------------------------------------------------------

_MOJIBAKE = re.compile(
    "(?P<kunkao>锟斤拷)|(?P<tang>烫{3,}|屯{3,})|(?P<fffd>\ufffd+)"
    "|(?P<gbk>[銆锛鈥][\u0080-\uffff]?)"  # UTF-8 read as GBK: 、。“” and full-width marks turn into 銆 锛 鈥
    "|(?P<latin>[äåæçèé][\u0080-\u00bf\u0152-\u2122]{2})"  # UTF-8 read as Latin-1 / cp1252
)
_KINDS = {"kunkao": "GBK 与 UTF-8 转换时损坏的文字", "tang": "未初始化内存的填充字符", "fffd": "解码失败留下的替换字符",
          "gbk": "UTF-8 文字被当作 GBK 解码", "latin": "UTF-8 文字被当作 Latin-1 解码"}
_NEEDS_SEVERAL = {"gbk": 2, "latin": 3}  # one 鈥 can be a real character; two in a page are not


_MARKERS = "锟烫屯\ufffd銆锛鈥äåæçèé"


def mojibake(text: str) -> list[tuple[int, int, str]]:
    if not any(marker in text for marker in _MARKERS):
        return []
    found = [(m.start(), m.end(), m.lastgroup) for m in _MOJIBAKE.finditer(text)]
    counts: dict[str, int] = {}
    for _, _, kind in found:
        counts[kind] = counts.get(kind, 0) + 1
    return [f for f in found if counts[f[2]] >= _NEEDS_SEVERAL.get(f[2], 1)]


class TextMojibake(Check):
    id = "text.mojibake"
    title = "乱码"
    indicator = INDICATOR
    severity = "major"

    def run(self, crawl, options):
        for source in nonempty(crawl):
            spans = mojibake(source.text)
            if not spans:
                continue
            found = [occurrence(source.text, start, end, kind=kind) for start, end, kind in spans]
            first = found[0]
            kinds = list(dict.fromkeys(kind for _, _, kind in spans))
            yield finding(source, f"{where_name(source, 'text')}有乱码「{first['text']}」，{_KINDS[first['kind']]}"
                          f"{more(found)}", found, kinds=kinds)


# ---- 空白页面 ---------------------------------------------------------------------------------------------

_EMPTY_RESIDUE = re.compile(r"[\s\u3000\xa0]|附件[:：]?|打印本页|关闭窗口|【?打印】?|【?关闭】?|返回顶部")


class TextBlankPage(Check):
    id = "text.blank_page"
    title = "空白页面"
    indicator = INDICATOR
    severity = "major"

    def run(self, crawl, options):
        attachment_links = {link["source_url"] for link in crawl.links() if link["tag"] == "attachment"}
        for source in crawl_texts(crawl):
            row = source.row
            if source.kind != "article" or len(source.text) > 200 or _EMPTY_RESIDUE.sub("", source.text):
                continue
            if row["attachments"] or source.subject in attachment_links:
                continue
            column = crawl.column(row["column_id"]) if row["column_id"] else None
            if column and column["category"] == "interaction":
                continue  # a message board's record: its question and answer live in a table the reader skips
            title = source.title or row["url"]
            yield finding(source, f"文章「{title}」页面没有正文内容，也没有附件",
                          [{"text": title, "where": "title", "context": title}],
                          text_chars=row["text_chars"] or 0)


# ---- 日期 -------------------------------------------------------------------------------------------------

_TEXT_DATE = re.compile(r"年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")  # the year is read backwards from 年
_YEAR_BEFORE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*$")
_ISO_DATE = re.compile(r"((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})(?![\d-])")
# A report or summary of year Y (its plans are for Y+1); not a plan, and not a 政府工作报告 (titled by the year it
# is delivered in, whose plans are for that same year).
_REPORT_TITLE = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?[^，。\n]{0,40}?(?:年度报告|工作总结|年报)")
_NOT_A_REPORT = re.compile(r"计划|要点|方案|安排|打算|政府工作报告")
_PLAN_HEADING = re.compile(r"^[^\n]{0,12}(?:改进|下一步|工作计划|工作打算|努力方向|工作思路|工作安排)[^\n]{0,20}$", re.M)
_TOP_HEADING = re.compile(rf"^[ \t\u3000]*[{_CN_NUM}]{{1,3}}、", re.M)
_PLANS = r"(?P<y>(?:19|20)\d{2})\s*年(?:度)?\s*[，,]?\s*[^\n。，,；;]{0,8}?(?:将|要|计划|拟|力争)(?:继续|进一步|持续)?"


def impossible_dates(text: str) -> list[tuple[int, int]]:
    out = []
    for m in _TEXT_DATE.finditer(text):
        year = _YEAR_BEFORE.search(text, max(0, m.start() - 6), m.start())
        if year and not _valid(int(year.group(1)), int(m.group(1)), int(m.group(2))):
            out.append((year.start(), m.end()))
    if "-" in text:
        for m in _ISO_DATE.finditer(text):
            if (m.start() == 0 or not (text[m.start() - 1].isdigit() or text[m.start() - 1] in ".-")) and \
                    not _valid(*(int(g) for g in m.groups())):
                out.append((m.start(), m.end()))
    return sorted(out)


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def report_year(source) -> int | None:
    head = [line for line in source.text[:600].split("\n") if line.strip()][:3]
    for line in [source.title] + head:
        m = _REPORT_TITLE.search(line or "")
        if m and not _NOT_A_REPORT.search(line):
            return int(m.group(1))
    return None


def own_year_plans(text: str, year: int) -> list[re.Match]:
    """「Y年，我局将继续…」 in the improvement section of year Y's own report (plans belong to Y+1)."""
    out = []
    for heading in _PLAN_HEADING.finditer(text):
        nxt = _TOP_HEADING.search(text, heading.end())
        section_end = nxt.start() if nxt else len(text)
        for m in re.finditer(_PLANS, text[heading.end():section_end]):
            if int(m.group("y")) == year:
                out.append((heading.end() + m.start(), heading.end() + m.end()))
    return out


class TextDate(Check):
    id = "text.date"
    title = "日期错误"
    indicator = INDICATOR
    severity = "major"

    def run(self, crawl, options):
        for source in crawl_texts(crawl):
            row, found, problems = source.row, [], []
            published = row.get("published")
            if published and not source.is_attachment and date.fromisoformat(published) > crawl.as_of:
                shown = published
                found.append({"text": shown, "where": "published", "context": f"发布日期 {shown}",
                              "source": row.get("published_source"), "problem": "future"})
                problems.append(f"发布日期 {published} 晚于检查日期 {crawl.as_of}")
            for start, end in impossible_dates(source.text):
                found.append(occurrence(source.text, start, end, problem="impossible"))
                problems.append(f"日期「{source.text[start:end]}」不存在")
            year = report_year(source)
            if year:
                for start, end in own_year_plans(source.text, year):
                    found.append(occurrence(source.text, start, end, suggestion=f"{year + 1}年", problem="year",
                                            report_year=year))
                    problems.append(f"{year}年的报告在改进措施中写「{source.text[start:end]}」，应为{year + 1}年的打算")
            if found:
                yield finding(source, problems[0] + more(found), found)
