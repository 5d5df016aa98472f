"""Text form (内容表述) by rule: 文号 format, mixed punctuation, numbering (mojibake, blank pages and dates: text_pages).

Each rule reads the stored main text of pages (navigation and footer already removed by the crawler) and
the extracted text of attachments, and reports the exact wrong text with its right form and context.
"""

from __future__ import annotations

import re

from checks.api import Check
from checks.textutil import DocNumber, doc_numbers, finding, is_han, more, nonempty, occurrence, where_name

INDICATOR = "内容表述"

# ---- 文号 -------------------------------------------------------------------------------------------------


def doc_number_problems(match: DocNumber) -> list[str]:
    problems = []
    if not match["seq"]:
        problems.append("缺少序号")
    if re.search(r"\s", match["text"].strip()):
        problems.append("文号中有空格")
    if match["open"] != "〔" or match["close"] != "〕":
        problems.append(f"年份用了「{match['open']}{match['close']}」而不是六角括号「〔〕」")
    if match["di"]:
        problems.append("序号前多了「第」")
    if match["seq"].startswith("0"):
        problems.append("序号有前导零")
    return problems


def right_doc_number(match: DocNumber) -> str:
    """The 文号 as it should be written; the serial number a person must fill in stays a blank (〔2016〕□号)."""
    return f"{match['org'].strip()}〔{match['year']}〕{int(match['seq']) if match['seq'] else '□'}号"


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

FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）", ".": "。"}
_HALF = re.compile(r"[,;:?!().]")
_URL = re.compile(r"(?:https?://|ftp://|www\.)[^\s\u4e00-\u9fff，。；、（）《》“”]*", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_CHINESE_MARKS = set("“”‘’《》〈〉、。，；：？！（）【】〔〕「」『』…—·")
# A bracket pair of two widths: （…) or (…）; the half-width one is wrong.
_MIXED_PAIR = re.compile(r"（[^（）()\n]{0,60}(\))|(\()[^（）()\n]{0,60}）")
_CN_NUMERAL = set("一二三四五六七八九十")


def _chinese(char: str) -> bool:
    return is_han(char) or char in _CHINESE_MARKS


def _number(char: str) -> bool:
    return "0" <= char <= "9" or char == "%"


def _neighbour(text: str, i: int, step: int) -> str:
    """The character next to text[i] (over one space), or '' at a line's edge."""
    j = i + step
    if 0 <= j < len(text) and text[j] in " \u00a0":
        j += step
    return text[j] if 0 <= j < len(text) and text[j] != "\n" else ""


def _heading(text: str, i: int) -> bool:
    """text[i] ends a heading's numeral at the start of a line (一. 总则): numbering, not a sentence's mark."""
    j = i
    while j > 0 and text[j - 1] in _CN_NUMERAL:
        j -= 1
    return j < i and (j == 0 or text[j - 1] in "\n \t\u3000")


def _wrong_mark(text: str, i: int, mark: str) -> bool:
    before, after = _neighbour(text, i, -1), _neighbour(text, i, 1)
    if mark == ".":  # between two Chinese phrases; never in a number, an abbreviation or a heading's 一.
        return is_han(before) and is_han(after) and not _heading(text, i)
    if _chinese(before) and _chinese(after):
        return True
    # , ; beside a number: 增长3.9%;粮食 (but 1,000 stays, and 电话:0579 or 10:30 are not judged)
    return mark in ",;" and ((_chinese(before) and _number(after)) or (_number(before) and _chinese(after)))


def mixed_punctuation(text: str) -> list[tuple[int, str]]:
    """(offset, mark) of each half-width , ; : ? ! ( ) with Chinese on both sides, of a , ; between Chinese and a
    number or %, of a half-width . between Chinese, and of the half-width half of a （…) pair;
    URLs and e-mail addresses skipped."""
    skipped = []
    if "http" in text or "www." in text or "ftp" in text:
        skipped += [m.span() for m in _URL.finditer(text)]
    if "@" in text:
        skipped += [m.span() for m in _EMAIL.finditer(text)]
    found = {m.start(): m.group(0) for m in _HALF.finditer(text) if _wrong_mark(text, m.start(), m.group(0))}
    if "（" in text or "）" in text:
        for m in _MIXED_PAIR.finditer(text):
            at = m.start(1) if m.group(1) else m.start(2)
            found[at] = text[at]
    return sorted((i, mark) for i, mark in found.items() if not any(a <= i < b for a, b in skipped))


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
            yield finding(source, f"{where_name(source, 'text')}有 {len(found)} 处半角标点用在中文里，"
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
