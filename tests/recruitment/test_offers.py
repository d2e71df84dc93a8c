"""Who reaches which page of the job offers: every URL × every role, including an elected
member of another commune; refused actions change nothing."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from community.accounts.models import MembershipStatus, Role
from community.places.models import Department, Region
from community.recruitment.models import Candidacy, ContractType, OfferState
from tests.factories import make_cafe, make_commune, make_member
from tests.matrix import LOGIN, MEMBERSHIP, ROLES, Redirect, cases, check, everyone, members_only

from .factories import make_candidacy, make_offer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_roots")]

OFFER = "/offres-de-gerance/{offer}/"
MANAGERS = {
    "anonymous": LOGIN,
    "pending": MEMBERSHIP,
    "refused": MEMBERSHIP,
    "elected": 200,
    "manager": 403,
    "partner": 403,
    "staff": 200,
    "other_elected": 403,
}


@pytest.fixture
def client_as(client_for):
    """client_for, plus "other_elected": an elected member of another commune."""

    def build(role: str) -> Client:
        if role != "other_elected":
            return client_for(role)
        client = Client()
        client.force_login(make_member(Role.ELECTED, display_name="Autre Maire"))
        return client

    return build


@pytest.fixture
def offer(elected_user):
    return make_offer(members=[elected_user])


def fill(url: str, offer, candidacy=None) -> str:
    return url.format(
        offer=offer.pk, candidacy=candidacy.pk if candidacy else 0, slug=offer.project.slug
    )


@pytest.mark.parametrize(
    ("url", "role", "expected"),
    cases(
        {
            "/offres-de-gerance/": {**everyone(200), "other_elected": 200},
            OFFER: {**everyone(200), "other_elected": 200},
            OFFER + "candidater/": {**everyone(200), "other_elected": 200},
            "/offres-de-gerance/candidature-envoyee/": {**everyone(200), "other_elected": 200},
            f"/offres-de-gerance/confirmer/{'0' * 8}-0000-4000-8000-{'0' * 12}/": {
                **everyone(404),
                "other_elected": 404,
            },
            "/offres-de-gerance/invitation/faux-jeton/": {**everyone(404), "other_elected": 404},
            OFFER + "candidatures/": MANAGERS,
            OFFER + "candidatures/{candidacy}/cv/": MANAGERS,
            "/offres-de-gerance/publier/projet/{slug}/": MANAGERS,
            "/offres-de-gerance/publier/cafe/": {**MANAGERS, "other_elected": 200},
        }
    ),
)
def test_every_page_answers_every_role(client_as, offer, url, role, expected):
    candidacy = make_candidacy(offer, shortlisted=True)
    if "publier" in url:
        # A project whose offer is open leads there: publishing is for one without.
        offer.state = OfferState.CLOSED
        offer.save()
    check(client_as(role), fill(url, offer, candidacy), expected)


@pytest.mark.parametrize("role", [*ROLES, "other_elected"])
def test_a_cv_not_yet_shortlisted_is_for_staff_only(client_as, offer, role):
    candidacy = make_candidacy(offer)
    expected = {**MANAGERS, "elected": 403}[role]
    check(client_as(role), fill(OFFER + "candidatures/{candidacy}/cv/", offer, candidacy), expected)


def test_the_cv_is_served_private_and_inert(client_as, offer):
    candidacy = make_candidacy(offer, name="Jeanne Martin", shortlisted=True)
    response = client_as("elected").get(
        fill(OFFER + "candidatures/{candidacy}/cv/", offer, candidacy)
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="CV Jeanne Martin.pdf"'
    assert response["Content-Security-Policy"] == "sandbox"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    page = client_as("elected").get(fill(OFFER + "candidatures/", offer)).content.decode()
    assert "/media/" not in page and "recruitment/cv" not in page


@pytest.mark.parametrize("state", [OfferState.FILLED, OfferState.CLOSED, "expired"])
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 404),
        ("manager", 404),
        ("other_elected", 404),
        ("elected", 200),
        ("staff", 200),
    ],
)
def test_an_ended_offer_leaves_the_public_list_and_pages(client_as, offer, state, role, expected):
    if state == "expired":
        offer.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    else:
        offer.state = state
    offer.save()
    client = client_as(role)
    assert offer.title not in client.get("/offres-de-gerance/").content.decode()
    check(client, fill(OFFER, offer), expected)
    check(client, fill(OFFER + "candidater/", offer), 404)


def test_an_offer_closing_today_is_still_listed(client, offer):
    offer.closes_on = timezone.localdate()
    offer.save()
    assert offer.is_public
    assert offer.title in client.get("/offres-de-gerance/").content.decode()


ACTIONS = {
    # action: (URL, the roles whose request changes the offer)
    "shortlist": (OFFER + "candidatures/{candidacy}/preselection/", {"staff"}),
    "choose": (OFFER + "candidatures/{candidacy}/choix/", {"elected"}),
    "close": (OFFER + "fermer/", {"staff", "elected"}),
    "present": (OFFER + "presentation/", {"staff"}),
}


def _state(offer, candidacy) -> tuple:
    offer.refresh_from_db()
    candidacy.refresh_from_db()
    return (
        offer.state,
        offer.shortlist_presented_at,
        candidacy.shortlisted_at,
        candidacy.chosen_at,
    )


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", [*ROLES, "other_elected"])
def test_only_the_right_roles_change_an_offer(client_as, offer, action, role):
    candidacy = make_candidacy(offer, shortlisted=action in ("choose", "present"))
    url, allowed = ACTIONS[action]
    before = _state(offer, candidacy)
    response = client_as(role).post(fill(url, offer, candidacy))
    if role in allowed:
        assert response.status_code == 302
        assert _state(offer, candidacy) != before
    else:
        assert response.status_code in (302, 403)
        assert _state(offer, candidacy) == before


ADMIN_ONLY = {**members_only(LOGIN), "staff": 200, "other_elected": LOGIN}


@pytest.mark.parametrize(
    ("url", "role", "expected"),
    cases(
        {
            "/admin/offres-de-gerance/": ADMIN_ONLY,
            # Offers change through the site's pages and their services only.
            "/admin/offres-de-gerance/edit/{offer}/": {**ADMIN_ONLY, "staff": Redirect("/admin/")},
            "/admin/offres-de-gerance/delete/{offer}/": {
                **ADMIN_ONLY,
                "staff": Redirect("/admin/"),
            },
        }
    ),
)
def test_only_staff_list_the_offers_in_the_admin(client_as, offer, url, role, expected):
    check(client_as(role), fill(url, offer), expected)


def test_staff_see_each_offers_candidates_in_the_admin(client_as, offer):
    make_candidacy(offer, name="Claire Fontaine", shortlisted=True)
    make_candidacy(offer, name="Julien Marchand")
    make_candidacy(offer, name="Paul Lent", confirmed=False)
    page = client_as("staff").get("/admin/offres-de-gerance/").content.decode()
    assert f'href="/offres-de-gerance/{offer.pk}/candidatures/"' in page
    assert "/offres-de-gerance/publier/cafe/" in page
    row = page[page.index(offer.title) :]
    assert re.search(r"<td[^>]*>\s*2\s*</td>\s*<td[^>]*>\s*1\s*</td>", row), row[:1500]


def test_publishing_again_leads_to_the_open_offers_candidates(client_as, offer):
    response = client_as("elected").get(f"/offres-de-gerance/publier/projet/{offer.project.slug}/")
    assert response.status_code == 302
    assert response["Location"] == f"/offres-de-gerance/{offer.pk}/candidatures/"


def test_the_join_page_leads_candidates_to_the_offers(client):
    page = client.get("/nous-rejoindre/").content.decode()
    assert 'href="/offres-de-gerance/"' in page


def test_candidates_filter_the_offers_by_region_contract_and_housing(client):
    grand_est = Region.objects.create(code="44", name="Grand Est")
    Department.objects.create(code="10", name="Aube", region=grand_est)
    essoyes = make_offer(
        title="Café Renoir",
        cafe=make_cafe(commune=make_commune("Essoyes", department_code="10")),
        contract_type=ContractType.SALARIAT,
    )
    vaour = make_offer(title="Café de Vaour", housing=True, housing_description="T2")

    def listed(query: str) -> set[str]:
        page = client.get(f"/offres-de-gerance/{query}").content.decode()
        return {offer.title for offer in (essoyes, vaour) if offer.title in page}

    assert listed("") == {"Café Renoir", "Café de Vaour"}
    assert listed(f"?region={grand_est.pk}") == {"Café Renoir"}
    assert listed("?contract_type=salariat") == {"Café Renoir"}
    assert listed("?housing=on") == {"Café de Vaour"}
    page = client.get(f"/offres-de-gerance/?region={grand_est.pk}&housing=on").content.decode()
    assert "Aucune offre ne correspond à ces critères" in page
    assert client.get("/offres-de-gerance/?region=nope").status_code == 200


def test_staff_see_whether_the_chosen_candidate_created_the_account(client_as, offer):
    chosen = make_candidacy(offer, name="Claire Fontaine", shortlisted=True)
    Candidacy.objects.filter(pk=chosen.pk).update(chosen_at=timezone.now())
    url = fill(OFFER + "candidatures/", offer)
    assert "pas encore créé" in client_as("staff").get(url).content.decode()
    account = make_member(Role.MANAGER, status=MembershipStatus.PENDING)
    Candidacy.objects.filter(pk=chosen.pk).update(account=account)
    page = client_as("staff").get(url).content.decode()
    assert "Compte de gérant·e créé : en attente de validation." in page
