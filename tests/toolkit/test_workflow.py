"""Staff write in the Wagtail admin; a submitted edit goes live only once the team approves."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from community.accounts.models import Role
from community.accounts.roles import ROLE_GROUPS
from toolkit.models import Theme, ToolkitPage
from toolkit.workflow import TASK_NAME, WORKFLOW_NAME, ensure_moderation_workflow

pytestmark = pytest.mark.django_db


def edit_form(page: ToolkitPage, title: str, action: str) -> dict[str, object]:
    data = nested_form_data(
        {
            "title": title,
            "slug": page.slug,
            "intro": page.intro,
            "audience": page.audience,
            "stage": page.stage,
            "last_reviewed_on": "2025-11-02",
            "body": streamfield([("paragraph", rich_text("<p>Nouvelle version.</p>"))]),
        }
    )
    data["themes"] = [str(theme.pk) for theme in Theme.objects.filter(slug="financements")]
    data[action] = "1"
    return data


def test_toolkit_index_gets_the_team_review_workflow(index):
    workflow = index.get_workflow()
    assert workflow.name == WORKFLOW_NAME
    task = workflow.tasks.get().specific
    assert task.name == TASK_NAME
    assert list(task.groups.values_list("name", flat=True)) == [ROLE_GROUPS[Role.STAFF]]
    ensure_moderation_workflow()  # idempotent
    assert index.get_workflow().pk == workflow.pk


def test_submitted_edit_is_not_live_until_approved(make_toolkit, staff_user, client_for):
    page = make_toolkit("Version publiée", themes=("financements",))
    assert page.get_workflow().name == WORKFLOW_NAME
    staff = client_for("staff")

    response = staff.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        edit_form(page, "Version en relecture", "action-submit"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    # The site still serves the published version, to everyone.
    content = client_for("anonymous").get(page.url).content.decode()
    assert "Version publiée" in content
    assert "Version en relecture" not in content

    # A member of the "Équipe" group approves: the new version goes live.
    task_state = state.current_task_state
    response = staff.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]),
        {"comment": "Relu, merci !"},
    )
    assert response.status_code in (200, 302), response.content.decode()[:2000]
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    page.refresh_from_db()
    assert page.title == "Version en relecture"
    assert "Nouvelle version." in client_for("anonymous").get(page.url).content.decode()


def test_only_the_team_may_approve(make_toolkit, staff_user, elected_user):
    page = make_toolkit("Version publiée")
    page.title = "Proposition"
    page.save_revision(user=staff_user)
    state = page.get_workflow().start(page, staff_user)
    task = state.current_task_state.task.specific
    assert task.user_can_access_editor(page, staff_user)
    assert "approve" in [name for name, *_ in task.get_actions(page, staff_user)]
    assert task.get_actions(page, elected_user) == []
    assert Group.objects.get(name=ROLE_GROUPS[Role.STAFF]) in task.groups.all()


def test_staff_can_preview_a_draft(make_toolkit, client_for):
    page = make_toolkit("Fiche en préparation", live=False)
    response = client_for("staff").get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))
    assert response.status_code == 200
    assert "Fiche en préparation" in response.content.decode()
