"""Which encoding a page is really in, when what it declares and what it sends disagree."""

from __future__ import annotations

# Decoding GBK bytes as UTF-8 gives U+FFFD; decoding UTF-8 bytes as GBK mostly "succeeds" with nonsense.
# So valid UTF-8 with non-ASCII bytes wins, then the declaration if the bytes fit it, then GB18030.
GBK_FAMILY = {"gbk", "gb2312", "gb18030", "cp936", "hz"}


def best_encoding(body: bytes, declared: str | None) -> str | None:
    """The encoding to read `body` with, or None when the declared one (Scrapy's choice) is right."""
    declared = (declared or "").lower().replace("_", "-")
    sample = body[:200_000]
    if sample.isascii():
        return None
    try:
        sample.decode("utf-8")
        utf8 = True
    except UnicodeDecodeError as error:
        # A multi-byte character cut by the sample's end is not a sign of another encoding.
        utf8 = error.start >= len(sample) - 3 and len(body) > len(sample)
    if utf8:
        return None if declared in ("utf-8", "utf8") else "utf-8"
    if declared in GBK_FAMILY:
        return None
    try:
        sample.decode("gb18030")
    except UnicodeDecodeError:
        return None
    return "gb18030"
