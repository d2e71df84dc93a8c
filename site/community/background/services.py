"""Staff actions on background tasks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from community.lib.refusals import DomainError

if TYPE_CHECKING:
    from community.accounts.models import User

RETRY_PERMISSION = "background.retry_task"


class BackgroundError(DomainError):
    """A refused action on a background task, with the French message to show."""


def failed_tasks():
    return DBTaskResult.objects.failed().order_by("-finished_at")


def retry_failed_task(user: User, task_id: str) -> DBTaskResult:
    """« Relancer »: the failed task goes back to the queue now, with a fresh set of
    attempts; a task already retried (or never failed) is refused."""
    if not (user.is_authenticated and user.has_perm(RETRY_PERMISSION)):
        raise BackgroundError(_("Seule l'équipe peut relancer une tâche."))
    with transaction.atomic():
        result = DBTaskResult.objects.select_for_update().filter(pk=task_id).first()
        if result is None:
            raise BackgroundError(_("Cette tâche n'existe pas ou plus."))
        if result.status != TaskResultStatus.FAILED:
            raise BackgroundError(_("Cette tâche n'est pas en échec : elle a déjà été relancée."))
        result.status = TaskResultStatus.READY
        result.run_after = timezone.now()
        result.worker_ids = []
        result.started_at = None
        result.finished_at = None
        result.save(
            update_fields=["status", "run_after", "worker_ids", "started_at", "finished_at"]
        )
    return result
