"""The Guinguette mobile: communes' elected members request it, staff send a vehicle.

A vehicle is at one place per date (service check under lock, unique constraint behind it),
within the season staff set (May to September by default); confirmed evenings are in the
public agenda and held ones in the impact figures, by vehicle.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from importlib import import_module
from io import StringIO

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from community.accounts.models import MembershipStatus, Role
from community.places.activity import upcoming_by_cafe
from events import demo as events_demo
from events.agenda import upcoming
from events.impact import impact_csv, report_years, year_impact
from events.models import (
    Booking,
    BookingState,
    Fund,
    Funder,
    GuinguetteSeason,
    GuinguetteState,
    GuinguetteVisit,
    Reimbursement,
)
from events.services import (
    EventsError,
    cancel_guinguette,
    confirm_guinguette,
    refuse_guinguette,
    report_guinguette,
    request_booking,
    request_guinguette,
)
from tests.concurrency import run_at_once
from tests.factories import make_commune, make_member
from tests.matrix import LOGIN, MEMBERSHIP, cases, check
from tests.places.map_factories import open_cafe

from .conftest import at, funder, grand_est_vehicle, html_of, kind, make_fund, summer

pytestmark = pytest.mark.django_db

_data_migration = import_module("events.migrations.0007_guinguette_and_funders_data")


def mayor_of(name: str, **fields):
    commune = make_commune(name=name, department_code="10", postal_codes="10360")
    return make_member(Role.ELECTED, commune=commune, **fields)


def ask(user, day: date | None = None, place: str = "Place de l'église") -> GuinguetteVisit:
    return request_guinguette(by=user, commune=user.commune, day=day or summer(), place=place)


# ---------------------------------------------------------------------------- requests


def test_an_elected_member_requests_it_and_staff_hear_of_it(
    django_capture_on_commit_callbacks, elected_user, staff_user
):
    colleague = make_member(Role.ELECTED, commune=elected_user.commune)
    with django_capture_on_commit_callbacks(execute=True):
        visit = request_guinguette(
            by=elected_user,
            commune=elected_user.commune,
            day=summer(),
            place="Place de la mairie",
            expected_audience=150,
            notes="Le comité des fêtes tient la buvette avec vous.",
        )
    assert visit.state == GuinguetteState.REQUESTED and visit.vehicle is None
    assert visit.commune == elected_user.commune and visit.requested_by == elected_user
    # One message per recipient: the commune's elected members and staff.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [elected_user.email, colleague.email, staff_user.email]
    )
    assert "Demande de Guinguette mobile" in mail.outbox[0].subject
    assert f"/animations/guinguette/{visit.pk}/" in mail.outbox[0].body


def test_a_commune_without_a_cafe_may_ask(elected_user):
    assert not elected_user.commune.cafes.exists()
    assert ask(elected_user).state == GuinguetteState.REQUESTED


@pytest.mark.parametrize(
    "change, message",
    [
        ({"day": summer(10, 3)}, "La Guinguette mobile circule du 1er mai au 30 septembre"),
        ({"day": summer(4, 30)}, "choisissez une date dans la saison"),
        ({"day": timezone.localdate()}, "est passée"),
        ({"place": "   "}, "Indiquez où la Guinguette s'installera"),
        ({"expected_audience": 0}, "public attendu entre 1 et 10 000"),
    ],
)
def test_bad_requests_are_refused_in_french(elected_user, change, message):
    fields = {"day": summer(), "place": "Place de l'église", **change}
    with pytest.raises(EventsError, match=message):
        request_guinguette(by=elected_user, commune=elected_user.commune, **fields)
    assert not GuinguetteVisit.objects.exists()


def test_only_the_communes_elected_members_may_ask(elected_user, manager_user):
    """Staff may too, on a commune's behalf: see test_guinguette_for_commune.py."""
    other_commune = make_commune(name="Essoyes", department_code="10")
    pending = make_member(
        Role.ELECTED, commune=elected_user.commune, status=MembershipStatus.PENDING
    )
    for user, commune in [
        (elected_user, other_commune),
        (manager_user, manager_user.commune),
        (pending, elected_user.commune),
    ]:
        with pytest.raises(EventsError, match="Seul·es les élu·es de la commune"):
            request_guinguette(by=user, commune=commune, day=summer(), place="Place")
    assert not GuinguetteVisit.objects.exists()


def test_a_commune_asks_once_per_date(elected_user):
    ask(elected_user)
    with pytest.raises(EventsError, match="a déjà demandé la Guinguette mobile le"):
        ask(elected_user)
    assert ask(elected_user, summer(6, 16)).date == summer(6, 16)


def test_staff_set_the_season(elected_user):
    year = summer().year
    GuinguetteSeason.objects.create(
        year=year, starts_on=date(year, 6, 1), ends_on=date(year, 8, 31)
    )
    with pytest.raises(EventsError, match="circule du 1er juin au 31 août 20"):
        ask(elected_user, summer(5, 20))
    assert ask(elected_user, summer(8, 31)).state == GuinguetteState.REQUESTED
    assert GuinguetteSeason.bounds(year + 1) == (date(year + 1, 5, 1), date(year + 1, 9, 30))


def test_cafes_can_no_longer_book_it_as_an_animation(manager_user, cafe):
    with pytest.raises(EventsError, match="se demande par les élu·es de la commune"):
        request_booking(
            by=manager_user, cafe=cafe, kind=kind("guinguette-mobile"), preferred_dates=[at(30)]
        )


# ---------------------------------------------------------------------------- decisions


def test_staff_confirm_with_a_vehicle_and_the_commune_hears_of_it(
    django_capture_on_commit_callbacks, elected_user, staff_user, vehicles
):
    visit = ask(elected_user)
    with django_capture_on_commit_callbacks(execute=True):
        confirm_guinguette(visit, by=staff_user, vehicle=vehicles[0], note="Arrivée à 17 h")
    visit.refresh_from_db()
    assert (visit.state, visit.vehicle, visit.decided_by) == (
        GuinguetteState.CONFIRMED,
        vehicles[0],
        staff_user,
    )
    [message] = mail.outbox
    assert message.to == [elected_user.email]
    assert "Guinguette mobile confirmée" in message.subject
    assert "Guinguette mobile du Grand Est" in message.body and "Arrivée à 17 h" in message.body


def test_a_vehicle_is_at_one_place_per_date(elected_user, staff_user, vehicles):
    first = ask(elected_user)
    second = ask(mayor_of("Mussy-sur-Seine"))
    third = ask(mayor_of("Essoyes"))
    confirm_guinguette(first, by=staff_user, vehicle=vehicles[0])
    with pytest.raises(EventsError, match="Guinguette mobile du Grand Est est déjà à"):
        confirm_guinguette(second, by=staff_user, vehicle=vehicles[0])
    assert GuinguetteVisit.objects.get(pk=second.pk).state == GuinguetteState.REQUESTED
    confirm_guinguette(second, by=staff_user, vehicle=vehicles[1])
    with pytest.raises(EventsError, match="Guinguette Mobile Picarde est déjà à Mussy"):
        confirm_guinguette(third, by=staff_user, vehicle=vehicles[1])


def test_the_database_refuses_a_vehicle_twice_on_a_date(elected_user, staff_user, vehicles):
    first = ask(elected_user)
    second = ask(mayor_of("Essoyes"))
    confirm_guinguette(first, by=staff_user, vehicle=vehicles[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        GuinguetteVisit.objects.filter(pk=second.pk).update(
            state=GuinguetteState.CONFIRMED, vehicle=vehicles[0]
        )


def test_only_staff_decide(elected_user, manager_user, vehicles):
    visit = ask(elected_user)
    for user in (elected_user, manager_user):
        with pytest.raises(EventsError, match="Seule l'équipe"):
            confirm_guinguette(visit, by=user, vehicle=vehicles[0])
        with pytest.raises(EventsError, match="Seule l'équipe"):
            refuse_guinguette(visit, by=user, note="Non")
    assert GuinguetteVisit.objects.get(pk=visit.pk).state == GuinguetteState.REQUESTED


def test_refusal_needs_a_reason_and_is_final(elected_user, staff_user, vehicles):
    visit = ask(elected_user)
    with pytest.raises(EventsError, match="Expliquez à la commune"):
        refuse_guinguette(visit, by=staff_user, note=" ")
    refuse_guinguette(visit, by=staff_user, note="Les deux véhicules sont pris ce jour-là.")
    with pytest.raises(EventsError, match="est « refusée »"):
        confirm_guinguette(visit, by=staff_user, vehicle=vehicles[0])
    # The date is free again for the commune.
    assert ask(elected_user).state == GuinguetteState.REQUESTED


def test_cancelling_frees_the_vehicle(elected_user, staff_user, vehicles):
    visit = ask(elected_user)
    confirm_guinguette(visit, by=staff_user, vehicle=vehicles[0])
    other = ask(mayor_of("Essoyes"))
    with pytest.raises(EventsError, match="Seul·es les élu·es de la commune ou l'équipe"):
        cancel_guinguette(visit, by=make_member(Role.ELECTED))
    cancel_guinguette(visit, by=elected_user, note="Fête reportée")
    confirm_guinguette(other, by=staff_user, vehicle=vehicles[0])
    assert GuinguetteVisit.objects.get(pk=visit.pk).state == GuinguetteState.CANCELLED


def test_the_report_comes_after_the_evening(elected_user, staff_user, vehicles):
    visit = ask(elected_user)
    confirm_guinguette(visit, by=staff_user, vehicle=vehicles[0])
    with pytest.raises(EventsError, match="Le bilan se fait après la soirée"):
        report_guinguette(visit, by=staff_user, participants=120)
    GuinguetteVisit.objects.filter(pk=visit.pk).update(date=timezone.localdate() - timedelta(1))
    with pytest.raises(EventsError, match="entre 0 et 10 000"):
        report_guinguette(visit, by=staff_user, participants=-1)
    report_guinguette(visit, by=staff_user, participants=120)
    visit.refresh_from_db()
    assert (visit.state, visit.participants) == (GuinguetteState.HELD, 120)


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_once_send_the_vehicle_once():
    """Real threads, each with its own connection: the vehicle's row lock (PostgreSQL) or
    the write lock (SQLite) lets one confirmation through."""
    grand_est = grand_est_vehicle()
    staff = make_member(Role.STAFF)
    colleague = make_member(Role.STAFF)
    first = ask(mayor_of("Essoyes"))
    second = ask(mayor_of("Mussy-sur-Seine"))
    outcomes = run_at_once(
        [
            lambda: confirm_guinguette(first, by=staff, vehicle=grand_est),
            lambda: confirm_guinguette(second, by=colleague, vehicle=grand_est),
        ],
        refused=EventsError,
        timeout=30,
    )
    refusals = [str(o) for o in outcomes if isinstance(o, EventsError)]
    assert len(outcomes) == 2 and len(refusals) == 1, outcomes
    assert "est déjà à" in refusals[0]
    assert GuinguetteVisit.objects.filter(state=GuinguetteState.CONFIRMED).count() == 1


# ---------------------------------------------------------------------------- agenda, impact


def test_confirmed_evenings_are_in_the_public_agenda(client, elected_user, staff_user, vehicles):
    visit = ask(elected_user, place="Pré du lavoir")
    assert not [e for e in upcoming() if e.commune == elected_user.commune]
    confirm_guinguette(visit, by=staff_user, vehicle=vehicles[1])
    [entry] = [e for e in upcoming() if e.commune == elected_user.commune]
    assert (entry.title, entry.venue, entry.cafe) == ("Guinguette mobile", "Pré du lavoir", None)
    page = html_of(client.get("/animations/agenda/"))
    assert "Pré du lavoir" in page and "Avec Guinguette Mobile Picarde" in page


def test_held_evenings_count_as_the_report_counts_them(vehicles):
    """2025: 64 dates in Grand Est and 19 in the Aisne, under the Guinguette kind."""
    grand_est, picarde = vehicles
    communes = {
        grand_est: [make_commune(name=f"Village {n}", department_code="10") for n in range(8)],
        picarde: [make_commune(name=f"Bourg {n}", department_code="02") for n in range(4)],
    }
    season = [date(2025, 5, 1) + timedelta(days=n) for n in range(150)]
    for vehicle, dates in ((grand_est, 64), (picarde, 19)):
        GuinguetteVisit.objects.bulk_create(
            GuinguetteVisit(
                commune=communes[vehicle][n % len(communes[vehicle])],
                date=season[n],
                place="Place",
                vehicle=vehicle,
                state=GuinguetteState.HELD,
                participants=100,
            )
            for n in range(dates)
        )
    figures = year_impact(2025)
    assert [(g.name, g.territory, g.dates, g.communes) for g in figures.guinguettes] == [
        ("Guinguette Mobile Picarde", "Aisne", 19, 4),
        ("Guinguette mobile du Grand Est", "Grand Est", 64, 8),
    ]
    [row] = [k for k in figures.by_kind if k.slug == "guinguette-mobile"]
    assert (row.animations, row.participants) == (83, 8300)
    assert figures.animations == 83 and figures.communes == 12 and figures.cafes == 0
    assert {d.code: d.animations for d in figures.departments} == {"02": 19, "10": 64}
    assert sum(m.animations for m in figures.by_month) == 83
    assert figures.as_report()["guinguette"] == {
        "dates": 83,
        "by_vehicle": {"Guinguette Mobile Picarde": 19, "Guinguette mobile du Grand Est": 64},
    }
    rows = impact_csv(figures).splitlines()
    assert "Guinguette mobile;Grand Est;Guinguette mobile du Grand Est;64;6400;;8;;" in rows
    assert "Guinguette mobile;Aisne;Guinguette Mobile Picarde;19;1900;;4;;" in rows
    assert "Type d'animation;guinguette-mobile;Guinguette mobile;83;8300;;;;" in rows


def test_a_commune_with_a_cafe_and_the_guinguette_counts_once(vehicles, held):
    """The café's animation and the Guinguette in the same commune: one commune reached."""
    day = timezone.localtime(held.starts_at).date()
    GuinguetteVisit.objects.create(
        commune=held.cafe.commune,
        date=day,
        place="Place",
        vehicle=vehicles[0],
        state=GuinguetteState.HELD,
        participants=80,
    )
    figures = year_impact(day.year)
    assert (figures.animations, figures.communes, figures.cafes) == (2, 1, 1)
    assert figures.participants == 92


# ---------------------------------------------------------------------------- data migration


def test_existing_guinguette_bookings_become_requests_of_their_commune(
    manager_user, cafe, staff_user, vehicles, media_roots
):
    guinguette = kind("guinguette-mobile")
    cafe.address = "Place du marché"
    cafe.save()

    def booking(state: str, days: int, **fields) -> Booking:
        moment = at(days, 19)
        dated = state in (BookingState.CONFIRMED, BookingState.HELD)
        return Booking.objects.create(
            cafe=cafe,
            kind=guinguette,
            state=state,
            preferred_1=moment,
            starts_at=moment if dated else None,
            ends_at=moment + guinguette.duration if dated else None,
            requested_by=manager_user,
            **fields,
        )

    held = booking(BookingState.HELD, -40, participants=230, is_public=True)
    booking(BookingState.CONFIRMED, 40)
    booking(BookingState.DECLINED, 50)
    booking(BookingState.REQUESTED, 60, expected_audience=80, notes="Avec le comité des fêtes")
    claimed = booking(BookingState.HELD, -30, participants=90)
    fund = make_fund(
        "Fonds Guinguette",
        funder("Région Grand Est", Funder.Type.LOCAL_AUTHORITY),
        "1000",
        guinguette,
        year=2026,
    )
    Reimbursement.objects.create(booking=claimed, fund=fund, requested_amount=Decimal(100))
    # The bookings' part of the migration (its funders' part reads the partner text that
    # 0008 removed: tests/events/test_fund_migration.py checks where that text goes).
    _data_migration._move_bookings(
        apps,
        [(v, regions) for v, (*_, regions) in zip(vehicles, _data_migration.VEHICLES, strict=True)],
    )
    visits = GuinguetteVisit.objects.order_by("date")
    assert [(v.state, v.date, v.participants) for v in visits] == [
        (GuinguetteState.HELD, timezone.localtime(held.starts_at).date(), 230),
        (GuinguetteState.CONFIRMED, at(40).date(), None),
        (GuinguetteState.REFUSED, at(50).date(), None),
        (GuinguetteState.REQUESTED, at(60).date(), None),
    ]
    assert {v.commune for v in visits} == {cafe.commune}
    assert {v.place for v in visits} == {"Place du marché"}
    assert visits[0].vehicle is not None and visits[3].notes == "Avec le comité des fêtes"
    assert visits[0].start_time.hour == 19 and visits[0].requested_by == manager_user
    # The claimed one stays a booking: its reimbursement needs it.
    assert list(Booking.objects.filter(kind=guinguette)) == [claimed]
    guinguette.refresh_from_db()
    assert not guinguette.is_bookable


# ---------------------------------------------------------------------------- pages


def test_a_mayor_requests_from_the_member_space(client_for, elected_user):
    client = client_for("elected")
    assert "Demander la Guinguette mobile" in html_of(client.get("/espace/"))
    response = client.post(
        "/animations/guinguette/demander/",
        {"day": summer().isoformat(), "start_time": "19:00", "place": "Place de la mairie"},
    )
    visit = GuinguetteVisit.objects.get()
    assert response.status_code == 302 and response["Location"] == visit.get_absolute_url()
    assert visit.start_time.hour == 19
    page = html_of(client.get(visit.get_absolute_url()))
    assert "Guinguette mobile à" in page and "Annuler la venue" in page
    assert "Confirmer et envoyer un véhicule" not in page


def test_a_bad_request_shows_the_french_message(client_for, elected_user):
    response = client_for("elected").post(
        "/animations/guinguette/demander/",
        {"day": summer(11, 2).isoformat(), "place": "Place"},
    )
    assert response.status_code == 400
    assert "choisissez une date dans la saison" in html_of(response)
    assert not GuinguetteVisit.objects.exists()


def test_staff_confirm_from_the_visit_page(client_for, elected_user, vehicles):
    visit = ask(elected_user)
    client = client_for("staff")
    listing = html_of(client.get("/animations/guinguette/"))
    assert "Demandes à traiter (1)" in listing and elected_user.commune.name in listing
    response = client.post(
        f"/animations/guinguette/{visit.pk}/confirmer/",
        {"confirmer-vehicle": vehicles[1].pk, "confirmer-note": "À bientôt"},
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.state, visit.vehicle) == (GuinguetteState.CONFIRMED, vehicles[1])


@pytest.fixture
def visit_urls(elected_user, vehicles) -> dict[str, str]:
    mine = ask(elected_user)
    other = ask(mayor_of("Essoyes"))
    return {"mine": mine.pk, "other": other.pk}


def approved(**roles) -> dict:
    return {"anonymous": LOGIN, "pending": MEMBERSHIP, "refused": MEMBERSHIP, **roles}


PAGES = {
    "/animations/guinguette/": approved(elected=200, manager=403, partner=403, staff=200),
    "/animations/guinguette/demander/": approved(elected=200, manager=403, partner=403, staff=403),
    "/animations/guinguette/{mine}/": approved(elected=200, manager=403, partner=403, staff=200),
    "/animations/guinguette/{other}/": approved(elected=404, manager=403, partner=403, staff=200),
}
ACTIONS = {
    # An empty form: staff and the commune get the page back with what is missing (400).
    "/animations/guinguette/{mine}/confirmer/": approved(
        elected=400, manager=403, partner=403, staff=400
    ),
    "/animations/guinguette/{mine}/annuler/": approved(
        elected=302, manager=403, partner=403, staff=302
    ),
    "/animations/guinguette/{other}/annuler/": approved(
        elected=404, manager=403, partner=403, staff=302
    ),
    "/animations/guinguette/{mine}/inconnue/": approved(
        elected=404, manager=403, partner=403, staff=404
    ),
}


@pytest.mark.parametrize("url, role, expected", cases(PAGES))
def test_pages_matrix(visit_urls, client_for, url, role, expected):
    check(client_for(role), url.format(**visit_urls), expected)


@pytest.mark.parametrize("url, role, expected", cases(ACTIONS))
def test_actions_matrix(visit_urls, client_for, url, role, expected):
    check(client_for(role), url.format(**visit_urls), expected, method="post")


# ---------------------------------------------------------------------------- demo


@pytest.mark.usefixtures("media_roots")
def test_the_demo_tells_the_reports_guinguette_and_funders():
    call_command("seed_demo", stdout=StringIO())
    visits = GuinguetteVisit.objects.count()
    events_demo.seed(lambda message: None)
    assert GuinguetteVisit.objects.count() == visits
    figures = year_impact(2025)
    assert {g.territory: g.dates for g in figures.guinguettes} == {"Grand Est": 64, "Aisne": 19}
    # Villages without a café.
    assert not GuinguetteVisit.objects.filter(commune__cafes__isnull=False, date__year=2025)
    assert GuinguetteVisit.objects.filter(
        state=GuinguetteState.REQUESTED, requested_by__email="adjointe@example.org"
    ).exists()
    assert sum(e.title == "Guinguette mobile" for e in upcoming()) == 2
    klesia = Fund.objects.filter(
        funder__name="KLESIA", funder__accounts__email="financeur@example.org"
    )
    assert klesia.count() == 2
    for fund in klesia:
        assert fund.cafes.count() == 10
        assert set(fund.regions.values_list("name", flat=True)) == {
            "Occitanie",
            "Auvergne-Rhône-Alpes",
        }
        for claim in fund.reimbursements.select_related("booking__cafe__commune__department"):
            assert fund.refusal_for(claim.booking.cafe) == ""


def test_the_catalogue_page_sends_mayors_to_their_request(client_for, elected_user):
    page = html_of(client_for("elected").get("/animations/guinguette-mobile/"))
    assert "les élu·es de la commune la demandent depuis leur espace membre" in page
    assert "/animations/guinguette/demander/" in page
    assert "candidatent pour accueillir une étape" not in page


def test_a_year_of_guinguette_evenings_only_is_in_the_year_selector(vehicles):
    GuinguetteVisit.objects.create(
        commune=make_commune(name="Seebach", department_code="67"),
        date=date(2019, 7, 14),
        place="Place",
        vehicle=vehicles[0],
        state=GuinguetteState.HELD,
        participants=90,
    )
    assert report_years()[-1] == 2019


def test_the_vehicle_list_says_which_is_elsewhere_that_day(
    client_for, elected_user, staff_user, vehicles
):
    confirm_guinguette(ask(mayor_of("Essoyes")), by=staff_user, vehicle=vehicles[0])
    visit = ask(elected_user)
    page = html_of(client_for("staff").get(visit.get_absolute_url()))
    assert "Guinguette mobile du Grand Est (déjà à Essoyes ce jour-là)" in page
    assert ">Guinguette Mobile Picarde<" in page


def test_a_village_cafe_page_and_marker_announce_the_guinguette(client, staff_user, vehicles):
    """The map and café pages learn of coming animations through places' registry."""
    cafe = open_cafe("Chez Renoir", "Essoyes", department_code="10")
    mayor = make_member(Role.ELECTED, commune=cafe.commune)
    visit = ask(mayor)
    assert upcoming_by_cafe([cafe.pk]) == {}
    confirm_guinguette(visit, by=staff_user, vehicle=vehicles[0])
    [entry] = upcoming_by_cafe([cafe.pk])[cafe.pk]
    assert (entry.title, entry.starts_at) == ("Guinguette mobile", visit.starts_at)
    assert "Guinguette mobile" in html_of(client.get(cafe.get_absolute_url()))
    [feature] = client.get("/carte/cafes.geojson").json()["features"]
    assert feature["properties"]["upcoming"] is True
