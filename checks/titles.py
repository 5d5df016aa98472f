"""Document titles: the names in 《》, normalised forms, whether two titles name the same document, years.

Normalising drops punctuation, spaces and 的; two titles name the same document when they are equal then,
or differ only by an issuing body's name in front (青山县审计局审计档案管理办法 = 审计档案管理办法), or
one is the 关于印发《X》的通知 wrapper of the other's X.
"""

from __future__ import annotations

import re

_PUNCT = re.compile(r"[\s\u3000《》〈〉<>“”‘’\"'「」『』、，,。．.：:；;（）()【】\[\]〔〕{}!！?？·•—–\-_/\\|…]+")
NAMED = re.compile(r"《([^《》]{2,80})》")
# 关于印发《X》的通知: the document is X.
_WRAPPER = re.compile(r"(?:关于)?(?:印发|转发|发布|公布|下发|修订|出台)\s*《([^《》]{2,80})》\s*(?:的)?\s*"
                      r"(?:通知|决定|公告|通告|函|批复)")
_BODY_END = re.compile(r"(?:人民政府办公室|人民政府|政府办公室|办公室|办公厅|委员会|领导小组|局|厅|委|办|部|署|院|"
                       r"中心|总队|支队|大队|集团|公司|协会|联合会)$")
_BODY = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9]{2,40}$")

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "O": 0, "o": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_YEAR = re.compile(r"((?:19|20)\d{2}|[〇○零O一二三四五六七八九]{4})\s*年")


def normalise(title: str | None) -> str:
    """Without punctuation, spaces and 的: 《青山县审计局 审计档案管理办法》的通知 → 青山县审计局审计档案管理办法通知."""
    return _PUNCT.sub("", title or "").replace("的", "")


def names_in(title: str | None) -> list[str]:
    """The names a title cites in 《》, in order."""
    return [m.strip() for m in NAMED.findall(title or "") if m.strip()]


def _is_body(prefix: str) -> bool:
    return bool(_BODY.match(prefix) and _BODY_END.search(prefix))


def variants(title: str, site_name: str | None = None) -> set[str]:
    """Normalised forms a title's document may be named by."""
    out: set[str] = set()
    pending = [title]
    while pending:
        raw = pending.pop()
        for m in _WRAPPER.finditer(raw):
            pending.append(m.group(1))
        text = normalise(raw)
        if len(text) < 2 or text in out:
            continue
        out.add(text)
        if site_name and text.startswith(normalise(site_name)) and len(text) > len(normalise(site_name)) + 1:
            out.add(text[len(normalise(site_name)):])
        m = re.match(r"^(.{2,40}?)关于(.{2,})$", text)
        if m and _is_body(m.group(1)):
            out.add(m.group(2))
            out.add("关于" + m.group(2))
        elif text.startswith("关于") and len(text) > 4:
            out.add(text[2:])
    return out


def _close(a: str, b: str) -> bool:
    if a == b:
        return True
    long, short = (a, b) if len(a) > len(b) else (b, a)
    return len(short) >= 4 and long.endswith(short) and _is_body(long[: len(long) - len(short)])


def same_document(a: str | None, b: str | None, site_name: str | None = None) -> bool:
    """Whether two titles name the same document (normalised, an issuing body's prefix tolerated)."""
    if not a or not b:
        return False
    va, vb = variants(a, site_name), variants(b, site_name)
    return bool(va & vb) or any(_close(x, y) for x in va for y in vb)


def cn_year(text: str) -> int | None:
    """2021 or 二〇二一 as an int."""
    if text.isdigit():
        return int(text)
    digits = [_CN_DIGITS.get(ch) for ch in text]
    return int("".join(map(str, digits))) if None not in digits else None


def year_in(title: str | None) -> int | None:
    """The first year a title names (2021年, 2021 年度, 二〇二一年)."""
    for m in _YEAR.finditer(title or ""):
        year = cn_year(m.group(1))
        if year and 1990 <= year <= 2100:
            return year
    return None
