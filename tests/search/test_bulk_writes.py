"""Bulk writes (imports) send no signal: their writer marks the rows stale in one call, and
the search index follows after commit through one outbox write and one delivery task."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from community.lib import searchable
from community.places.models import Cafe, Stage
from search.indexing import sync
from search.models import PendingOperation
from tests.background import run_worker, tasks
from tests.factories import make_commune
from tests.search.engines import titles

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.meilisearch]

# More than one delivery batch (search.indexing.DELIVERY_BATCH, 500).
MANY = 520


def test_a_bulk_write_of_many_cafes_is_found_after_one_delivery_task(worker_meili):
    commune = make_commune("Lautrec")
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        cafes = Cafe.objects.bulk_create(
            Cafe(name=f"Café numéro {n}", commune=commune, stage=Stage.OPERATION)
            for n in range(MANY)
        )
        searchable.mark_stale(Cafe, [cafe.pk for cafe in cafes])
    outbox_writes = [
        q for q in queries if q["sql"].startswith('INSERT INTO "search_pendingoperation"')
    ]
    # One statement on PostgreSQL; SQLite caps the parameters of one statement (999).
    assert len(outbox_writes) == (1 if connection.vendor == "postgresql" else 4)
    assert PendingOperation.objects.count() == MANY
    assert len(tasks("deliver_operations")) == 1

    run_worker()
    assert not PendingOperation.objects.exists()
    assert worker_meili.get_document_ids() >= {
        searchable.types()["cafe"].document_id(cafe.pk) for cafe in cafes
    }
    assert "Café numéro 519, Lautrec" in titles(Client(), "numéro 519")


def test_marking_nothing_writes_nothing(worker_meili):
    with CaptureQueriesContext(connection) as queries:
        searchable.mark_stale(Cafe, [])
    assert len(queries) == 0
    assert not tasks("deliver_operations")


def open_cafes(*names: str) -> list[Cafe]:
    commune = make_commune("Lautrec")
    return Cafe.objects.bulk_create(
        Cafe(name=name, commune=commune, stage=Stage.OPERATION) for name in names
    )


def test_cafes_unpublished_in_bulk_leave_the_index(worker_meili):
    cafes = open_cafes("Le Relais du Lautrécois", "La Halte du Lautrécois")
    searchable.mark_stale(Cafe, [cafe.pk for cafe in cafes])
    run_worker()
    assert len(titles(Client(), "Lautrécois")) == 2

    with transaction.atomic():
        Cafe.objects.filter(pk=cafes[0].pk).update(is_published=False)
        searchable.mark_stale(Cafe, [cafes[0].pk])
    run_worker()
    assert titles(Client(), "Lautrécois") == ["La Halte du Lautrécois, Lautrec"]


def test_a_bulk_write_while_meilisearch_is_down_is_delivered_once_it_is_back(
    worker_meili, settings
):
    live = settings.MEILISEARCH_URL
    settings.MEILISEARCH_URL = "http://127.0.0.1:9"  # nothing listens
    cafes = open_cafes("Le Relais du Lautrécois")
    searchable.mark_stale(Cafe, [cafe.pk for cafe in cafes])
    run_worker()
    assert PendingOperation.objects.count() == 1  # postponed, not lost

    settings.MEILISEARCH_URL = live
    sync(all_due=False)  # what the periodic search_sync job runs
    assert not PendingOperation.objects.exists()
    assert titles(Client(), "Lautrécois") == ["Le Relais du Lautrécois, Lautrec"]
