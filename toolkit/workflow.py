"""The moderation workflow of toolkits: staff draft, the "Équipe" group reviews, then publish."""

from __future__ import annotations

from django.contrib.auth.models import Group
from wagtail.models import GroupApprovalTask, Page, Workflow, WorkflowPage, WorkflowTask

from community.accounts.models import Role
from community.accounts.roles import ROLE_GROUPS

WORKFLOW_NAME = "Relecture des boîtes à outils"
TASK_NAME = "Relecture par l'équipe"


def moderation_workflow() -> Workflow:
    """The workflow and its single review task (idempotent)."""
    reviewers, _ = Group.objects.get_or_create(name=ROLE_GROUPS[Role.STAFF])
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.groups.add(reviewers)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    # Through the model's own manager: Workflow is a ClusterableModel, whose related
    # managers keep new children in memory until the workflow itself is saved.
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    return workflow


def assign_moderation_workflow(index: Page) -> None:
    """Toolkits under this index page go through the review workflow."""
    WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": moderation_workflow()})


def ensure_moderation_workflow(**kwargs) -> None:
    """post_migrate: give every existing toolkit index the workflow (new ones get it on save)."""
    from .models import ToolkitIndexPage

    for index in ToolkitIndexPage.objects.filter(workflowpage__isnull=True):
        assign_moderation_workflow(index)
