"""The durable task pipeline: enqueued after commit, run by the worker, retried with an
exponential back-off, left failed after its last attempt; Wagtail's tasks and search
delivery go through it."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from community.background import enqueue_on_commit
from community.background.retry import requeue_stalled
from tests.background import run_worker, tasks

from .jobs import flaky

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("database_tasks")]


def wait_until_due(result: DBTaskResult) -> None:
    result.refresh_from_db()
    time.sleep(max((result.run_after - timezone.now()).total_seconds(), 0) + 0.05)


def test_a_rolled_back_action_enqueues_nothing_and_a_committed_one_waits_for_the_worker():
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(flaky, "annulé", 0)
        raise RuntimeError
    assert not DBTaskResult.objects.exists()

    with transaction.atomic():
        enqueue_on_commit(flaky, "validé", 0)
        assert not DBTaskResult.objects.exists()  # not before the commit
    [result] = tasks()
    assert result.status == TaskResultStatus.READY

    run_worker()
    result.refresh_from_db()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "réussi après 0 échec(s)"


def test_a_failing_task_is_retried_with_a_doubling_delay_until_it_succeeds():
    flaky.enqueue("smtp", 2)
    waits = []
    for _ in range(2):
        run_worker()
        [result] = tasks()
        assert result.status == TaskResultStatus.READY  # back in the queue, for later
        assert result.exception_class_path == "builtins.ConnectionError"  # the last error
        waits.append((result.run_after - timezone.now()).total_seconds())
        wait_until_due(result)
    run_worker()
    [result] = tasks()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert len(result.worker_ids) == 3
    # 0.2 s then 0.4 s (base_delay 0.2), minus the time the worker took.
    assert 0 < waits[0] <= 0.2 < waits[1] <= 0.4


def test_a_task_that_keeps_failing_ends_failed_after_its_last_attempt():
    flaky.enqueue("toujours", 99)
    for _ in range(4):
        run_worker()
        wait_until_due(tasks()[0])
    [result] = tasks()
    assert result.status == TaskResultStatus.FAILED
    assert len(result.worker_ids) == 4  # TASK_RETRY["max_attempts"]
    assert "service indisponible (essai 4)" in result.traceback
    run_worker()  # nothing runs it again by itself
    result.refresh_from_db()
    assert len(result.worker_ids) == 4


def test_a_task_whose_worker_vanished_runs_again():
    flaky.enqueue("coupé", 0)
    long_ago = timezone.now() - timedelta(hours=1)
    DBTaskResult.objects.update(
        status=TaskResultStatus.RUNNING, started_at=long_ago, worker_ids=["disparu"]
    )
    assert requeue_stalled() == 1
    [result] = tasks()
    assert result.status == TaskResultStatus.READY
    wait_until_due(result)
    run_worker()
    result.refresh_from_db()
    assert result.status == TaskResultStatus.SUCCESSFUL


def test_wagtail_tasks_go_through_the_queue():
    from community.home.models import HomePage

    home = HomePage.objects.get()
    home.title = "Accueil du réseau"
    home.save()
    assert tasks("update_reference_index_task")
    run_worker()
    assert {r.status for r in tasks("update_reference_index_task")} == {TaskResultStatus.SUCCESSFUL}
