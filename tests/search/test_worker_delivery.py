"""Search delivery happens in the task worker: a change only records its outbox row and
enqueues a delivery; with Meilisearch down nothing is lost, and the periodic search_sync
job catches up once it answers again."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django_tasks import TaskResultStatus

from community.lib import searchable
from search.indexing import sync
from search.models import PendingOperation, SearchDocument
from tests.background import database_tasks, run_worker, tasks  # noqa: F401  (a fixture)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.meilisearch,
    pytest.mark.usefixtures("database_tasks"),
]


def test_the_worker_delivers_and_the_outbox_catches_up_after_an_outage(
    meili, settings, make_toolkit
):
    live_url = settings.MEILISEARCH_URL
    settings.MEILISEARCH_URL = "http://127.0.0.1:9"  # Meilisearch down: nothing listens
    page = make_toolkit("Ouvrir une épicerie dans le café")
    doc_id = searchable.types()["toolkit"].document_id(page.pk)
    # The save only recorded the change and enqueued its delivery.
    assert PendingOperation.objects.filter(object_pk=str(page.pk)).exists()
    assert not SearchDocument.objects.filter(object_pk=str(page.pk)).exists()
    assert tasks("deliver_operations")

    run_worker()
    # The worker found Meilisearch down: the operation stays in the outbox; the database
    # copy (the fallback search) is up to date already; the task itself did not fail.
    assert PendingOperation.objects.filter(object_pk=str(page.pk)).exists()
    assert SearchDocument.objects.filter(object_pk=str(page.pk)).exists()
    assert {r.status for r in tasks("deliver_operations")} == {TaskResultStatus.SUCCESSFUL}

    settings.MEILISEARCH_URL = live_url
    assert sync(all_due=False)["failed"] == 0  # what the periodic search_sync job runs
    assert not PendingOperation.objects.exists()
    assert doc_id in meili.get_document_ids()


def test_with_meilisearch_up_the_worker_delivers_at_once(meili, make_toolkit):
    page = make_toolkit("Accueillir une agence postale")
    run_worker()
    assert not PendingOperation.objects.exists()
    assert searchable.types()["toolkit"].document_id(page.pk) in meili.get_document_ids()


def test_search_ensure_index_builds_a_missing_index_and_completes_one_behind(
    meili, settings, make_toolkit
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    first = make_toolkit("Créer un point lecture")  # enqueued, never delivered: no worker
    assert not meili.index_exists(meili.live_uid)
    call_command("search_ensure_index", stdout=StringIO())
    assert searchable.types()["toolkit"].document_id(first.pk) in meili.get_document_ids()

    call_command("search_ensure_index", stdout=(out := StringIO()))
    assert "Index de recherche à jour." in out.getvalue()

    # Behind: a document missing from Meilisearch (lost while it was being replaced, say).
    meili.wait(meili.delete(meili.live_uid, [searchable.types()["toolkit"].document_id(first.pk)]))
    call_command("search_ensure_index", stdout=(out := StringIO()))
    assert "Index de recherche reconstruit." in out.getvalue()
    assert searchable.types()["toolkit"].document_id(first.pk) in meili.get_document_ids()
