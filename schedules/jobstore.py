"""A persistent APScheduler 3 job store in a SQLite file of its own, on the standard library's sqlite3.

The same table and pickled job states as APScheduler's `SQLAlchemyJobStore` (id, next_run_time as a UTC
timestamp, job_state), without SQLAlchemy. A connection per call: the scheduler thread and the job
threads may call it at once, and `schedule list` may read it from another process.
"""

from __future__ import annotations

import pickle
import sqlite3
from contextlib import closing, contextmanager
from pathlib import Path

from apscheduler.job import Job
from apscheduler.jobstores.base import BaseJobStore, ConflictingIdError, JobLookupError
from apscheduler.util import datetime_to_utc_timestamp, utc_timestamp_to_datetime

TABLE = "apscheduler_jobs"


class SQLiteJobStore(BaseJobStore):
    def __init__(self, path: str | Path, pickle_protocol: int = pickle.HIGHEST_PROTOCOL):
        super().__init__()
        self.path = Path(path)
        self.pickle_protocol = pickle_protocol

    @contextmanager
    def _connect(self):
        with closing(sqlite3.connect(self.path, timeout=30)) as conn:
            with conn:  # one transaction: committed on success, rolled back on error
                yield conn

    def start(self, scheduler, alias):
        super().start(scheduler, alias)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as conn:
            conn.execute(f"create table if not exists {TABLE} "
                         "(id text primary key, next_run_time real, job_state blob not null)")
            conn.execute(f"create index if not exists ix_{TABLE}_next_run_time on {TABLE} (next_run_time)")

    def lookup_job(self, job_id):
        with self._connect() as conn:
            row = conn.execute(f"select job_state from {TABLE} where id = ?", [job_id]).fetchone()
        return self._reconstitute_job(row[0]) if row else None

    def get_due_jobs(self, now):
        return self._get_jobs("where next_run_time <= ?", [datetime_to_utc_timestamp(now)])

    def get_next_run_time(self):
        with self._connect() as conn:
            row = conn.execute(f"select min(next_run_time) from {TABLE} where next_run_time is not null").fetchone()
        return utc_timestamp_to_datetime(row[0]) if row and row[0] is not None else None

    def get_all_jobs(self):
        jobs = self._get_jobs()
        self._fix_paused_jobs_sorting(jobs)
        return jobs

    def add_job(self, job):
        try:
            with self._connect() as conn:
                conn.execute(f"insert into {TABLE} (id, next_run_time, job_state) values (?, ?, ?)",
                             [job.id, datetime_to_utc_timestamp(job.next_run_time),
                              pickle.dumps(job.__getstate__(), self.pickle_protocol)])
        except sqlite3.IntegrityError:
            raise ConflictingIdError(job.id) from None

    def update_job(self, job):
        with self._connect() as conn:
            cursor = conn.execute(f"update {TABLE} set next_run_time = ?, job_state = ? where id = ?",
                                  [datetime_to_utc_timestamp(job.next_run_time),
                                   pickle.dumps(job.__getstate__(), self.pickle_protocol), job.id])
        if cursor.rowcount == 0:
            raise JobLookupError(job.id)

    def remove_job(self, job_id):
        with self._connect() as conn:
            cursor = conn.execute(f"delete from {TABLE} where id = ?", [job_id])
        if cursor.rowcount == 0:
            raise JobLookupError(job_id)

    def remove_all_jobs(self):
        with self._connect() as conn:
            conn.execute(f"delete from {TABLE}")

    def _reconstitute_job(self, job_state):
        state = pickle.loads(job_state)
        state["jobstore"] = self
        job = Job.__new__(Job)
        job.__setstate__(state)
        job._scheduler = self._scheduler
        job._jobstore_alias = self._alias
        return job

    def _get_jobs(self, where: str = "", params: list | None = None) -> list[Job]:
        jobs, failed = [], []
        with self._connect() as conn:
            # Paused jobs (no next run time) last, as APScheduler's own stores order them.
            rows = conn.execute(f"select id, job_state from {TABLE} {where} "
                                "order by next_run_time is null, next_run_time", params or []).fetchall()
            for job_id, state in rows:
                try:
                    jobs.append(self._reconstitute_job(state))
                except BaseException:
                    self._logger.exception('Unable to restore job "%s" -- removing it', job_id)
                    failed.append(job_id)
            if failed:
                conn.executemany(f"delete from {TABLE} where id = ?", [[job_id] for job_id in failed])
        return jobs

    def __repr__(self):
        return f"<{type(self).__name__} ({self.path})>"
