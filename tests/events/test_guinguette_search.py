"""The Guinguette mobile's coming evenings are in the site search as the public agenda lists
them: confirmed and public, with their commune, date and programme, leading to the agenda's
entry; on Meilisearch and the database fallback, for everyone. A request not yet confirmed,
an evening kept out of the agenda, a cancelled one (through the worker) and one whose date
has passed are not found."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from community.lib import searchable
from events.models import GuinguetteVisit
from events.services import (
    cancel_guinguette,
    confirm_guinguette,
    unlist_past_guinguette_evenings,
)
from search.models import SearchDocument
from tests.background import run_worker
from tests.matrix import ROLES
from tests.search.engines import flush, hits

from .conftest import html_of, summer
from .test_guinguette import mayor_of
from .test_guinguette_for_commune import on_behalf

PROGRAMME = "Bal musette avec l'accordéon de Lucien, jeux en bois pour les enfants"


def evening(staff_user, vehicle, **fields) -> GuinguetteVisit:
    mayor = mayor_of("Essoyes")
    return on_behalf(staff_user, mayor.commune, vehicle, programme=PROGRAMME, **fields)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_a_confirmed_evening_is_found_by_everyone(engine, client_for, staff_user, vehicles, role):
    visit = evening(staff_user, vehicles[0], day=summer(7, 4))
    flush()
    [hit] = hits(client_for(role), "accordéon Essoyes")
    day = visit.date.strftime("%-d")
    assert re.fullmatch(
        rf"Guinguette mobile à Essoyes \(10\), \w+ {day} juillet {visit.date.year} à 18 h 00",
        hit["title"],
    ), hit["title"]
    assert hit["url"] == f"/animations/agenda/#guinguette-{visit.pk}"
    assert hit["type_label"] == "Animation"
    # The link lands on the agenda's entry, which shows the programme.
    agenda = html_of(client_for(role).get("/animations/agenda/"))
    assert f'id="guinguette-{visit.pk}"' in agenda and PROGRAMME in agenda


@pytest.mark.django_db
def test_requests_and_private_evenings_are_not_found(no_engine, client, staff_user, vehicles):
    evening(staff_user, None)  # requested, no vehicle yet
    private = on_behalf(staff_user, mayor_of("Polisy").commune, vehicles[0], programme=PROGRAMME)
    private.is_public = False
    private.save()
    flush()
    assert hits(client, "accordéon") == []


@pytest.mark.django_db
def test_an_evening_leaves_the_search_once_its_date_has_passed(
    no_engine, client, staff_user, vehicles
):
    visit = evening(staff_user, vehicles[0])
    flush()
    assert len(hits(client, "accordéon")) == 1
    # The evening is over: nothing saves it, its date is simply behind.
    yesterday = timezone.localdate() - timedelta(days=1)
    GuinguetteVisit.objects.filter(pk=visit.pk).update(date=yesterday)
    assert unlist_past_guinguette_evenings() == 1
    flush()
    assert hits(client, "accordéon") == []
    assert not SearchDocument.objects.filter(doc_type="guinguette").exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.meilisearch
def test_confirming_and_cancelling_go_through_the_worker(worker_meili, vehicles):
    from community.accounts.models import Role
    from tests.factories import make_member

    staff = make_member(Role.STAFF)
    visit = evening(staff, None)
    doc_id = searchable.get("guinguette").document_id(visit.pk)
    run_worker()
    assert doc_id not in worker_meili.get_document_ids()  # a request is not announced

    confirm_guinguette(visit, by=staff, vehicle=vehicles[0])
    assert doc_id not in worker_meili.get_document_ids()  # after commit, for the worker
    run_worker()
    assert doc_id in worker_meili.get_document_ids()

    cancel_guinguette(visit, by=staff, note="Arrêté préfectoral : canicule")
    run_worker()
    assert doc_id not in worker_meili.get_document_ids()
