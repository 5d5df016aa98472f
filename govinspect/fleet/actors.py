"""The queue: Dramatiq on Redis, one crawl actor (a site's audit) and one ingest actor (the single writer).

Workers find their fleet.toml in GOVINSPECT_FLEET_CONFIG (`govinspect fleet worker` and `fleet ingest` set
it); `setup()` builds the broker from it, which is what `dramatiq govinspect.fleet.actors:setup` calls.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass

import dramatiq
import redis
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import CurrentMessage
from dramatiq.rate_limits.backends import RedisBackend
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from govinspect.config import ConfigError
from govinspect.fleet.board import Board
from govinspect.fleet.config import FleetConfig, load_fleet_config
from govinspect.fleet.job import DeadLetter, run_audit
from govinspect.fleet.leases import Leases

CONFIG_ENV = "GOVINSPECT_FLEET_CONFIG"
CRAWL_QUEUE, INGEST_QUEUE = "crawl", "ingest"
# Maintenance (re-queueing a dead worker's messages) runs on this share of broker commands, per million, and only
# for the queue the command is about (dispatch.lua): a crawl job is recovered when a worker next polls the crawl
# queue, about once a second per idle thread. One in ten finds a dead worker within seconds of its heartbeat
# lapsing (dramatiq's default, one in a thousand, takes many minutes); the scan is a sorted-set range, cheap.
MAINTENANCE_CHANCE = 100000
log = logging.getLogger("govinspect.fleet")


@dataclass
class Fleet:
    config: FleetConfig
    broker: RedisBroker
    board: Board
    leases: Leases


_fleet: Fleet | None = None


def setup(config_path: str | None = None) -> Fleet:
    """The broker, the status board and the leases of one fleet.toml; the actors are declared on the broker."""
    global _fleet
    config = load_fleet_config(config_path or os.environ[CONFIG_ENV])
    heartbeat_ms = int(config.fleet.heartbeat_seconds * 1000)
    # Every command (dramatiq's acks, the board, the leases) rides out a Redis restart of up to ~30 s: a job that
    # ends while Redis is away would otherwise fail its acknowledgement and sit in a live worker's ack set.
    client = redis.Redis.from_url(config.fleet.redis_url, retry=Retry(ExponentialBackoff(cap=2, base=0.1), 20),
                                  retry_on_error=[redis.ConnectionError, redis.TimeoutError])
    broker = RedisBroker(client=client, namespace=f"govinspect-{config.fleet.name}",
                         heartbeat_timeout=heartbeat_ms, maintenance_chance=MAINTENANCE_CHANCE)
    broker.add_middleware(CurrentMessage())
    dramatiq.set_broker(broker)
    # A job's locks outlive a missed renewal or two, and come back soon after a worker dies with them.
    leases = Leases(RedisBackend(client=broker.client), f"govinspect-{config.fleet.name}:lease",
                    lease_seconds=2 * config.fleet.heartbeat_seconds)
    _fleet = Fleet(config, broker, Board(broker.client, config.fleet.name), leases)
    budget_ms = int((config.fleet.time_budget_minutes * 60 + config.fleet.stop_grace_seconds + 600) * 1000)
    # Politeness waits and crashes are retried (the job counts its crashes itself and gives up after max_attempts,
    # see audit_site); dead letters (`throws`) never are.
    dramatiq.actor(audit_site, actor_name="audit_site", queue_name=CRAWL_QUEUE, broker=broker,
                   time_limit=budget_ms, throws=(DeadLetter,),
                   retry_when=lambda retries, error: not isinstance(error, DeadLetter),
                   min_backoff=5000, max_backoff=300000)
    dramatiq.actor(ingest_site, actor_name="ingest_site", queue_name=INGEST_QUEUE, broker=broker,
                   time_limit=3600 * 1000, max_retries=3, min_backoff=5000)
    return _fleet


def current() -> Fleet:
    if _fleet is None:
        return setup()
    return _fleet


def audit_site(key: str) -> None:
    """Audit one site into its shard, then hand the shard to the ingest queue."""
    fleet = current()
    message = CurrentMessage.get_current_message()
    config = fleet.config
    record = fleet.board.get(key)
    if record.get("state") == "done" and record.get("message_id") == message.message_id:
        # Redelivered after it finished (the worker died before the acknowledgement): hand over again only.
        fleet.broker.get_actor("ingest_site").send(key)
        return
    try:
        entry = config.site(key)
        site_config = config.site_config(entry)
        group = config.politeness_group(site_config)
        if site_config.crawl.concurrency_per_host > group.concurrency:
            raise ConfigError(site_config.source, "crawl.concurrency_per_host",
                              f"{site_config.crawl.concurrency_per_host} is more than its politeness group "
                              f"{group.name} allows ({group.concurrency} requests at once)")
        config_file = config.site_config_file(entry)
    except ConfigError as error:
        fleet.board.update(key, state="failed", error=str(error), message_id=message.message_id)
        raise DeadLetter(str(error)) from None
    slots = [f"group:{group.name}:{i}" for i in range(group.concurrency)]
    with fleet.leases.hold([f"site:{key}"], 1) as shard_free, \
            fleet.leases.hold(slots, site_config.crawl.concurrency_per_host) as polite:
        if not (shard_free and polite):
            fleet.board.update(key, state="queued", waiting=group.name if shard_free else "shard in use")
            raise dramatiq.Retry(delay=int(config.fleet.politeness_retry_seconds * 1000))
        fleet.board.update(key, state="running", worker=f"{socket.gethostname()}:{os.getpid()}", waiting=None,
                           attempts=fleet.board.get(key).get("attempts", 0) + 1, message_id=message.message_id)
        try:
            outcome = run_audit(config, entry, config_file, config.shards / f"{key}.log")
        except DeadLetter as error:
            fleet.board.update(key, state="failed", error=str(error))
            raise
        except Exception as error:  # AuditCrashed, or the shard or its log unreadable: another attempt may do
            crashes = fleet.board.get(key).get("crashes", 0) + 1
            if crashes >= config.fleet.max_attempts:
                fleet.board.update(key, state="failed", crashes=crashes, error=f"{crashes} 次尝试均异常结束：{error}")
                raise DeadLetter(str(error)) from None
            fleet.board.update(key, state="queued", crashes=crashes, error=str(error))
            raise
    fleet.board.update(key, state="done", health=outcome.health, exit_code=outcome.exit_code, run_id=outcome.run_id,
                       pages=outcome.pages, seconds=round(outcome.seconds, 1), error=None, ingested=False)
    fleet.broker.get_actor("ingest_site").send(key)


def ingest_site(key: str) -> None:
    """Merge one site's shard into the fleet database (only `govinspect fleet ingest` consumes this queue)."""
    from govinspect.fleet.ingest import ingest_shard

    fleet = current()
    entry = fleet.config.site(key)
    result = ingest_shard(fleet.config.database, fleet.config.shard(key), key=key, group=entry.group,
                          keep_runs=fleet.config.fleet.keep_runs)
    record = fleet.board.get(key)
    fleet.board.update(key, ingested=True, ingests=record.get("ingests", 0) + 1, ingested_runs=result.runs_copied,
                       ingested_pages=result.pages_copied)
    log.info("ingested %s: %d runs, %d pages copied", key, result.runs_copied, result.pages_copied)


def enqueue(fleet: Fleet, keys: list[str]) -> list[str]:
    """Queue an audit of each site not already queued or running; the keys queued."""
    queued = []
    actor = fleet.broker.get_actor("audit_site")
    for key in keys:
        if fleet.board.get(key).get("state") in ("queued", "running"):
            continue
        # The board first: a worker may take the message at once and must not be overwritten by "queued".
        fleet.board.update(key, state="queued", error=None, health=None, attempts=0, crashes=0, ingested=False,
                           ingests=0, waiting=None)
        fleet.board.update(key, message_id=actor.send(key).message_id)
        queued.append(key)
    return queued
