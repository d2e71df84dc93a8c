"""Open job offers are in the one site search, for every visitor, on Meilisearch and on the
database fallback; the result names the commune and the contract and leads to the offer. A
filled, closed or expired offer leaves the index, delivered by the task worker."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from community.lib import searchable
from community.places.models import Cafe
from community.recruitment.models import ContractType, JobOffer
from community.recruitment.services import (
    choose_candidate,
    close_offer,
    unlist_expired_offers,
)
from search.models import SearchDocument
from tests.background import run_worker
from tests.factories import make_commune
from tests.matrix import ROLES
from tests.search.engines import flush, hits, titles

from .factories import make_candidacy, make_offer

TITLE = "Gérant·e du café de Mouthoumet – Mouthoumet (11), Location-gérance"


def offer_in_mouthoumet(**fields) -> JobOffer:
    cafe = Cafe.objects.create(name="Le Relais", commune=make_commune("Mouthoumet", None, "11"))
    return make_offer(
        cafe=cafe,
        title="Gérant·e du café de Mouthoumet",
        contract_type=ContractType.LOCATION_GERANCE,
        description="Un bistrot avec épicerie et dépôt de pain, rouvert par la commune.",
        **fields,
    )


def doc_id(offer: JobOffer) -> str:
    return searchable.get("job_offer").document_id(offer.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_an_open_offer_is_found_by_everyone(engine, client_for, role):
    offer = offer_in_mouthoumet()
    flush()
    found = hits(client_for(role), "épicerie Mouthoumet")
    assert [(hit["title"], hit["url"], hit["type_label"]) for hit in found] == [
        (TITLE, f"/offres-de-gerance/{offer.pk}/", "Offre de gérance")
    ]


@pytest.mark.django_db
def test_the_results_page_shows_commune_contract_and_link(no_engine, client):
    offer = offer_in_mouthoumet(housing=True, housing_description="T3 à l'étage")
    flush()
    page = client.get(reverse("search:page"), {"q": "gérance Mouthoumet"}).content.decode()
    assert f'<a href="/offres-de-gerance/{offer.pk}/">' in page
    # What a reader sees, highlights and tags aside.
    text = " ".join(re.sub(r"<[^>]+>", "", page).split())
    assert TITLE in text
    assert "Offre de gérance (1)" in text


@pytest.mark.django_db
def test_the_header_leads_to_the_offers(client):
    page = client.get("/offres-de-gerance/").content.decode()
    assert '<a href="/offres-de-gerance/" aria-current="page">Offres de gérance</a>' in page


@pytest.mark.django_db
def test_an_expired_offer_leaves_the_search_after_midnight(no_engine, client):
    today = timezone.localdate()
    offer = offer_in_mouthoumet(closes_on=today)
    old = make_offer(title="Offre oubliée", closes_on=today - datetime.timedelta(days=30))
    flush()
    assert titles(client, "Mouthoumet") == [TITLE]

    # A day passes: nothing saves the offer, its closing date is simply behind.
    JobOffer.objects.filter(pk=offer.pk).update(closes_on=today - datetime.timedelta(days=1))
    assert titles(client, "Mouthoumet") == [TITLE]
    assert unlist_expired_offers() == 1  # the offer expired long ago was unlisted back then
    flush()
    assert titles(client, "Mouthoumet") == []
    assert not SearchDocument.objects.filter(doc_type="job_offer").exists()
    assert JobOffer.objects.get(pk=old.pk).state == "open"  # its candidates are still decided


@pytest.mark.django_db(transaction=True)
@pytest.mark.meilisearch
@pytest.mark.parametrize("ending", ["filled", "closed", "expired"])
def test_an_ended_offer_leaves_the_index_through_the_worker(
    worker_meili, ending, elected_user, staff_user, media_roots
):
    offer = make_offer(members=[elected_user], title="Gérant·e pour Tréban")
    run_worker()
    assert doc_id(offer) in worker_meili.get_document_ids()

    if ending == "filled":
        choose_candidate(make_candidacy(offer, shortlisted=True), by=elected_user)
    elif ending == "closed":
        close_offer(offer, by=staff_user)
    else:
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        JobOffer.objects.filter(pk=offer.pk).update(closes_on=yesterday)
        unlist_expired_offers()
    # After commit the change only waits in the outbox for the worker.
    assert doc_id(offer) in worker_meili.get_document_ids()
    run_worker()
    assert doc_id(offer) not in worker_meili.get_document_ids()
    assert not SearchDocument.objects.filter(doc_type="job_offer").exists()
