"""The one retry policy of every task (the project's, Wagtail's): django-tasks marks a
task that raised as failed and never runs it again, so the worker gives it back to the
queue with an exponential back-off until settings.TASK_RETRY["max_attempts"] runs."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.utils import get_module_path
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


class WorkerLost(Exception):
    """Recorded on a task whose worker vanished mid-run."""


def policy(name: str) -> float:
    return float(settings.TASK_RETRY[name])


def delay_before(attempt: int) -> timedelta:
    """The wait before the run that follows `attempt` failed runs (1, 2, 4… × base)."""
    seconds = policy("base_delay") * 2 ** max(attempt - 1, 0)
    return timedelta(seconds=min(seconds, policy("max_delay")))


def retry_or_give_up(result: DBTaskResult) -> bool:
    """After a failed run: back to the queue, later, while attempts remain (True), else
    left failed for staff to see and retry. The last error stays on the row either way."""
    attempts = len(result.worker_ids)
    if attempts >= policy("max_attempts"):
        logger.error(
            "task %s (%s) failed %s times, left failed: %s",
            result.id,
            result.task_path,
            attempts,
            result.exception_class_path,
        )
        return False
    run_after = timezone.now() + delay_before(attempts)
    DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY, run_after=run_after, finished_at=None
    )
    logger.warning(
        "task %s (%s) failed (attempt %s), retried after %s: %s",
        result.id,
        result.task_path,
        attempts,
        run_after.isoformat(timespec="seconds"),
        result.exception_class_path,
    )
    return True


def requeue_stalled() -> int:
    """Tasks left running by a worker that vanished (killed, machine lost) run again; a
    task that keeps killing its worker ends failed like any other. Periodic job."""
    cutoff = timezone.now() - timedelta(seconds=policy("stalled_after"))
    stalled = list(
        DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
    )
    for result in stalled:
        result.status = TaskResultStatus.FAILED
        result.finished_at = timezone.now()
        result.exception_class_path = get_module_path(WorkerLost)
        result.traceback = "Le processus qui exécutait cette tâche s'est arrêté avant la fin."
        DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
            status=result.status,
            finished_at=result.finished_at,
            exception_class_path=result.exception_class_path,
            traceback=result.traceback,
        )
        retry_or_give_up(result)
    return len(stalled)
