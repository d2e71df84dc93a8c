"""Periodic work is scheduled by the platform: each job runs once per period, however many
workers run (threads and real worker processes, on SQLite and PostgreSQL)."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus

from community.background.models import PeriodicJob
from community.background.periodic import configured_jobs, run_due_jobs
from tests.background import run_worker, tasks
from tests.concurrency import run_at_once
from tests.processes import logs, stop, worker_env

ROOT = Path(__file__).resolve().parents[2]
TICK = {"tick": {"call": "tests.tasks.jobs.tick", "every": 60}}


def paris(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def test_every_registered_job_names_a_function():
    for name, job in configured_jobs().items():
        assert callable(import_string(job.call)), name


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (paris(2026, 3, 2, 6, 59), paris(2026, 3, 2, 7, 0)),
        (paris(2026, 3, 2, 7, 0), paris(2026, 3, 3, 7, 0)),
        (paris(2026, 3, 28, 23, 0), paris(2026, 3, 29, 7, 0)),  # across the change to CEST
    ],
)
def test_a_daily_job_runs_at_its_local_hour(settings, now, expected):
    settings.PERIODIC_JOBS = {"digest": {"call": "x.y", "daily_at": "07:00"}}
    assert configured_jobs()["digest"].next_after(now) == expected


def test_a_job_needs_one_schedule(settings):
    settings.PERIODIC_JOBS = {"digest": {"call": "x.y"}}
    with pytest.raises(ValueError, match="exactly one of every, daily_at"):
        configured_jobs()


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_claim_a_due_job_once(database_tasks, settings):
    settings.PERIODIC_JOBS = TICK
    claims = run_at_once([run_due_jobs] * 2)
    assert sorted(claims, key=len) == [[], ["tick"]]
    assert len(tasks("run_periodic_job")) == 1
    # Not again in the same period.
    assert run_due_jobs() == []
    run_worker()
    [run] = tasks("run_periodic_job")
    assert run.status == TaskResultStatus.SUCCESSFUL
    job = PeriodicJob.objects.get(name="tick")
    assert job.leased_until is None and job.last_error == ""
    # The next period is another run.
    assert run_due_jobs(now=job.next_run_at) == ["tick"]


@pytest.mark.django_db(transaction=True)
def test_a_run_still_queued_holds_its_job_until_its_lease_expires(database_tasks, settings):
    settings.PERIODIC_JOBS = TICK
    now = timezone.now()
    assert run_due_jobs(now) == ["tick"]
    # The worker that took it vanished: a period later the lease still holds the job…
    assert run_due_jobs(now + timedelta(minutes=2)) == []
    # …until it expires (30 minutes by default).
    assert run_due_jobs(now + timedelta(minutes=31)) == ["tick"]


@pytest.mark.django_db(transaction=True)
def test_a_failing_job_records_its_error_and_frees_its_lease(database_tasks, settings):
    settings.PERIODIC_JOBS = {"broken": {"call": "tests.tasks.jobs.broken", "every": 60}}
    run_due_jobs()
    run_worker()
    job = PeriodicJob.objects.get(name="broken")
    assert "le service de test a refusé" in job.last_error
    assert job.leased_until is None
    [run] = tasks("run_periodic_job")
    assert run.status == TaskResultStatus.READY  # retried by the worker, like any task


def _start_worker(folder: Path, name: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable, "manage.py", "run_worker", "--no-reload", "--no-startup-delay",
            "--interval", "0.2", "--scheduler-interval", "0.1", "--worker-id", name,
        ],
        cwd=ROOT,
        env=worker_env(folder, "tests.tasks.worker_settings"),
        stdout=(folder / f"{name}.log").open("w"),
        stderr=subprocess.STDOUT,
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_run_a_job_once_per_period(tmp_path):
    workers = [_start_worker(tmp_path, name) for name in ("worker-a", "worker-b")]
    try:
        deadline = time.monotonic() + 120
        while not tasks("run_periodic_job") and time.monotonic() < deadline:
            assert all(w.poll() is None for w in workers), logs(tmp_path)
            time.sleep(0.2)
        time.sleep(9)  # both workers scheduling every 0.1 s: about four periods of 2 s
        assert all(w.poll() is None for w in workers), logs(tmp_path)
    finally:
        stop(*workers, timeout=30)
    runs = tasks("run_periodic_job")
    starts = [run.enqueued_at.astimezone(UTC) for run in runs]
    gaps = [(b - a).total_seconds() for a, b in zip(starts, starts[1:], strict=False)]
    assert 4 <= len(runs) <= 7, logs(tmp_path)
    # Never two runs in one period: a second claim of the same period would enqueue within
    # milliseconds of the first. Claims are 2 s apart; each enqueue follows its claim after
    # a delay that varies with the machine's load (0.11 s seen on a busy CI run).
    assert min(gaps) >= 1.5, gaps
    assert {run.status for run in runs[:-1]} == {TaskResultStatus.SUCCESSFUL}
