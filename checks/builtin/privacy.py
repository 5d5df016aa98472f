"""Personal data (隐私泄露): unmasked ID numbers, personal mobile numbers and bank card numbers in pages and
attachments. Findings mask every number they show (110105********002X): a report never re-publishes a leak.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from datetime import date

from checks.api import Check
from checks.textutil import finding, mask_card, mask_id, mask_phone, more, nonempty, occurrence, where_name

INDICATOR = "隐私泄露"

# ---- 身份证号码 (GB 11643) ----------------------------------------------------------------------------------

# 18 or 15 characters with no letter, digit or * on either side (checked by hand: a look-behind first would make
# the pattern be tried at every character).
_ID = re.compile(r"(\d{15}(?:\d{2}[\dXx])?)")
_NOT_BESIDE = set("0123456789*Xx") | set("ABCDEFGHIJKLMNOPQRSTUVWYZabcdefghijklmnopqrstuvwyz")
_ID_WORDS = re.compile(r"身份证|公民身份|证件号")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53,
              54, 61, 62, 63, 64, 65, 71, 81, 82}


def id_check_char(first17: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, _WEIGHTS)) % 11]


def _birth(year: int, month: int, day: int, as_of: date) -> bool:
    try:
        born = date(year, month, day)
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= as_of


def is_id_number(number: str, as_of: date) -> bool:
    """A citizen ID number: a province code, a real birth date not after `as_of`, (18 digits) its check character."""
    if not number[:6].isdigit() or int(number[:2]) not in _PROVINCES:
        return False
    if len(number) == 18:
        return (_birth(int(number[6:10]), int(number[10:12]), int(number[12:14]), as_of)
                and id_check_char(number[:17]) == number[17].upper())
    if len(number) == 15:
        return _birth(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]), as_of)
    return False


def id_numbers(text: str, as_of: date) -> list[re.Match]:
    ids_spoken_of = None
    found = []
    for m in _ID.finditer(text):
        if (m.start() and text[m.start() - 1] in _NOT_BESIDE) or (m.end() < len(text) and text[m.end()] in _NOT_BESIDE):
            continue
        if len(m.group(1)) == 15:  # no check character: only where the text speaks of ID cards
            if ids_spoken_of is None:
                ids_spoken_of = bool(_ID_WORDS.search(text))
            if not ids_spoken_of:
                continue
        if is_id_number(m.group(1), as_of):
            found.append(m)
    return found


class PrivacyIdNumber(Check):
    id = "privacy.id_number"
    title = "泄露身份证号码"
    indicator = INDICATOR
    severity = "critical"

    def run(self, crawl, options):
        for source in nonempty(crawl):
            matches = id_numbers(source.text, crawl.as_of)
            if not matches:
                continue
            found = [occurrence(source.text, m.start(1), m.end(1), shown=mask_id(m.group(1)),
                                digits=len(m.group(1))) for m in matches]
            distinct = len({m.group(1).upper() for m in matches})
            yield finding(source, f"{where_name(source, 'text')}公开了 {distinct} 个未遮蔽的身份证号码，"
                          f"如「{found[0]['text']}」", found, distinct=distinct)


# ---- 手机号码 -------------------------------------------------------------------------------------------------

# Also written 139-0000-1001; no digit or * on either side (checked by hand: a look-behind first is slower).
_MOBILE = re.compile(r"(1[3-9]\d(?:[- ]?\d{4}){2})(?![\d*])")
# A number right after one of these is an office line published on purpose, not a person's.
_HOTLINE = re.compile(r"(?:联系电话|咨询电话|监督电话|举报电话|投诉电话|服务电话|办公电话|值班电话|报名电话|服务热线|热线电话|"
                      r"热线|联系方式|电话|手机)[^\n\d]{0,6}$")
_NOT_BEFORE = set("0123456789*")
# A list of people shows itself near its numbers: a 姓名 cell (a table's header row, a 姓名：label), a heading line
# that names a 名单 just before the table or list, or 名单如下： earlier in the same paragraph. A 姓名 in a sentence
# (报名时请提供姓名、单位) or a 名单 in one (请报送参会人员名单。) heads nothing.
_NAME_CELL = re.compile(r"(?:^|[\s|｜、.．)）])姓\s*名(?=$|[\s|｜:：])")
_LIST_INLINE = re.compile(r"名\s*单\s*(?:如下)?\s*[:：]")
_SENTENCE = re.compile(r"[。！？；;!?]")
# A row of a table (cells apart) or an item of a list (1. / （一）): the lines a table or list is made of.
_ROW = re.compile(r"\t|\S\s+\S|^\s*(?:\d{1,3}\s*[.．、)）]|[（(][一二三四五六七八九十\d]{1,3}[)）])")
HEADING_CHARS = 40


def _digits(number: str) -> str:
    return number.replace("-", "").replace(" ", "")


def _heads_a_list(line: str) -> bool:
    """A heading (short, no sentence in it) that names a 名单, or a row of column names with 姓名 among them."""
    line = line.strip()
    return bool(_NAME_CELL.search(line)) or (
        "名单" in line.replace(" ", "") and len(line) <= HEADING_CHARS and not _SENTENCE.search(line))


def _listed(text: str, numbers: list[re.Match], title: str) -> list[re.Match]:
    """The numbers that stand in a list of people: the same row, paragraph, table or list holds its signal."""
    lines = text.split("\n")
    starts, at = [], 0
    for line in lines:
        starts.append(at)
        at += len(line) + 1
    numbered = {}
    for m in numbers:
        numbered.setdefault(bisect_right(starts, m.start()) - 1, []).append(m)
    out = []
    block_start, headed, previous_row = 0, False, False  # the current table or list: its first line, a 姓名 row in it
    for i, line in enumerate(lines):
        row = i in numbered or bool(_ROW.search(line))
        if not (row and previous_row):
            block_start, headed = i, False
        previous_row = row
        for m in numbered.get(i, ()):
            before = line[:m.start() - starts[i]]
            if headed or _NAME_CELL.search(line) or _LIST_INLINE.search(before) or _caption(lines, block_start, title):
                out.append(m)
        headed = headed or (row and bool(_NAME_CELL.search(line)))
    return out


def _caption(lines: list[str], block_start: int, title: str) -> bool:
    """Whether the line just above a table or list (blank lines skipped; the page title above the first) heads it."""
    above = next((lines[k] for k in range(block_start - 1, -1, -1) if lines[k].strip()), title)
    return _heads_a_list(above)


def personal_mobiles(text: str, several: int, title: str = "") -> tuple[list[re.Match], str | None]:
    """Mobile numbers that belong to people: in a list or table of people (see `_listed`), or `several` or more
    different ones on one page; a number labelled as an office line does not count."""
    unlabelled = [m for m in _MOBILE.finditer(text) if (m.start() == 0 or text[m.start() - 1] not in _NOT_BEFORE)
                  and not _HOTLINE.search(text, max(0, m.start() - 16), m.start())]
    if not unlabelled:
        return [], None
    listed = _listed(text, unlabelled, title)
    if listed:
        return listed, "list"
    if len({_digits(m.group(1)) for m in unlabelled}) >= several:
        return unlabelled, "several"
    return [], None


class PrivacyPhone(Check):
    id = "privacy.phone"
    title = "泄露手机号码"
    indicator = INDICATOR
    severity = "major"
    options = {"several": 3}

    def run(self, crawl, options):
        for source in nonempty(crawl):
            # A page's title heads its text (拟聘用人员名单); an attachment's is only the link's words.
            matches, why = personal_mobiles(source.text, options["several"],
                                            "" if source.is_attachment else source.title)
            if not matches:
                continue
            found = [occurrence(source.text, m.start(1), m.end(1), shown=mask_phone(m.group(1))) for m in matches]
            distinct = len({_digits(m.group(1)) for m in matches})
            where = where_name(source, "text").removesuffix("中") + ("的人员名单中" if why == "list" else "中")
            yield finding(source, f"{where}公开了 {distinct} 个未遮蔽的个人手机号码，如「{found[0]['text']}」", found,
                          distinct=distinct, reason=why)


# ---- 银行卡号 -------------------------------------------------------------------------------------------------

_CARD = re.compile(r"(?<![\d*])(\d{16,19}|\d{4}(?: \d{4}){3}(?: \d{1,3})?)(?![\d*])")
_CARD_WORDS = re.compile(r"账号|帐号|卡号|银行|账户|帐户|开户行")
# Accounts of bodies, published so that people can pay into them: not a person's card.
_PUBLIC_ACCOUNT = re.compile(r"汇缴|结算户|专户|对公|基本户|国库|非税")


def luhn(digits: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(digits)):
        d = int(char)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def card_numbers(text: str, as_of: date) -> list[re.Match]:
    out = []
    if not _CARD_WORDS.search(text):
        return out
    for m in _CARD.finditer(text):
        digits = m.group(1).replace(" ", "")
        if not 16 <= len(digits) <= 19 or not luhn(digits) or is_id_number(digits, as_of):
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        before = text[max(line_start, m.start() - 20):m.start()]
        if _CARD_WORDS.search(before) and not _PUBLIC_ACCOUNT.search(text[max(line_start, m.start() - 40):m.start()]):
            out.append(m)
    return out


class PrivacyBankCard(Check):
    id = "privacy.bank_card"
    title = "泄露银行卡号"
    indicator = INDICATOR
    severity = "critical"

    def run(self, crawl, options):
        for source in nonempty(crawl):
            matches = card_numbers(source.text, crawl.as_of)
            if not matches:
                continue
            found = [occurrence(source.text, m.start(1), m.end(1), shown=mask_card(m.group(1))) for m in matches]
            yield finding(source, f"{where_name(source, 'text')}公开了未遮蔽的银行卡号「{found[0]['text']}」"
                          f"{more(found)}", found)
