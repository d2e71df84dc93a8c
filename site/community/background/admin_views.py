"""« Tâches en échec » in the Wagtail admin: what kept failing, and « Relancer »."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Count
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from community.lib.admin_screens import AdminScreen
from community.lib.refusals import refusal_as_message

from .services import RETRY_PERMISSION, failed_tasks, retry_failed_task

SHOWN = 200


class FailedTasksView(AdminScreen):
    permission_required = RETRY_PERMISSION
    template_name = "background/admin/failed_tasks.html"
    page_title = gettext_lazy("Tâches en échec")
    header_icon = "warning"

    def get_context_data(self, **kwargs):
        counts = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("pk")).order_by())
        failed = list(failed_tasks()[:SHOWN])
        for result in failed:
            lines = result.traceback.strip().splitlines()
            result.last_error = lines[-1] if lines else result.exception_class_path
        return super().get_context_data(
            failed=failed,
            failed_count=counts.get(TaskResultStatus.FAILED, 0),
            waiting_count=counts.get(TaskResultStatus.READY, 0),
            running_count=counts.get(TaskResultStatus.RUNNING, 0),
            **kwargs,
        )


@require_POST
@permission_required(RETRY_PERMISSION, raise_exception=True)
def retry(request, task_id: uuid.UUID):
    with refusal_as_message(request):
        result = retry_failed_task(request.user, str(task_id))
        messages.success(request, _("Tâche « %(name)s » relancée.") % {"name": result.task_name})
    return redirect("background_admin:failed")
