"""Slots of a politeness group and the lock on a site's shard: dramatiq's ConcurrentRateLimiter, kept as leases.

dramatiq's limiter is one counter per key whose time-to-live every acquire refreshes: a worker killed while
holding a slot would keep it as long as the group stays busy, and a job that outlives the time-to-live would
lose it. So a group of N concurrent requests is N keys of limit 1, a job takes as many as its audit sends at
once (its concurrency_per_host), and a thread renews their time-to-live while the job runs: a dead worker's
slots come back one lease later, a live one's never lapse.
"""

from __future__ import annotations

import random
import threading
from contextlib import ExitStack, contextmanager
from typing import Iterator

import redis
from dramatiq.rate_limits import ConcurrentRateLimiter
from dramatiq.rate_limits.backends import RedisBackend


class Leases:
    def __init__(self, backend: RedisBackend, namespace: str, lease_seconds: float):
        self.backend = backend
        self.namespace = namespace
        self.ttl = int(lease_seconds * 1000)

    def _limiter(self, name: str) -> ConcurrentRateLimiter:
        return ConcurrentRateLimiter(self.backend, f"{self.namespace}:{name}", limit=1, ttl=self.ttl)

    @contextmanager
    def hold(self, names: list[str], need: int) -> Iterator[bool]:
        """Take `need` of the named slots (each a mutex) and keep them renewed; yields False when too few are free."""
        with ExitStack() as stack:
            held = []
            for name in random.sample(names, len(names)):  # spread the takers over the slots
                limiter = self._limiter(name)
                if stack.enter_context(limiter.acquire(raise_on_failure=False)):
                    held.append(limiter.key)
                    if len(held) == need:
                        break
            if len(held) < need:
                yield False  # the ExitStack gives back what was taken
                return
            stop = threading.Event()
            renewer = threading.Thread(target=self._renew, args=(held, stop), name="lease-renewer", daemon=True)
            renewer.start()
            try:
                yield True
            finally:
                stop.set()
                renewer.join()

    def _renew(self, keys: list[str], stop: threading.Event) -> None:
        while not stop.wait(self.ttl / 4000):
            for key in keys:
                try:
                    self.backend.client.pexpire(key, self.ttl)
                except redis.RedisError:  # Redis restarting: the next round renews; the keys outlive a short outage
                    continue
