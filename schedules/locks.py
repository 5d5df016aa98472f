"""Advisory file locks: one scheduled run of a site per database at a time, one daemon per job store.

`flock` locks belong to the open file, so the kernel drops them when their holder dies, however it dies:
no stale lock to clean up after a crash. A lock file is never deleted (that would race); it holds the
holder's description for whoever finds it taken.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import socket
import time
from pathlib import Path


def site_key(base_url: str) -> str:
    return hashlib.sha1(base_url.encode("utf-8")).hexdigest()[:12]


def daemon_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class FileLock:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._file = None

    def acquire(self, holder: str) -> bool:
        """Take the lock without waiting; False when someone else holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="utf-8")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(holder + "\n")
        handle.flush()
        self._file = handle
        return True

    def holder(self) -> str:
        """Who holds it, as they wrote it (a holder that just took the lock may not have written yet)."""
        for _ in range(20):
            try:
                text = self.path.read_text(encoding="utf-8").strip()
            except OSError:
                text = ""
            if text:
                return text
            time.sleep(0.05)
        return "unknown"

    def fileno(self) -> int:
        assert self._file is not None
        return self._file.fileno()

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None

    def __enter__(self) -> "FileLock":
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def site_lock(db_path: str | Path, base_url: str) -> FileLock:
    """The lock that keeps two daemons (or two jobs of one) from running one site of one database at once."""
    db = Path(db_path).resolve()
    return FileLock(db.parent / f"{db.name}.locks" / f"site-{site_key(base_url)}.lock")
