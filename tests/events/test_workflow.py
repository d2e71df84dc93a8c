"""The booking workflow: every step allowed by the transition table, and refused ones."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from community.accounts.models import Role
from community.mail import render_email
from events.models import (
    TRANSITIONS,
    Booking,
    BookingEvent,
    BookingState,
    Provider,
    ProviderUnavailability,
)
from events.services import (
    EventsError,
    accept_booking,
    cancel_booking,
    confirm_booking,
    decline_booking,
    propose_date,
    report_booking,
    request_booking,
)
from tests.factories import make_cafe, make_member

from .conftest import at, kind
from .files import image_bomb, jpeg_with_exif

pytestmark = pytest.mark.django_db


def snapshot(booking: Booking) -> tuple:
    """What a refused step must leave untouched."""
    booking.refresh_from_db()
    return (
        booking.state,
        booking.starts_at,
        booking.provider_id,
        booking.participants,
        booking.calendar_sequence,
        booking.history.count(),
    )


def test_request_records_the_step_and_tells_staff(
    django_capture_on_commit_callbacks, manager_user, staff_user, cafe, chess
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = request_booking(
            by=manager_user,
            cafe=cafe,
            kind=chess,
            preferred_dates=[at(27), at(20), at(34)],
            expected_audience=14,
            notes="Salle du fond, 10 échiquiers sur place",
        )
    assert booking.state == BookingState.REQUESTED
    assert booking.preferred_dates == [at(20), at(27), at(34)]
    event = booking.history.get()
    assert (event.action, event.from_state, event.to_state, event.by) == (
        "request",
        "",
        BookingState.REQUESTED,
        manager_user,
    )
    # One message per recipient: nobody sees the other's address.
    assert sorted(message.to for message in mail.outbox) == sorted(
        [[manager_user.email], [staff_user.email]]
    )
    for message in mail.outbox:
        assert "Nouvelle demande" in message.subject
        assert "Atelier d'initiation aux échecs" in message.body
        assert f"/animations/reservations/{booking.pk}/" in message.body


def test_the_whole_path_to_held(
    django_capture_on_commit_callbacks, requested, manager_user, staff_user, provider
):
    with django_capture_on_commit_callbacks(execute=True):
        propose_date(
            requested, by=staff_user, starts_at=at(30), provider=provider, note="Plutôt le 30"
        )
        accept_booking(requested, by=manager_user)
    requested.refresh_from_db()
    assert requested.state == BookingState.CONFIRMED
    assert requested.starts_at == at(30)
    assert requested.ends_at == at(30) + requested.kind.duration
    Booking.objects.filter(pk=requested.pk).update(starts_at=at(-1), ends_at=at(-1, 20))
    requested.refresh_from_db()
    report_booking(requested, by=manager_user, participants=12, note="Belle soirée")
    requested.refresh_from_db()
    assert (requested.state, requested.participants) == (BookingState.HELD, 12)
    steps = list(requested.history.values_list("action", "from_state", "to_state", "by"))
    assert steps == [
        ("request", "", "requested", manager_user.pk),
        ("propose", "requested", "proposed", staff_user.pk),
        ("accept", "proposed", "confirmed", manager_user.pk),
        ("report", "confirmed", "held", manager_user.pk),
    ]
    # The proposal reached the manager; the acceptance reached staff and the provider.
    # One message per recipient, never a shared To:.
    assert all(len(message.to) == 1 for message in mail.outbox)
    [proposal] = [m for m in mail.outbox if "Nouvelle date proposée" in m.subject]
    assert proposal.to == [manager_user.email]
    assert "Plutôt le 30" in proposal.body
    acceptances = [m.to[0] for m in mail.outbox if m is not proposal]
    assert {staff_user.email, provider.account.email} <= set(acceptances)


def test_confirm_takes_one_of_the_requested_dates(requested, staff_user, provider):
    before = snapshot(requested)
    with pytest.raises(EventsError, match="l'une des dates demandées"):
        confirm_booking(requested, by=staff_user, starts_at=at(21), provider=provider)
    assert snapshot(requested) == before
    confirm_booking(requested, by=staff_user, starts_at=at(27), provider=provider)
    requested.refresh_from_db()
    assert (requested.state, requested.starts_at, requested.provider) == (
        BookingState.CONFIRMED,
        at(27),
        provider,
    )


@pytest.mark.parametrize(
    "step, who, message",
    [
        (
            lambda b, u, p: confirm_booking(b, by=u, starts_at=at(20), provider=p),
            "manager",
            "équipe",
        ),
        (lambda b, u, p: decline_booking(b, by=u, note="Non"), "manager", "équipe"),
        (lambda b, u, p: accept_booking(b, by=u), "manager", "« demandée »"),
        (lambda b, u, p: accept_booking(b, by=u), "staff", "« demandée »"),
        (lambda b, u, p: report_booking(b, by=u, participants=3), "manager", "« demandée »"),
        (lambda b, u, p: cancel_booking(b, by=u), "partner", "gérant·e du café ou équipe"),
        (lambda b, u, p: cancel_booking(b, by=u), "elected", "gérant·e du café ou équipe"),
    ],
)
def test_refused_steps_on_a_request_change_nothing(
    request, requested, provider, step, who, message
):
    user = request.getfixturevalue(f"{who}_user")
    before = snapshot(requested)
    with pytest.raises(EventsError, match=message):
        step(requested, user, provider)
    assert snapshot(requested) == before


def test_a_manager_of_another_cafe_can_do_nothing(requested, chess):
    stranger = make_member(Role.MANAGER, cafe=make_cafe(name="Le Bistrot d'à côté"))
    before = snapshot(requested)
    with pytest.raises(EventsError, match="gérant·e du café ou équipe"):
        cancel_booking(requested, by=stranger)
    with pytest.raises(EventsError, match="votre café"):
        request_booking(by=stranger, cafe=requested.cafe, kind=chess, preferred_dates=[at(40)])
    assert snapshot(requested) == before


def test_held_and_declined_bookings_are_final(held, staff_user, manager_user, provider):
    before = snapshot(held)
    for step in (
        lambda: cancel_booking(held, by=staff_user),
        lambda: propose_date(held, by=staff_user, starts_at=at(40), provider=provider),
        lambda: report_booking(held, by=manager_user, participants=99),
    ):
        with pytest.raises(EventsError, match="« réalisée »"):
            step()
    assert snapshot(held) == before


def test_decline_needs_a_reason(requested, staff_user):
    with pytest.raises(EventsError, match="pourquoi"):
        decline_booking(requested, by=staff_user, note="  ")
    decline_booking(requested, by=staff_user, note="Pas de prestataire disponible en août")
    requested.refresh_from_db()
    assert requested.state == BookingState.DECLINED
    assert requested.history.last().note == "Pas de prestataire disponible en août"


def test_manager_cancels_before_the_deadline_staff_any_time(
    requested, manager_user, staff_user, provider
):
    confirm_booking(requested, by=staff_user, starts_at=at(20), provider=provider)
    cancel_booking(requested, by=manager_user, note="Salle indisponible")
    requested.refresh_from_db()
    assert requested.state == BookingState.CANCELLED

    late = request_booking(
        by=manager_user, cafe=requested.cafe, kind=requested.kind, preferred_dates=[at(5)]
    )
    confirm_booking(late, by=staff_user, starts_at=at(5), provider=provider)
    before = snapshot(late)
    with pytest.raises(EventsError, match="moins de 7 jours"):
        cancel_booking(late, by=manager_user)
    assert snapshot(late) == before
    cancel_booking(late, by=staff_user, note="Intervenant malade")
    late.refresh_from_db()
    assert late.state == BookingState.CANCELLED


def test_report_only_after_the_animation(confirmed, manager_user):
    before = snapshot(confirmed)
    with pytest.raises(EventsError, match="après l'animation"):
        report_booking(confirmed, by=manager_user, participants=12)
    assert snapshot(confirmed) == before


def test_participants_must_be_plausible(confirmed, manager_user):
    Booking.objects.filter(pk=confirmed.pk).update(starts_at=at(-1), ends_at=at(-1, 20))
    before = snapshot(confirmed)
    with pytest.raises(EventsError, match="entre 0 et 10 000"):
        report_booking(confirmed, by=manager_user, participants=-1)
    assert snapshot(confirmed) == before


def test_request_dates_must_be_future_distinct_and_at_most_three(manager_user, cafe, chess):
    with pytest.raises(EventsError, match="passée"):
        request_booking(by=manager_user, cafe=cafe, kind=chess, preferred_dates=[at(-2)])
    with pytest.raises(EventsError, match="entre une et trois"):
        request_booking(
            by=manager_user, cafe=cafe, kind=chess, preferred_dates=[at(d) for d in (5, 6, 7, 8)]
        )
    with pytest.raises(EventsError, match="entre une et trois"):
        request_booking(by=manager_user, cafe=cafe, kind=chess, preferred_dates=[])
    assert not Booking.objects.exists()


def test_tour_programmes_are_not_requested_directly(manager_user, cafe):
    with pytest.raises(EventsError, match="tournée"):
        request_booking(
            by=manager_user, cafe=cafe, kind=kind("tournee-des-villages"), preferred_dates=[at(9)]
        )


def test_the_provider_is_never_booked_twice(requested, staff_user, provider, chess):
    confirm_booking(requested, by=staff_user, starts_at=at(20), provider=provider)
    other_cafe = make_cafe(name="Le Relais", commune=requested.cafe.commune)
    other_manager = make_member(Role.MANAGER, cafe=other_cafe)
    other = request_booking(
        by=other_manager, cafe=other_cafe, kind=chess, preferred_dates=[at(20, 19)]
    )
    before = snapshot(other)
    with pytest.raises(EventsError, match="Échiquier Tarnais est déjà engagé·e ailleurs"):
        confirm_booking(other, by=staff_user, starts_at=at(20, 19), provider=provider)
    assert snapshot(other) == before
    # Right after the first one ends, the provider is free again.
    propose_date(other, by=staff_user, starts_at=at(20, 20), provider=provider)


def test_the_cafe_is_never_booked_twice(confirmed, manager_user, chess, staff_user):
    with pytest.raises(EventsError, match="a déjà une animation prévue"):
        request_booking(
            by=manager_user, cafe=confirmed.cafe, kind=chess, preferred_dates=[at(20, 19)]
        )
    # A shared meal needs no provider: only the café can clash.
    second = request_booking(
        by=manager_user, cafe=confirmed.cafe, kind=kind("shared-meal"), preferred_dates=[at(22)]
    )
    with pytest.raises(EventsError, match="a déjà une animation prévue"):
        propose_date(second, by=staff_user, starts_at=at(20, 17), provider=None)
    assert Booking.objects.filter(state=BookingState.REQUESTED).count() == 1


def test_provider_unavailability_is_respected(requested, staff_user, provider):
    ProviderUnavailability.objects.create(
        provider=provider, start=at(19).date(), end=at(21).date(), reason="Festival"
    )
    with pytest.raises(EventsError, match="n'est pas disponible"):
        confirm_booking(requested, by=staff_user, starts_at=at(20), provider=provider)
    confirm_booking(requested, by=staff_user, starts_at=at(27), provider=provider)


def test_provider_must_offer_the_kind(requested, staff_user, provider):
    stranger = Provider.objects.create(name="Les Tréteaux", type=Provider.Type.COMPANY)
    with pytest.raises(EventsError, match="ne propose pas"):
        confirm_booking(requested, by=staff_user, starts_at=at(20), provider=stranger)
    with pytest.raises(EventsError, match="Choisissez le prestataire"):
        confirm_booking(requested, by=staff_user, starts_at=at(20), provider=None)
    assert not BookingEvent.objects.filter(action="confirm").exists()


def test_a_date_change_bumps_the_calendar_sequence(confirmed, staff_user, manager_user, provider):
    assert confirmed.calendar_sequence == 0
    propose_date(confirmed, by=staff_user, starts_at=at(41), provider=provider)
    confirmed.refresh_from_db()
    assert (confirmed.state, confirmed.calendar_sequence) == (BookingState.PROPOSED, 1)
    accept_booking(confirmed, by=manager_user)
    confirmed.refresh_from_db()
    assert confirmed.calendar_sequence == 1


def test_nothing_is_sent_when_the_transaction_rolls_back(
    django_capture_on_commit_callbacks, manager_user, cafe, chess
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        request_booking(by=manager_user, cafe=cafe, kind=chess, preferred_dates=[at(9)])
        raise RuntimeError
    assert callbacks == [] and mail.outbox == []
    assert not Booking.objects.exists()


def test_report_photos_are_validated_images(confirmed, manager_user, media_roots):
    Booking.objects.filter(pk=confirmed.pk).update(starts_at=at(-1), ends_at=at(-1, 20))
    before = snapshot(confirmed)
    with pytest.raises(EventsError, match="bombe.png : .*(démesurée|trop grand)"):
        report_booking(confirmed, by=manager_user, participants=12, photos=[(image_bomb(), "")])
    assert snapshot(confirmed) == before and not confirmed.photos.exists()
    report_booking(
        confirmed, by=manager_user, participants=12, photos=[(jpeg_with_exif(), "La partie")]
    )
    [photo] = confirmed.photos.all()
    assert photo.alt_text == "La partie" and photo.thumbnail


def test_every_step_has_its_own_email_subject_and_text(held, manager_user):
    """A step's e-mail takes its subject and text from the step: a new step in TRANSITIONS
    without them cannot be sent, and no two steps read alike."""
    texts = set()
    for action, transition in TRANSITIONS.items():
        event = BookingEvent(booking=held, action=action, by=manager_user)
        subject, body = render_email(
            "booking_step",
            {
                "booking": held,
                "event": event,
                "headline": transition.headline,
                "step_text": f"emails/booking_steps/{action}.txt",
                "when": "samedi 20 juin 2026 à 18 h 00",
                "note": "",
            },
        )
        assert subject.endswith(f"{transition.headline} : {held.kind.name} au {held.cafe.name}")
        text = body.split("Bonjour,\n\n")[1].split("\n\nLa réservation")[0]
        assert held.kind.name in text or held.cafe.name in text
        texts.add(text)
    assert len(texts) == len(TRANSITIONS)
