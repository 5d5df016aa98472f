"""Spider traps: session ids stripped from URLs, and a cap on URLs of one shape (calendars, growing queries)."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

SESSION_KEYS = {"jsessionid", "phpsessid", "sid", "sessionid", "session_id", "aspsessionid", "sessid", "token"}
_PATH_SESSION = re.compile(r";(jsessionid|phpsessid|sid)=[^/?#]*", re.I)
_DIGITS = re.compile(r"\d+")


def without_session(url: str) -> str:
    """The URL without session ids, which make one page look like endless new ones."""
    parts = urlsplit(url)
    path = _PATH_SESSION.sub("", parts.path)
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        kept = [(k, v) for k, v in pairs if k.lower() not in SESSION_KEYS]
        if len(kept) != len(pairs):
            query = urlencode(kept)
    if path == parts.path and query == parts.query:
        return url
    return urlunsplit((parts.scheme, parts.netloc, path, query, parts.fragment))


def shape(url: str) -> str:
    """What URLs of one trap share: the path with numbers blanked, the query's keys without values."""
    parts = urlsplit(url)
    keys = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return f"{parts.netloc}{_DIGITS.sub('0', parts.path)}?{'&'.join(keys)}"


class TrapGuard:
    """Says no to a URL that is too long, repeats its path, or whose query shape has been seen too often."""

    def __init__(self, max_per_shape: int, max_length: int):
        self.max_per_shape, self.max_length = max_per_shape, max_length
        self.shapes: Counter[str] = Counter()

    def refuse(self, url: str) -> str | None:
        if len(url) > self.max_length:
            return "max_url_length"
        parts = urlsplit(url)
        segments = [s for s in parts.path.split("/") if s]
        if len(segments) > 12 or len(segments) - len(set(segments)) > 2:
            return "repeating_path"
        if not parts.query:
            return None  # plain paths of one shape are usually a CMS's articles, not a trap
        key = shape(url)
        if self.shapes[key] >= self.max_per_shape:
            return "max_urls_per_shape"
        self.shapes[key] += 1
        return None
