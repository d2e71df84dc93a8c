"""Funders: a partner account linked to a funder sees its funds' figures and nothing else;
funds limited to listed cafés or regions pay only for those."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.accounts.models import Role
from community.places.models import Department, Region
from events.forms import ClaimForm
from events.models import Fund, Funder, Provider, Reimbursement
from events.services import (
    EventsError,
    approve_reimbursement,
    confirm_booking,
    report_booking,
    request_booking,
)
from tests.factories import make_cafe, make_commune, make_member
from tests.matrix import LOGIN, MEMBERSHIP, cases, check

from .conftest import at, claim, funder, html_of, make_fund

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_roots")]


@pytest.fixture
def klesia(partner_user) -> Funder:
    klesia = funder("KLESIA")
    klesia.accounts.add(partner_user)
    return klesia


@pytest.fixture
def klesia_fund(fund, klesia) -> Fund:
    fund.funder = klesia
    fund.save()
    return fund


@pytest.fixture
def other_fund(chess) -> Fund:
    """Another funder's fund, which KLESIA's accounts must never see."""
    kronenbourg = funder("Fondation Kronenbourg", Funder.Type.FOUNDATION)
    return make_fund("Fonds Lien social", kronenbourg, "9999.00", chess)


def held_in(cafe, provider, staff_user, chess, participants: int):
    manager = make_member(Role.MANAGER, cafe=cafe)
    booking = request_booking(by=manager, cafe=cafe, kind=chess, preferred_dates=[at(30)])
    booking = confirm_booking(booking, by=staff_user, starts_at=at(30), provider=provider)
    booking.__class__.objects.filter(pk=booking.pk).update(starts_at=at(-2), ends_at=at(-1))
    booking.refresh_from_db()
    return report_booking(booking, by=manager, participants=participants), manager


# ---------------------------------------------------------------------------- limits


def test_a_fund_limited_to_listed_cafes_refuses_others(held, manager_user, fund):
    fund.cafes.add(make_cafe(name="Le Café des Aînés"))
    with pytest.raises(EventsError, match="réservé à une liste de cafés dont .* ne fait pas"):
        claim(held, manager_user, fund, "100")
    assert not Reimbursement.objects.exists()
    assert list(ClaimForm(booking=held).fields["fund"].queryset) == []
    fund.cafes.add(held.cafe)
    claim(held, manager_user, fund, "100")


def test_a_fund_limited_to_regions_refuses_cafes_elsewhere(held, manager_user, fund):
    occitanie = held.cafe.commune.department.region
    ara, _ = Region.objects.get_or_create(code="84", defaults={"name": "Auvergne-Rhône-Alpes"})
    grand_est, _ = Region.objects.get_or_create(code="44", defaults={"name": "Grand Est"})
    fund.regions.add(ara, grand_est)
    with pytest.raises(
        EventsError, match="finance seulement les cafés de Auvergne-Rhône-Alpes et Grand Est"
    ):
        claim(held, manager_user, fund, "100")
    fund.regions.add(occitanie)
    assert [f.pk for f in ClaimForm(booking=held).fields["fund"].queryset] == [fund.pk]
    claim(held, manager_user, fund, "100")


def test_approval_checks_the_limits_again(held, manager_user, staff_user, fund):
    reimbursement = claim(held, manager_user, fund, "100")
    fund.cafes.add(make_cafe(name="Le Café des Aînés"))
    with pytest.raises(EventsError, match="réservé à une liste de cafés"):
        approve_reimbursement(reimbursement, by=staff_user, amount=Decimal(100))
    assert Reimbursement.objects.get().state == Reimbursement.State.CLAIMED


def test_the_funds_page_sums_in_one_query_whatever_the_number_of_funds(
    client_for, staff_user, chess
):
    client = client_for("staff")
    anct = funder("ANCT", Funder.Type.PUBLIC_BODY)

    def page_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/animations/fonds/").status_code == 200
        return len(queries)

    Fund.objects.create(name="Fonds A", funder=anct, year=2026, budget=100)
    page_queries()  # the session's first page loads what later pages find cached
    before = page_queries()
    for n in range(5):
        Fund.objects.create(name=f"Fonds {n}", funder=anct, year=2026, budget=100)
    assert page_queries() == before


# ---------------------------------------------------------------------------- the funder's view


@pytest.fixture
def funded(held, manager_user, staff_user, provider, chess, klesia_fund, other_fund):
    """KLESIA's fund pays 300 € for the held workshop (12 participants) and is asked 150 € for
    a workshop in Auvergne-Rhône-Alpes (20 participants); the other fund pays elsewhere."""
    approve_reimbursement(
        claim(held, manager_user, klesia_fund, "300"), by=staff_user, amount=Decimal(300)
    )
    ara, _ = Region.objects.get_or_create(code="84", defaults={"name": "Auvergne-Rhône-Alpes"})
    Department.objects.get_or_create(code="43", defaults={"name": "Haute-Loire", "region": ara})
    tiranges = make_cafe(
        name="Le Café de Tiranges", commune=make_commune(name="Tiranges", department_code="43")
    )
    second, second_manager = held_in(tiranges, provider, staff_user, chess, participants=20)
    claim(second, second_manager, klesia_fund, "150")
    third, third_manager = held_in(
        make_cafe(name="Le Bistrot d'ailleurs"), provider, staff_user, chess, participants=7
    )
    claim(third, third_manager, other_fund, "80")
    return klesia_fund


def test_a_funder_sees_its_funds_only(client_for, funded, partner_user):
    page = html_of(client_for("partner").get("/animations/fonds/"))
    assert "Les fonds de KLESIA" in page
    assert str(funded) in page
    # Budget 1 000, granted 300, asked 150: committed 450, remaining 700.
    for amount in ("1\u202f000,00\u00a0€", "450,00\u00a0€", "300,00\u00a0€", "700,00\u00a0€"):
        assert amount in page
    assert "Le Café du Village" in page and "Le Café de Tiranges" in page
    assert "Auvergne-Rhône-Alpes" in page and "Occitanie" in page
    assert "Fonds Lien social" not in page and "Bistrot d'ailleurs" not in page
    assert "9\u202f999" not in page


def test_a_funder_downloads_its_figures_as_csv(client_for, funded):
    response = client_for("partner").get("/animations/fonds/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    header, *body = rows
    assert header[:3] == ["Rubrique", "Libellé", "Fonds"]
    by_section = {}
    for row in body:
        by_section.setdefault(row[0], []).append(row)
    [fund_row] = by_section["Fonds"]
    assert fund_row[1:3] == ["KLESIA", str(funded)]
    assert fund_row[8:12] == ["1000,00", "450,00", "300,00", "700,00"]
    animations = by_section["Animation"]
    assert [(r[4], r[5], r[7], r[9], r[10]) for r in animations] == [
        ("Saint-Antonin", "Occitanie", "12", "300,00", "300,00"),
        ("Tiranges", "Auvergne-Rhône-Alpes", "20", "150,00", "0,00"),
    ]
    regions = {r[1]: (r[6], r[7], r[9], r[10]) for r in by_section["Région"]}
    assert regions == {
        "Auvergne-Rhône-Alpes": ("1", "20", "150,00", "0,00"),
        "Occitanie": ("1", "12", "300,00", "300,00"),
    }
    assert len(by_section["Café"]) == 2
    assert "Lien social" not in text and "Bistrot" not in text


def test_a_partner_without_funder_is_told_so(client_for, funded, provider):
    other = make_member(Role.PARTNER)
    client = client_for("anonymous")
    client.force_login(other)
    page = html_of(client.get("/animations/fonds/"))
    assert "Votre compte n'est lié à aucun financeur" in page
    assert "KLESIA" not in page
    assert client.get("/animations/fonds/export.csv").status_code == 403


def approved(**roles) -> dict:
    return {"anonymous": LOGIN, "pending": MEMBERSHIP, "refused": MEMBERSHIP, **roles}


# The funder's partner account: its figures, and nothing of the cafés' side.
MATRIX = {
    "/animations/fonds/": approved(elected=403, manager=200, partner=200, staff=200),
    "/animations/fonds/export.csv": approved(elected=403, manager=403, partner=200, staff=200),
    "/animations/fonds/remboursements/{claim}/facture/": approved(
        elected=403, manager=200, partner=403, staff=200
    ),
    "/animations/reservations/{booking}/": approved(
        elected=403, manager=200, partner=404, staff=200
    ),
    "/animations/reservations/{other_booking}/": approved(
        elected=403, manager=404, partner=404, staff=200
    ),
    "/animations/impact/": approved(elected=403, manager=403, partner=403, staff=200),
}


@pytest.fixture
def ids(funded, held) -> dict:
    # The partner account is a funder here, not also the workshops' provider.
    Provider.objects.update(account=None)
    claims = Reimbursement.objects.filter(fund=funded).order_by("pk")
    return {
        "claim": claims[0].pk,
        "booking": held.pk,
        "other_booking": claims[1].booking_id,
    }


@pytest.mark.parametrize("url, role, expected", cases(MATRIX))
def test_matrix(ids, client_for, url, role, expected):
    check(client_for(role), url.format(**ids), expected)
