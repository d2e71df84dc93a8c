"""Staff request the Guinguette mobile on a commune's behalf (one without a café or any
member too) through the same service as the elected members: the date, the place, and a
vehicle to confirm in one go, or none to leave it pending. Same rules: the season, a vehicle
at one place per date, one request per commune and date; two staff at once send a vehicle
once. Only staff reach the page."""

from __future__ import annotations

import pytest
from django.core import mail

from community.accounts.models import Role
from events.models import GuinguetteState, GuinguetteVisit
from events.services import EventsError, confirm_guinguette, request_guinguette
from tests.concurrency import run_at_once
from tests.factories import make_commune, make_member
from tests.matrix import cases, check, staff_only

from .conftest import grand_est_vehicle, html_of, summer
from .test_guinguette import ask, mayor_of

pytestmark = pytest.mark.django_db

URL = "/animations/guinguette/pour-une-commune/"


@pytest.fixture
def village():
    """A commune with no café and nobody on the platform."""
    return make_commune(name="Courteron", department_code="10", postal_codes="10250")


def on_behalf(by, commune, vehicle=None, **fields) -> GuinguetteVisit:
    return request_guinguette(
        by=by,
        commune=commune,
        day=fields.pop("day", summer()),
        place=fields.pop("place", "Place du lavoir"),
        vehicle=vehicle,
        **fields,
    )


def test_staff_confirm_an_evening_in_a_village_without_cafe_or_member(
    django_capture_on_commit_callbacks, staff_user, village, vehicles
):
    assert not village.cafes.exists()
    with django_capture_on_commit_callbacks(execute=True):
        visit = on_behalf(staff_user, village, vehicles[0], programme="Bal et jeux en bois")
    assert (visit.state, visit.vehicle, visit.requested_by, visit.decided_by) == (
        GuinguetteState.CONFIRMED,
        vehicles[0],
        staff_user,
        staff_user,
    )
    assert visit.programme == "Bal et jeux en bois"
    assert mail.outbox == []  # nobody of the commune to tell, and staff did it themselves


def test_staff_leave_it_pending_and_the_commune_hears_of_it(
    django_capture_on_commit_callbacks, staff_user, vehicles
):
    mayor = mayor_of("Essoyes")
    with django_capture_on_commit_callbacks(execute=True):
        visit = on_behalf(staff_user, mayor.commune)
    assert (visit.state, visit.vehicle) == (GuinguetteState.REQUESTED, None)
    [message] = mail.outbox
    assert message.to == [mayor.email]
    assert "L'équipe du réseau a enregistré pour la commune une demande" in message.body
    # Then decided as any request.
    confirm_guinguette(visit, by=staff_user, vehicle=vehicles[1])
    visit.refresh_from_db()
    assert visit.state == GuinguetteState.CONFIRMED


@pytest.mark.parametrize(
    "change, message",
    [
        ({"day": summer(10, 3)}, "choisissez une date dans la saison"),
        ({"place": " "}, "Indiquez où la Guinguette s'installera"),
    ],
)
def test_the_same_rules_hold(staff_user, village, vehicles, change, message):
    with pytest.raises(EventsError, match=message):
        on_behalf(staff_user, village, vehicles[0], **change)
    assert not GuinguetteVisit.objects.exists()


def test_a_vehicle_elsewhere_that_day_is_refused_and_nothing_is_written(
    staff_user, village, vehicles
):
    elsewhere = ask(mayor_of("Essoyes"))
    confirm_guinguette(elsewhere, by=staff_user, vehicle=vehicles[0])
    with pytest.raises(EventsError, match="est déjà à Essoyes le"):
        on_behalf(staff_user, village, vehicles[0])
    assert not GuinguetteVisit.objects.filter(commune=village).exists()
    # The other vehicle is free.
    assert on_behalf(staff_user, village, vehicles[1]).state == GuinguetteState.CONFIRMED


def test_a_commune_is_asked_for_once_per_date(staff_user, vehicles):
    mayor = mayor_of("Essoyes")
    ask(mayor)
    with pytest.raises(EventsError, match="a déjà demandé la Guinguette mobile le"):
        on_behalf(staff_user, mayor.commune, vehicles[0])
    assert GuinguetteVisit.objects.get().state == GuinguetteState.REQUESTED


def test_only_staff_ask_for_another_commune_or_send_a_vehicle(
    elected_user, manager_user, partner_user, village, vehicles
):
    for user, commune, vehicle in [
        (elected_user, village, None),
        (manager_user, village, None),
        (partner_user, village, None),
        (elected_user, elected_user.commune, vehicles[0]),
    ]:
        with pytest.raises(EventsError, match="Seul"):
            on_behalf(user, commune, vehicle)
    assert not GuinguetteVisit.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_staff_at_once_send_a_vehicle_once():
    """Real threads: the vehicle's row lock (PostgreSQL) or the write lock (SQLite)."""
    vehicle = grand_est_vehicle()
    first, second = make_member(Role.STAFF), make_member(Role.STAFF)
    villages = [make_commune(name=name, department_code="10") for name in ("Polisy", "Polisot")]
    outcomes = run_at_once(
        [
            lambda: on_behalf(first, villages[0], vehicle),
            lambda: on_behalf(second, villages[1], vehicle),
        ],
        refused=EventsError,
        timeout=30,
    )
    refusals = [str(o) for o in outcomes if isinstance(o, EventsError)]
    assert len(outcomes) == 2 and len(refusals) == 1, outcomes
    assert "est déjà à" in refusals[0]
    assert GuinguetteVisit.objects.count() == 1


# ---------------------------------------------------------------------------- the page


@pytest.mark.parametrize("url, role, expected", cases({URL: staff_only(200)}))
def test_only_staff_reach_the_page(client_for, url, role, expected):
    check(client_for(role), url, expected)


@pytest.mark.parametrize("url, role, expected", cases({URL: staff_only(400)}))
def test_only_staff_post_it(client_for, url, role, expected):
    check(client_for(role), url, expected, method="post")
    assert not GuinguetteVisit.objects.exists()


def test_staff_confirm_from_the_page_in_one_go(client_for, village, vehicles):
    client = client_for("staff")
    assert "Programmer une soirée pour une commune" in html_of(
        client.get("/animations/guinguette/")
    )
    response = client.post(
        URL,
        {
            "commune": "Courteron",
            "day": summer().isoformat(),
            "start_time": "19:00",
            "place": "Place du lavoir",
            "programme": "Bal guinguette",
            "vehicle": vehicles[1].pk,
        },
    )
    visit = GuinguetteVisit.objects.get()
    assert response.status_code == 302 and response["Location"] == visit.get_absolute_url()
    assert (visit.commune, visit.state, visit.vehicle) == (
        village,
        GuinguetteState.CONFIRMED,
        vehicles[1],
    )
    page = html_of(client.get(visit.get_absolute_url()))
    assert "Date confirmée" in page and "Bal guinguette" in page


def test_staff_leave_it_pending_from_the_page(client_for, village, vehicles):
    response = client_for("staff").post(
        URL, {"commune": "10250", "day": summer().isoformat(), "place": "Salle des fêtes"}
    )
    assert response.status_code == 302
    assert GuinguetteVisit.objects.get().state == GuinguetteState.REQUESTED


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"commune": "Nulle-Part"}, "Aucune commune ne correspond à « Nulle-Part »"),
        ({"day": summer(11, 2).isoformat()}, "choisissez une date dans la saison"),
    ],
)
def test_bad_input_shows_the_french_message(client_for, village, vehicles, fields, message):
    data = {"commune": "Courteron", "day": summer().isoformat(), "place": "Place", **fields}
    response = client_for("staff").post(URL, data)
    assert response.status_code == 400
    assert message in html_of(response)
    assert not GuinguetteVisit.objects.exists()
