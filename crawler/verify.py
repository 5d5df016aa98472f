"""Link verdicts: what an answer (or its absence) says about a link target, without judging the site."""

from __future__ import annotations

from twisted.internet.error import (ConnectError, ConnectionLost, ConnectionRefusedError, DNSLookupError,
                                    TCPTimedOutError, TimeoutError)
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

# Answers that anti-bot firewalls give: the page may be fine, we just could not see it.
BLOCKING_STATUSES = {403, 412, 429, 521}


def verdict_for_status(status: int, redirected: bool = False) -> str:
    if status in BLOCKING_STATUSES:
        return "blocked"
    if status >= 400:
        return "broken"
    return "redirected" if redirected else "ok"


def failure_reason(failure: Failure, timeout: float) -> str:
    """One short line a web administrator understands, naming what went wrong."""
    error = failure.value
    if failure.check(DNSLookupError):
        return "DNS lookup failed (the host name does not resolve)"
    if failure.check(TimeoutError, TCPTimedOutError):
        return f"timeout: no answer within {timeout:g} s (after one retry)"
    if failure.check(ConnectionRefusedError):
        return "connection refused"
    if failure.check(ResponseNeverReceived, ConnectionLost, ResponseFailed):
        return "connection closed before a complete answer"
    if failure.check(ConnectError):
        return f"cannot connect ({error})"
    text = str(error) or type(error).__name__
    if "maxsize" in text.lower() or "cancel" in text.lower():
        return f"download cancelled: larger than the size cap ({text})"
    if "ssl" in text.lower() or "tls" in text.lower() or "certificate" in text.lower():
        return f"TLS error ({text})"
    return f"{type(error).__name__}: {text}"[:300]
