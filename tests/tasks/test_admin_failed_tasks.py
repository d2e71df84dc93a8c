"""« Tâches en échec » in the Wagtail admin: staff see what kept failing and « Relancer »
it; nobody else sees or retries anything."""

from __future__ import annotations

import html

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.background import run_worker, tasks
from tests.matrix import ROLES, cases, check, wagtail_admin

from .jobs import flaky

URL = "/admin/taches/"
MATRIX = {URL: wagtail_admin()}


def text(response) -> str:
    return html.unescape(response.content.decode())


def failed_task(name: str = "smtp") -> DBTaskResult:
    """A task that failed its last attempt, as the worker leaves it."""
    flaky.enqueue(name, 0)  # succeeds when it runs again
    DBTaskResult.objects.update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        worker_ids=["w1", "w2", "w3", "w4"],
        exception_class_path="builtins.ConnectionError",
        traceback="Traceback (most recent call last):\nConnectionError: serveur SMTP muet",
    )
    return DBTaskResult.objects.get()


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "role", "expected"), cases(MATRIX))
def test_access(client_for, url, role, expected):
    check(client_for(role), url, expected)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in ROLES if r != "staff"])
def test_nobody_but_staff_can_retry(database_tasks, client_for, role):
    result = failed_task()
    response = client_for(role).post(f"{URL}{result.pk}/relancer/")
    assert response.status_code in (302, 403)
    result.refresh_from_db()
    assert result.status == TaskResultStatus.FAILED


@pytest.mark.django_db(transaction=True)
def test_staff_see_a_failed_task_and_retry_it(database_tasks, client_for):
    result = failed_task()
    client = client_for("staff")
    page = client.get(URL).content.decode()
    assert "1 tâche en échec après toutes ses tentatives." in page
    assert "tests.tasks.jobs.flaky" in page
    assert "ConnectionError: serveur SMTP muet" in page
    assert "Relancer" in page

    response = client.post(f"{URL}{result.pk}/relancer/", follow=True)
    assert "Tâche « flaky » relancée." in response.content.decode()
    result.refresh_from_db()
    assert result.status == TaskResultStatus.READY
    assert result.worker_ids == []  # a fresh set of attempts

    run_worker()
    [retried] = tasks()
    assert retried.status == TaskResultStatus.SUCCESSFUL
    assert "Aucune tâche en échec." in client.get(URL).content.decode()


@pytest.mark.django_db
def test_retrying_a_task_that_is_not_failed_says_so(database_tasks, client_for):
    flaky.enqueue("attente", 0)
    [waiting] = tasks()
    response = client_for("staff").post(f"{URL}{waiting.pk}/relancer/", follow=True)
    assert "Cette tâche n'est pas en échec : elle a déjà été relancée." in text(response)
    waiting.refresh_from_db()
    assert waiting.status == TaskResultStatus.READY


@pytest.mark.django_db
def test_retrying_an_unknown_task_says_so(client_for):
    response = client_for("staff").post(
        f"{URL}00000000-0000-0000-0000-000000000000/relancer/", follow=True
    )
    assert "Cette tâche n'existe pas ou plus." in text(response)
