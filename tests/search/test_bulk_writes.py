"""Bulk writes (imports) send no signal: their writer marks the rows stale in one call, and
the search index follows after commit through one outbox write and one delivery task."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from community.lib import searchable
from community.places.models import Cafe, Stage
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
