"""`govinspect fleet ingest`: the one process that writes the fleet database, consuming the ingest queue."""

from __future__ import annotations

import fcntl
import logging
import signal
import threading

from dramatiq import Worker

from govinspect.fleet.actors import INGEST_QUEUE, Fleet

log = logging.getLogger("govinspect.fleet")


def run_ingest_worker(fleet: Fleet) -> None:
    """Consume the ingest queue with one thread until SIGINT or SIGTERM; a second writer is refused
    (BlockingIOError) by a lock beside the fleet database."""
    database = fleet.config.database
    database.parent.mkdir(parents=True, exist_ok=True)
    with open(database.with_name(database.name + ".ingest.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        # One thread, one message at a time: merges are serial by construction, not by luck.
        worker = Worker(fleet.broker, queues={INGEST_QUEUE}, worker_threads=1)
        worker.queue_prefetch = 1
        worker.start()
        log.info("ingest: writing %s", database)
        stop.wait()
        log.info("ingest: stopping after the current merge")
        worker.stop()
