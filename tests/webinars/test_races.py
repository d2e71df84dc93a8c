"""Concurrent registrations and cancellations with real threads, each with its own
database connection: PostgreSQL locks the webinar row, SQLite serialises its IMMEDIATE
transactions. Run on both (see the README)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from community.accounts.models import Role
from tests.concurrency import run_at_once
from tests.factories import make_member
from webinars.models import Registration, RegistrationStatus
from webinars.services import WebinarError, cancel_registration, register_for_webinar

pytestmark = pytest.mark.django_db(transaction=True)

CONFIRMED = RegistrationStatus.CONFIRMED
WAITING = RegistrationStatus.WAITING


def run_together(calls: list[Callable[[], object]]) -> list[str]:
    """Start every call at the same instant, each in its own thread; their outcomes."""
    outcomes = run_at_once(calls, refused=WebinarError)
    return ["refused" if isinstance(o, WebinarError) else "done" for o in outcomes]


def test_eight_members_racing_for_three_seats(make_webinar):
    webinar = make_webinar(capacity=3)
    people = [make_member(Role.ELECTED) for _ in range(8)]

    outcomes = run_together(
        [lambda person=person: register_for_webinar(webinar, person) for person in people]
    )

    assert outcomes == ["done"] * 8
    statuses = list(webinar.registrations.values_list("status", flat=True))
    assert statuses.count(CONFIRMED) == 3
    assert statuses.count(WAITING) == 5
    # The waiting list has one position per person, in registration order.
    waiting = webinar.registrations.filter(status=WAITING)
    assert sorted(r.waiting_position() for r in waiting) == [1, 2, 3, 4, 5]


def test_one_member_clicking_twice_at_once_registers_once(make_webinar):
    webinar = make_webinar(capacity=3)
    member = make_member(Role.ELECTED)

    outcomes = run_together([lambda: register_for_webinar(webinar, member)] * 2)

    assert sorted(outcomes) == ["done", "refused"]
    assert webinar.registrations.count() == 1


def test_concurrent_cancellations_promote_the_waiting_list_in_order(make_webinar):
    webinar = make_webinar(capacity=3)
    people = [make_member(Role.MANAGER) for _ in range(8)]
    for person in people:  # one after the other: 3 seats, then 5 in line
        register_for_webinar(webinar, person)
    leaving = people[:3]

    outcomes = run_together(
        [lambda person=person: cancel_registration(webinar, person) for person in leaving]
    )

    assert outcomes == ["done"] * 3
    status = {r.member_id: r.status for r in Registration.objects.filter(webinar=webinar)}
    # The first three in line got the three seats; the last two still wait.
    assert [status[p.pk] for p in people[3:]] == [CONFIRMED] * 3 + [WAITING] * 2
    assert webinar.registrations.filter(status=CONFIRMED).count() == 3


def test_cancellations_racing_registrations_never_overbook(make_webinar):
    webinar = make_webinar(capacity=3)
    seated = [make_member(Role.ELECTED) for _ in range(3)]
    for person in seated:
        register_for_webinar(webinar, person)
    newcomers = [make_member(Role.ELECTED) for _ in range(4)]

    calls = [lambda person=person: cancel_registration(webinar, person) for person in seated[:2]]
    calls += [lambda person=person: register_for_webinar(webinar, person) for person in newcomers]
    outcomes = run_together(calls)

    assert outcomes == ["done"] * 6
    assert webinar.registrations.filter(status=CONFIRMED).count() == 3
    assert webinar.registrations.filter(status=WAITING).count() == 2
