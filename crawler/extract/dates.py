"""Dates as Chinese government sites write them, read into ISO `YYYY-MM-DD` strings."""

from __future__ import annotations

import datetime as _dt
import re

# Years outside this window are typos or ids that happen to look like dates.
MIN_YEAR, MAX_YEAR = 1949, 2099

_FULLWIDTH = str.maketrans(
    "０１２３４５６７８９／．－：　", "0123456789/.-: "
)

_NUMERIC = re.compile(
    r"(?<!\d)(\d{4})\s*([-/.年])\s*(\d{1,2})\s*([-/.月])\s*(\d{1,2})(?!\d)"
)

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_D = "〇○零Ｏ一二三四五六七八九"
_CHINESE = re.compile(
    rf"([{_CN_D}O]{{4}})\s*年\s*([{_CN_D}十]{{1,3}})\s*月\s*([{_CN_D}十]{{1,4}})\s*日"
)

# Folder and file names that carry a date, strongest first.
_URL_PATTERNS = (
    re.compile(r"/art/(\d{4})/(\d{1,2})/(\d{1,2})/"),          # Hanweb /art/2021/6/6/
    re.compile(r"/t(\d{4})(\d{2})(\d{2})_\d+"),                  # TRS t20210606_123.html
    re.compile(r"/(\d{4})-(\d{2})-(\d{2})/"),                    # /2021-06-06/
    re.compile(r"/(\d{4})(\d{2})(\d{2})/"),                      # /20210606/
    re.compile(r"/(\d{4})-(\d{2})/(\d{2})/"),                    # /2021-06/06/
)
_URL_MONTH = re.compile(r"/(\d{4})(\d{2})/")                     # UCAP/TRS /202305/


def iso(year: int, month: int, day: int) -> str | None:
    """The ISO form of a calendar date, or None when no such day exists."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _normalise(text: str) -> str:
    return text.translate(_FULLWIDTH)


def _cn_number(chars: str) -> int | None:
    """Read 一..三十一 (month or day) written in Chinese numerals."""
    if "十" not in chars:
        if len(chars) == 1:
            return _CN_DIGITS.get(chars)
        # 二〇 style tens written digit by digit
        try:
            return int("".join(str(_CN_DIGITS[c]) for c in chars))
        except KeyError:
            return None
    tens, _, ones = chars.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    t = _CN_DIGITS.get(tens, -1) if tens else 1
    o = _CN_DIGITS.get(ones, -1) if ones else 0
    return None if t < 0 or o < 0 else t * 10 + o


def _numeric_match(m: re.Match) -> str | None:
    y, sep1, mo, sep2, d = m.groups()
    # 2021年6-6 is not a date format anyone writes; 2021-06.06 neither.
    if (sep1 == "年") != (sep2 == "月") or (sep1 != "年" and sep1 != sep2):
        return None
    return iso(int(y), int(mo), int(d))


def _chinese_match(m: re.Match) -> str | None:
    ys, ms, ds = m.groups()
    year = int("".join(str(_CN_DIGITS[c]) for c in ys))
    month, day = _cn_number(ms), _cn_number(ds)
    if month is None or day is None:
        return None
    return iso(year, month, day)


def parse_date(text: str | None) -> str | None:
    """The first date written in `text` as ISO, None if there is none or it is impossible.

    Reads 2021-06-06, 2021-6-6, 2021/06/06, 2021.06.06, 2021年6月6日, with a time
    after it or not, full-width digits, and 二〇二一年六月六日 (documents' own dates).
    """
    if not text:
        return None
    text = _normalise(text)
    m = _NUMERIC.search(text)
    c = _CHINESE.search(text)
    if m and (not c or m.start() < c.start()):
        return _numeric_match(m)
    if c:
        return _chinese_match(c)
    return None


def find_dates(text: str) -> list[str]:
    """Every valid date in `text`, in order (impossible ones are left out)."""
    text = _normalise(text)
    found = [(m.start(), _numeric_match(m)) for m in _NUMERIC.finditer(text)]
    found += [(m.start(), _chinese_match(m)) for m in _CHINESE.finditer(text)]
    return [d for _, d in sorted(found) if d]


def date_from_url(url: str | None) -> str | None:
    """The date a URL's path carries: Hanweb /art/2021/6/6/, TRS t20210606_1, UCAP /202305/.

    A month-only folder (UCAP `/202305/<hex>.shtml`, TRS `/202106/`) yields day 1 of
    that month: the weakest date source, only for when nothing else dates the page.
    """
    if not url:
        return None
    path = url.split("?", 1)[0].split("#", 1)[0]
    for pattern in _URL_PATTERNS:
        for m in pattern.finditer(path):
            found = iso(*(int(g) for g in m.groups()))
            if found:
                return found
    for m in _URL_MONTH.finditer(path):
        found = iso(int(m.group(1)), int(m.group(2)), 1)
        if found:
            return found
    return None
