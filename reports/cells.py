"""Cell values made safe for spreadsheets: no formula from crawled text, links only to web pages."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlsplit

# A spreadsheet reads these leading characters as a formula (tab and CR too, in some of them: OWASP's list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL = 32000  # Excel's limit is 32,767 characters; past it Excel reports the file damaged
MAX_LINK = 2000   # Excel ignores (and WPS rejects) longer hyperlinks


def neutralise(value: str) -> str:
    """A crawled title like =HYPERLINK(…) stays text: a leading apostrophe, as Excel itself shows such cells."""
    if value and value.startswith(FORMULA_START):
        return "'" + value
    return value


def text_cell(value) -> str:
    """Any value as the text of one cell, neutralised and within Excel's limit."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if len(text) > MAX_CELL:
        text = text[:MAX_CELL] + "…"
    return neutralise(text)


def web_link(url: str | None) -> str | None:
    """The URL if a browser or spreadsheet may link to it (http or https), else None: never javascript: or file:."""
    if not url or len(url) > MAX_LINK:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.netloc else None
