"""The workspace's local accounts and sessions: argon2 password hashes, server-side sessions, login rate limits."""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
from collections import deque
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from govinspect.store import Store, now_iso

ROLES = ("editor", "viewer")
ROLE_ZH = {"editor": "编辑（可处理问题）", "viewer": "只读"}
SESSION_HOURS = 12
MIN_PASSWORD = 8
NAME = re.compile(r"^[\w.@-]{1,64}$")
_HASHER = PasswordHasher()  # argon2id with the library's current recommended cost


class AccountError(ValueError):
    """A user name, role or password that cannot be used: the message says which and why."""


def has_users(store: Store) -> bool:
    return store.db.execute("select exists (select 1 from users)").fetchone()[0] == 1


def add_user(store: Store, name: str, role: str, password: str) -> None:
    if not NAME.match(name):
        raise AccountError(f"user name {name!r}: use 1–64 letters, digits, '.', '@', '_' or '-'")
    if role not in ROLES:
        raise AccountError(f"--role: one of {', '.join(ROLES)}, not {role!r}")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"password: at least {MIN_PASSWORD} characters")
    with store.db.atomic():
        if store.db.execute("select 1 from users where name = ?", [name]).fetchone():
            raise AccountError(f"user {name!r} exists already (remove it first to change it)")
        store.db["users"].insert({"name": name, "role": role, "password_hash": _HASHER.hash(password),
                                  "created_at": now_iso()})


def remove_user(store: Store, name: str) -> None:
    with store.db.atomic():
        if not store.db.execute("select 1 from users where name = ?", [name]).fetchone():
            raise AccountError(f"no user {name!r}")
        store.db.execute("delete from sessions where user_name = ?", [name])  # signed out at once
        store.db.execute("delete from users where name = ?", [name])


def users(store: Store) -> list[dict]:
    return list(store.db.query("select name, role, created_at from users order by name"))


def authenticate(store: Store, name: str, password: str) -> dict | None:
    row = store.db.execute("select name, role, password_hash from users where name = ?", [name]).fetchone()
    if row is None:
        _HASHER.hash(password)  # as slow as a real check, so timing does not tell which names exist
        return None
    try:
        _HASHER.verify(row[2], password)
    except (VerificationError, InvalidHashError):
        return None
    return {"name": row[0], "role": row[1]}


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def start_session(store: Store, name: str) -> str:
    """A new session for `name`: the cookie's token (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    now = datetime.now(timezone.utc)
    with store.db.atomic():
        store.db.execute("delete from sessions where expires_at < ?", [now.isoformat()])
        store.db["sessions"].insert({"token_hash": _digest(token), "user_name": name,
                                     "csrf": secrets.token_urlsafe(32), "created_at": now.isoformat(),
                                     "expires_at": (now + timedelta(hours=SESSION_HOURS)).isoformat()})
    return token


def session_user(store: Store, token: str | None) -> dict | None:
    """The signed-in user of a session token, with the session's CSRF token; None when unknown or expired."""
    if not token:
        return None
    row = store.db.execute(
        "select users.name, users.role, sessions.csrf from sessions join users on users.name = sessions.user_name "
        "where sessions.token_hash = ? and sessions.expires_at > ?",
        [_digest(token), datetime.now(timezone.utc).isoformat()]).fetchone()
    return {"name": row[0], "role": row[1], "csrf": row[2]} if row else None


def end_session(store: Store, token: str | None) -> None:
    if token:
        with store.db.atomic():
            store.db.execute("delete from sessions where token_hash = ?", [_digest(token)])


class LoginLimiter:
    """At most `attempts` failed logins per address and per user name in `window` seconds (in this process)."""

    def __init__(self, attempts: int = 5, window: float = 300.0):
        self.attempts, self.window = attempts, window
        self._failures: dict[str, deque] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque:
        failures = self._failures.setdefault(key, deque())
        while failures and failures[0] < now - self.window:
            failures.popleft()
        return failures

    def blocked(self, *keys: str) -> bool:
        now = time.monotonic()
        with self._lock:
            return any(len(self._recent(key, now)) >= self.attempts for key in keys)

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)
