"""The daemon's log: stdout and a rotating file, with every known secret masked before a line is written."""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
from pathlib import Path

MASK = "******"
_secrets: set[str] = set()
_lock = threading.Lock()


def add_secret(value: str | None) -> None:
    """A password, a webhook key or a whole keyed URL: from now on never written to a log as it is."""
    if value and len(value) >= 4:
        with _lock:
            _secrets.add(value)


def redact(text: str) -> str:
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


class Redacting(logging.Filter):
    """Masks secrets in the formatted message (arguments included), and in a traceback's text."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info:
            formatted = logging.Formatter().formatException(record.exc_info)
            record.exc_info, record.exc_text = None, None
            record.msg = f"{record.msg}\n{redact(formatted)}"
        return True


def setup_daemon_logging(log_file: Path, *, verbose: bool = False) -> None:
    """INFO and up from govinspect and the scheduler (Scrapy and the rest only from WARNING) to stdout and a file."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    formatter = logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%Y-%m-%d %H:%M:%S%z")
    handlers: list[logging.Handler] = [
        logging.StreamHandler(sys.stdout),
        logging.handlers.RotatingFileHandler(log_file, maxBytes=10 * 1024 * 1024, backupCount=5, encoding="utf-8"),
    ]
    for handler in handlers:
        handler.setFormatter(formatter)
        handler.addFilter(Redacting())
        if not verbose:
            handler.addFilter(lambda r: r.name.startswith(("govinspect", "apscheduler")) or r.levelno >= logging.WARNING)
    logging.basicConfig(level=logging.INFO, handlers=handlers, force=True)
    logging.getLogger("govinspect").setLevel(logging.DEBUG if verbose else logging.INFO)
    # APScheduler's per-run "Running job"/"executed successfully" lines add nothing to ours, nor do its
    # skipped and missed runs, which the daemon logs (and records) itself.
    logging.getLogger("apscheduler.executors").setLevel(logging.WARNING)
    for handler in handlers:
        handler.addFilter(lambda r: not (r.name.startswith("apscheduler") and isinstance(r.msg, str) and (
            "maximum number of running instances" in r.msg or "was missed by" in r.msg)))
