"""Availability probes: one GET of the homepage within the national indicator's 15 s, stored with the site.

A probe fails when the homepage is not fully loaded within the limit: no answer, a connection or TLS
error, an HTTP error status, or a body still arriving. The fetch runs in a helper thread so the limit is
the whole request's, not one socket read's.
"""

from __future__ import annotations

import logging
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone

from govinspect.config import SiteConfig
from govinspect.store import Store

log = logging.getLogger("govinspect.probe")

LIMIT_SECONDS = 15.0  # indicators.md: a probe fails when the site is still not open after 15 s
MAX_BYTES = 20 * 1024 * 1024


def _fetch(url: str, user_agent: str, limit: float, outcome: dict) -> None:
    request = urllib.request.Request(url, headers={"User-Agent": user_agent, "Accept": "text/html,*/*"})
    try:
        with urllib.request.urlopen(request, timeout=limit) as response:
            outcome["http_status"] = response.status
            size = 0
            while chunk := response.read(65536):
                size += len(chunk)
                if size > MAX_BYTES:
                    break
            outcome["bytes"] = size
    except urllib.error.HTTPError as error:
        outcome["http_status"] = error.code
        outcome["error"] = f"HTTP {error.code}"
    except urllib.error.URLError as error:
        reason = error.reason
        outcome["error"] = "timeout" if isinstance(reason, (socket.timeout, TimeoutError)) else _describe(reason)
    except (socket.timeout, TimeoutError):
        outcome["error"] = "timeout"
    except (OSError, ssl.SSLError, ValueError) as error:  # resets mid-body, bad chunking, odd URLs
        outcome["error"] = _describe(error)
    except Exception as error:  # http.client's protocol errors and the like: a failed probe, not a crash
        outcome["error"] = _describe(error)


def _describe(error: object) -> str:
    text = str(error) or type(error).__name__
    return text[:300]


def probe_url(url: str, *, limit: float = LIMIT_SECONDS, user_agent: str = "govinspect probe") -> dict:
    """One probe of `url`: {url, at (UTC ISO), http_status, elapsed, ok, error, limit_seconds}."""
    at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    outcome: dict = {}
    started = time.monotonic()
    worker = threading.Thread(target=_fetch, args=(url, user_agent, limit, outcome), daemon=True,
                              name="govinspect-probe")
    worker.start()
    worker.join(limit)
    elapsed = time.monotonic() - started
    if worker.is_alive():
        outcome = {"http_status": outcome.get("http_status"), "error": f"not loaded within {limit:g} s"}
        elapsed = limit
    status = outcome.get("http_status")
    error = outcome.get("error")
    if error == "timeout":
        error = f"no answer within {limit:g} s"
    ok = error is None and status is not None and status < 400 and elapsed < limit
    return {"url": url, "at": at, "http_status": status, "elapsed": round(elapsed, 3), "ok": int(ok),
            "error": error, "limit_seconds": limit}


def probe_site(config: SiteConfig, db_path: str, *, limit: float = LIMIT_SECONDS) -> dict:
    """Probe the configured homepage and store the result; the stored row, with its id."""
    result = probe_url(config.site.base_url, limit=limit, user_agent=config.crawl.user_agent)
    with Store(db_path) as store:
        result["site_id"] = store.site_id(config.site.name, config.site.base_url)
        result["id"] = store.add_probe(result["site_id"], result)
    return result


def describe(result: dict, zone) -> str:
    """One line for a person: local time, status, elapsed, verdict."""
    at = datetime.fromisoformat(result["at"]).astimezone(zone).isoformat(timespec="seconds")
    status = result["http_status"] if result["http_status"] is not None else "-"
    verdict = "ok" if result["ok"] else f"FAILED ({result['error'] or 'too slow'})"
    return f"{at}  {status}  {result['elapsed']:.2f} s  {verdict}"
