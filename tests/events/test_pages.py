"""The booking pages: forms, French errors, nothing changed on bad input, lists and filters."""

from __future__ import annotations

import pytest

from community.accounts.models import Role
from events.models import Booking, BookingState
from events.services import request_booking
from tests.factories import make_cafe, make_commune, make_member

from .conftest import at, html_of

pytestmark = pytest.mark.django_db


def local(moment) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def test_manager_requests_through_the_form(client_for, cafe, chess):
    client = client_for("manager")
    assert 'value="' + str(chess.pk) + '" selected' in html_of(
        client.get("/animations/reservations/nouvelle/?animation=chess-workshop")
    )
    response = client.post(
        "/animations/reservations/nouvelle/",
        {
            "cafe": cafe.pk,
            "kind": chess.pk,
            "preferred_1": local(at(20)),
            "preferred_2": local(at(27)),
            "expected_audience": "14",
            "notes": "Salle du fond",
        },
    )
    booking = Booking.objects.get()
    assert response.status_code == 302 and response["Location"] == booking.get_absolute_url()
    assert booking.preferred_dates == [at(20), at(27)]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"preferred_1": "demain soir"}, "Saisissez une date et une heure valides"),
        ({"preferred_1": local(at(-3))}, "est passée"),
        ({"expected_audience": "-4"}, "supérieure ou égale à 1"),
        ({"kind": "999999"}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_requests_explain_in_french_and_create_nothing(client_for, cafe, chess, data, message):
    form = {"cafe": cafe.pk, "kind": chess.pk, "preferred_1": local(at(20)), **data}
    response = client_for("manager").post("/animations/reservations/nouvelle/", form)
    assert response.status_code == 400
    html = html_of(response)
    assert "Le formulaire contient des erreurs" in html and message in html
    assert not Booking.objects.exists()


def test_a_manager_cannot_request_for_another_cafe(client_for, chess):
    other = make_cafe(name="Le Relais")
    response = client_for("manager").post(
        "/animations/reservations/nouvelle/",
        {"cafe": other.pk, "kind": chess.pk, "preferred_1": local(at(20))},
    )
    assert response.status_code == 400
    assert not Booking.objects.exists()


def test_staff_confirm_from_the_booking_page(client_for, requested, provider):
    page = html_of(client_for("staff").get(requested.get_absolute_url()))
    assert "Confirmer cette date" in page and "Proposer cette date" in page
    assert "Accepter la date proposée" not in page
    # Declining ends the request: its button says so; confirming does not.
    assert '<button type="submit" class="danger">Décliner la demande</button>' in page
    assert '<button type="submit">Confirmer cette date</button>' in page
    response = client_for("staff").post(
        f"/animations/reservations/{requested.pk}/confirmer/",
        {"confirmer-starts_at": at(20).isoformat(), "confirmer-provider": provider.pk},
    )
    assert response.status_code == 302
    requested.refresh_from_db()
    assert requested.state == BookingState.CONFIRMED


def test_a_refused_step_shows_the_reason_and_changes_nothing(client_for, requested, provider):
    response = client_for("staff").post(
        f"/animations/reservations/{requested.pk}/proposer/",
        {"proposer-starts_at": local(at(-2)), "proposer-provider": provider.pk},
    )
    assert response.status_code == 400
    assert "est passée" in html_of(response)
    requested.refresh_from_db()
    assert requested.state == BookingState.REQUESTED and requested.history.count() == 1


def test_the_manager_reports_participants_from_the_page(client_for, confirmed):
    Booking.objects.filter(pk=confirmed.pk).update(starts_at=at(-1), ends_at=at(-1, 20))
    client = client_for("manager")
    assert "Enregistrer le bilan" in html_of(client.get(confirmed.get_absolute_url()))
    response = client.post(
        f"/animations/reservations/{confirmed.pk}/bilan/", {"bilan-participants": "12"}
    )
    assert response.status_code == 302
    confirmed.refresh_from_db()
    assert (confirmed.state, confirmed.participants) == (BookingState.HELD, 12)


def test_staff_filters(client_for, requested, confirmed, staff_user):
    elsewhere = make_cafe(name="Ti Kafe Lokorn", commune=make_commune(department_code="29"))
    manager = make_member(Role.MANAGER, cafe=elsewhere)
    request_booking(by=manager, cafe=elsewhere, kind=confirmed.kind, preferred_dates=[at(60)])
    client = client_for("staff")

    def listed(query: str) -> int:
        return client.get(f"/animations/reservations/?{query}").context["page"].paginator.count

    assert listed("") == 2
    assert listed("state=confirmed") == 1
    assert listed(f"department={elsewhere.commune.department.pk}") == 1
    assert listed(f"date_from={at(50).date()}") == 1
    assert listed(f"date_to={at(50).date()}") == 1
    assert listed(f"kind={confirmed.kind.pk}&state=held") == 0
    assert listed("date_from=pas-une-date") == 0


def test_partner_sees_their_engagements_only(client_for, confirmed, partner_user):
    html = html_of(client_for("partner").get("/animations/reservations/"))
    assert "Mes engagements" in html and "Le Café du Village" in html
