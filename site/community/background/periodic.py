"""Periodic work scheduled by the platform itself: settings.PERIODIC_JOBS, run by the
task worker (manage.py run_worker), once per period however many workers run.

Each job is a dotted path to a function without arguments and either ``every`` (seconds)
or ``daily_at`` ("HH:MM", local time)::

    PERIODIC_JOBS = {
        "search_sync": {"call": "search.indexing.sync", "every": 60},
        "forum_digest": {"call": "forum.services.send_daily_digests", "daily_at": "07:00"},
    }

Every worker calls ``run_due_jobs()`` every few seconds. A due job is claimed by one
conditional UPDATE of its PeriodicJob row (next_run_at moves to the next period, a lease
is taken), and the task that runs it is enqueued in the same transaction: on both
databases only one worker's UPDATE matches, and a claim never exists without its task.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from .models import PeriodicJob

logger = logging.getLogger(__name__)

# A run queued or running holds its job this long at most: a worker killed mid-run
# delays the next run by this much, no more.
DEFAULT_LEASE = timedelta(minutes=30)


@dataclass(frozen=True)
class Job:
    name: str
    call: str
    every: timedelta | None = None
    daily_at: time | None = None
    lease: timedelta = DEFAULT_LEASE

    def next_after(self, moment: datetime) -> datetime:
        if self.every is not None:
            return moment + self.every
        local = timezone.localtime(moment)
        candidate = local.replace(
            hour=self.daily_at.hour, minute=self.daily_at.minute, second=0, microsecond=0
        )
        if candidate <= local:
            candidate = timezone.make_aware(
                datetime.combine(local.date() + timedelta(days=1), self.daily_at)
            )
        return candidate

    def first_run(self, now: datetime) -> datetime:
        """A job seen for the first time: interval jobs run at once, daily ones at their
        next hour."""
        return now if self.every is not None else self.next_after(now)


def configured_jobs() -> dict[str, Job]:
    jobs = {}
    for name, spec in settings.PERIODIC_JOBS.items():
        every = spec.get("every")
        daily_at = spec.get("daily_at")
        if (every is None) == (daily_at is None):
            raise ValueError(f"PERIODIC_JOBS[{name!r}]: give exactly one of every, daily_at")
        jobs[name] = Job(
            name=name,
            call=spec["call"],
            every=timedelta(seconds=every) if every is not None else None,
            daily_at=time.fromisoformat(daily_at) if daily_at is not None else None,
            lease=timedelta(seconds=spec.get("lease", DEFAULT_LEASE.total_seconds())),
        )
    return jobs


def run_due_jobs(now: datetime | None = None) -> list[str]:
    """Claim and enqueue the jobs due now; returns the names this caller claimed."""
    now = now or timezone.now()
    jobs = configured_jobs()
    PeriodicJob.objects.bulk_create(
        [PeriodicJob(name=job.name, next_run_at=job.first_run(now)) for job in jobs.values()],
        ignore_conflicts=True,
    )
    claimed = []
    for job in jobs.values():
        with transaction.atomic():
            won = (
                PeriodicJob.objects.filter(name=job.name, next_run_at__lte=now)
                .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
                .update(next_run_at=job.next_after(now), leased_until=now + job.lease)
            )
            if won:
                run_periodic_job.enqueue(job.name)
                claimed.append(job.name)
    return claimed


@task()
def run_periodic_job(name: str) -> object:
    job = configured_jobs()[name]
    rows = PeriodicJob.objects.filter(name=name)
    rows.update(last_started_at=timezone.now())
    try:
        outcome = import_string(job.call)()
    except Exception as error:
        rows.update(leased_until=None, last_finished_at=timezone.now(), last_error=repr(error))
        raise  # the worker retries it; the next period runs anyway
    rows.update(leased_until=None, last_finished_at=timezone.now(), last_error="")
    logger.info("periodic job %s done: %s", name, outcome)
    return outcome
