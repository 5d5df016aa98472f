"""Each site's place in tonight's work, kept in Redis beside the queue: queued, running, done or failed."""

from __future__ import annotations

import json

import redis

from govinspect.store import now_iso

STATES = ("queued", "running", "done", "failed")
STATE_ZH = {"queued": "排队中", "running": "检查中", "done": "已完成", "failed": "失败（死信）"}


class Board:
    """One Redis hash per fleet: site key → its latest state as JSON. Redis's append-only file keeps it."""

    def __init__(self, client: redis.Redis, fleet_name: str):
        self.client = client
        self.key = f"govinspect:fleet:{fleet_name}:sites"

    def get(self, site: str) -> dict:
        raw = self.client.hget(self.key, site)
        return json.loads(raw) if raw else {}

    def update(self, site: str, **fields) -> dict:
        """Merge fields into a site's record atomically (two workers never lose each other's fields)."""
        with self.client.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(self.key)
                    raw = pipe.hget(self.key, site)
                    record = {**(json.loads(raw) if raw else {}), **fields, "updated_at": now_iso()}
                    pipe.multi()
                    pipe.hset(self.key, site, json.dumps(record, ensure_ascii=False))
                    pipe.execute()
                    return record
                except redis.WatchError:
                    continue

    def all(self) -> dict[str, dict]:
        return {k.decode(): json.loads(v) for k, v in self.client.hgetall(self.key).items()}
