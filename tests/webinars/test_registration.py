"""Registration, waiting list, promotion, cancellation: the services and their pages."""

from __future__ import annotations

from datetime import timedelta
from html import unescape

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from community.accounts.audience import Audience
from community.accounts.models import MembershipStatus, Role
from tests.factories import make_member
from webinars.models import Registration, RegistrationStatus
from webinars.services import (
    WebinarError,
    cancel_registration,
    promote_waiting_list,
    register_for_webinar,
)

pytestmark = pytest.mark.django_db

CONFIRMED = RegistrationStatus.CONFIRMED
WAITING = RegistrationStatus.WAITING
CANCELLED = RegistrationStatus.CANCELLED


def members(n: int, role: str = Role.ELECTED) -> list:
    return [make_member(role) for _ in range(n)]


def statuses(webinar) -> list[str]:
    return list(webinar.registrations.order_by("queued_at", "pk").values_list("status", flat=True))


def test_a_member_gets_a_seat_and_an_e_mail(
    make_webinar, elected_user, django_capture_on_commit_callbacks
):
    webinar = make_webinar(title="Financer la réouverture du café : les aides")
    with django_capture_on_commit_callbacks(execute=True):
        registration = register_for_webinar(webinar, elected_user)
    assert registration.status == CONFIRMED
    assert registration.confirmed_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [elected_user.email]
    assert message.subject == (
        "[1000 cafés] Inscription confirmée : Financer la réouverture du café : les aides"
    )
    assert "http://localhost/webinaires/webinaire/" in message.body
    assert "&#x27;" not in message.body


def test_one_registration_per_member(make_webinar, elected_user):
    webinar = make_webinar()
    register_for_webinar(webinar, elected_user)
    with pytest.raises(WebinarError, match="déjà inscrit·e"):
        register_for_webinar(webinar, elected_user)
    assert webinar.registrations.count() == 1


def test_the_database_refuses_a_second_row_for_the_same_member(make_webinar, elected_user):
    from django.db import IntegrityError, transaction

    webinar = make_webinar()
    Registration.objects.create(webinar=webinar, member=elected_user, status=CONFIRMED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(webinar=webinar, member=elected_user, status=WAITING)


def test_full_webinar_puts_members_on_the_waiting_list_in_order(make_webinar):
    webinar = make_webinar(capacity=2)
    people = members(4)
    results = [register_for_webinar(webinar, person) for person in people]
    assert [r.status for r in results] == [CONFIRMED, CONFIRMED, WAITING, WAITING]
    assert [r.waiting_position() for r in results] == [None, None, 1, 2]
    with pytest.raises(WebinarError, match="déjà sur la liste d'attente"):
        register_for_webinar(webinar, people[3])


def test_cancelling_a_seat_promotes_the_first_in_line_and_tells_them(
    make_webinar, django_capture_on_commit_callbacks
):
    webinar = make_webinar(capacity=1, title="Trouver et recruter un·e gérant·e")
    first, second, third = members(3)
    for person in (first, second, third):
        register_for_webinar(webinar, person)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancel_registration(webinar, first)
    assert Registration.objects.get(member=first).status == CANCELLED
    assert Registration.objects.get(member=second).status == CONFIRMED
    assert Registration.objects.get(member=third).status == WAITING
    assert Registration.objects.get(member=third).waiting_position() == 1
    assert [m.to for m in mail.outbox] == [[second.email]]
    assert "Une place s'est libérée : Trouver et recruter un·e gérant·e" in mail.outbox[0].subject
    assert "votre inscription est confirmée" in mail.outbox[0].body


def test_leaving_the_waiting_list_promotes_nobody(make_webinar):
    webinar = make_webinar(capacity=1)
    first, second, third = members(3)
    for person in (first, second, third):
        register_for_webinar(webinar, person)
    cancel_registration(webinar, second)
    assert statuses(webinar) == [CONFIRMED, CANCELLED, WAITING]


def test_re_registering_after_cancelling_goes_to_the_back_of_the_line(make_webinar):
    webinar = make_webinar(capacity=1)
    first, second = members(2)
    register_for_webinar(webinar, first)
    register_for_webinar(webinar, second)
    cancel_registration(webinar, first)  # second gets the seat
    again = register_for_webinar(webinar, first)
    assert again.status == WAITING
    assert webinar.registrations.count() == 2


def test_raising_the_capacity_in_the_admin_promotes_in_order(
    make_webinar, django_capture_on_commit_callbacks
):
    webinar = make_webinar(capacity=1)
    people = members(4)
    for person in people:
        register_for_webinar(webinar, person)
    mail.outbox.clear()
    webinar.capacity = 3
    with django_capture_on_commit_callbacks(execute=True):
        webinar.save_revision().publish()
    assert statuses(webinar) == [CONFIRMED, CONFIRMED, CONFIRMED, WAITING]
    assert sorted(m.to[0] for m in mail.outbox) == sorted([people[1].email, people[2].email])


def test_lowering_the_capacity_keeps_confirmed_seats(make_webinar):
    webinar = make_webinar(capacity=3)
    for person in members(3):
        register_for_webinar(webinar, person)
    webinar.capacity = 1
    webinar.save_revision().publish()
    assert statuses(webinar) == [CONFIRMED] * 3
    assert register_for_webinar(webinar, make_member()).status == WAITING


def test_seats_freed_without_a_promotion_go_to_those_waiting_first(make_webinar):
    webinar = make_webinar(capacity=1)
    first, second = members(2)
    register_for_webinar(webinar, first)
    register_for_webinar(webinar, second)
    # A capacity changed outside the admin (a shell, a data fix) promotes nobody at once…
    type(webinar).objects.filter(pk=webinar.pk).update(capacity=2)
    newcomer = register_for_webinar(webinar, make_member())
    # …but the next registration gives the seat to the person who waited.
    assert Registration.objects.get(member=second).status == CONFIRMED
    assert newcomer.status == WAITING
    assert promote_waiting_list(webinar) == []


@pytest.mark.parametrize(
    ("audience", "role", "message"),
    [
        (Audience.ELECTED, Role.MANAGER, "réservé aux élu·es"),
        (Audience.MANAGERS, Role.ELECTED, "réservé aux gérant·es de café"),
        (Audience.ELECTED, Role.PARTNER, "réservé aux élu·es"),
    ],
)
def test_the_audience_is_enforced_by_the_service(make_webinar, audience, role, message):
    webinar = make_webinar(audience=audience)
    with pytest.raises(WebinarError, match=message):
        register_for_webinar(webinar, make_member(role))
    assert not webinar.registrations.exists()


@pytest.mark.parametrize("status", [MembershipStatus.PENDING, MembershipStatus.REFUSED])
def test_unapproved_accounts_cannot_register(make_webinar, status):
    webinar = make_webinar(audience=Audience.PUBLIC)
    with pytest.raises(WebinarError, match="adhésion est validée"):
        register_for_webinar(webinar, make_member(status=status))
    assert not webinar.registrations.exists()


def test_registration_closes_when_the_webinar_is_over(make_webinar, elected_user):
    webinar = make_webinar(start=timezone.now() - timedelta(hours=3))
    with pytest.raises(WebinarError, match="terminé"):
        register_for_webinar(webinar, elected_user)


def test_unpublished_webinar_takes_no_registration(make_webinar, elected_user):
    webinar = make_webinar()
    webinar.unpublish()
    with pytest.raises(WebinarError, match="n'est pas publié"):
        register_for_webinar(webinar, elected_user)


def test_cancelling_without_a_registration_is_refused(make_webinar, elected_user):
    with pytest.raises(WebinarError, match="pas inscrit·e"):
        cancel_registration(make_webinar(), elected_user)


# Through the pages -----------------------------------------------------------------


def test_member_registers_and_cancels_from_the_page(client_for, make_webinar):
    webinar = make_webinar()
    client = client_for("elected")
    page = client.get(webinar.url).content.decode()
    assert "30 places disponibles" in page
    assert "S'inscrire" in page

    response = client.post(webinar.url + "inscription/", follow=True)
    html = response.content.decode()
    assert "Votre inscription est confirmée" in html
    assert "Inscrit·e" in html
    assert "Annuler mon inscription" in html

    response = client.post(webinar.url + "desinscription/", follow=True)
    assert "Votre inscription est annulée." in response.content.decode()
    assert not webinar.registrations.exclude(status=CANCELLED).exists()


def test_a_full_webinar_offers_the_waiting_list(client_for, make_webinar):
    webinar = make_webinar(capacity=1)
    register_for_webinar(webinar, make_member())
    client = client_for("manager")
    assert "Rejoindre la liste d'attente" in client.get(webinar.url).content.decode()
    html = unescape(client.post(webinar.url + "inscription/", follow=True).content.decode())
    assert "vous êtes sur la liste d'attente (position 1)" in html
    assert "Quitter la liste d'attente" in html


def test_registering_twice_shows_a_french_error_and_changes_nothing(client_for, make_webinar):
    webinar = make_webinar()
    client = client_for("elected")
    client.post(webinar.url + "inscription/")
    response = client.post(webinar.url + "inscription/", follow=True)
    assert response.status_code == 200
    assert "Vous êtes déjà inscrit·e à ce webinaire." in response.content.decode()
    assert webinar.registrations.count() == 1


def test_cancelling_twice_shows_a_french_error(client_for, make_webinar):
    webinar = make_webinar()
    client = client_for("elected")
    response = client.post(webinar.url + "desinscription/", follow=True)
    assert "Vous n'êtes pas inscrit·e à ce webinaire." in unescape(response.content.decode())


def test_registration_needs_the_csrf_token(make_webinar, elected_user):
    webinar = make_webinar()
    client = Client(enforce_csrf_checks=True)
    client.force_login(elected_user)
    assert client.post(webinar.url + "inscription/").status_code == 403
    assert not webinar.registrations.exists()


def test_anonymous_is_sent_to_log_in_and_back_to_the_webinar(client, make_webinar):
    webinar = make_webinar()
    response = client.post(webinar.url + "inscription/")
    assert response["Location"] == "/comptes/login/?next=/webinaires/webinaire/"
