"""The catalogue's kinds and the agenda's entries are rendered once for every reader
(community/fragments.py): each reader keeps their own actions around them, a change shows at
once, and an animation that starts leaves the agenda without any write."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.services import confirm_booking, request_booking

from .conftest import at, html_of, kind

pytestmark = pytest.mark.django_db


def test_each_reader_keeps_their_own_actions_around_the_kept_catalogue(client_for, chess):
    for _ in range(2):
        manager = html_of(client_for("manager").get("/animations/"))
        elected = html_of(client_for("elected").get("/animations/"))
        assert chess.name in manager and chess.name in elected
        assert "Demander une animation" in manager
        assert "Demander une animation" not in elected


def test_a_changed_kind_shows_at_once_in_the_catalogue(client_for, chess):
    client = client_for("elected")
    assert chess.name in html_of(client.get("/animations/"))
    chess.name = "Tournoi d'échecs au café"
    chess.save()
    assert "Tournoi d'échecs au café" in html_of(client.get("/animations/"))


def public_animation(manager_user, staff_user, cafe, provider, starts_at):
    chess = kind("chess-workshop")
    booking = request_booking(
        by=manager_user, cafe=cafe, kind=chess, preferred_dates=[starts_at], is_public=True
    )
    return confirm_booking(booking, by=staff_user, starts_at=starts_at, provider=provider)


def test_a_new_animation_shows_at_once_and_leaves_the_agenda_when_it_starts(
    client_for, manager_user, staff_user, cafe, provider, monkeypatch
):
    client = client_for("elected")
    assert "Aucune animation publique" in html_of(client.get("/animations/agenda/"))
    booking = public_animation(manager_user, staff_user, cafe, provider, at(2))
    assert f'id="animation-{booking.pk}"' in html_of(client.get("/animations/agenda/"))
    later = booking.starts_at + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "Aucune animation publique" in html_of(client.get("/animations/agenda/"))


def test_the_kept_agenda_costs_no_query_whatever_its_length(
    client_for, manager_user, staff_user, cafe, provider
):
    client = client_for("elected")

    def kept_queries() -> int:
        client.get("/animations/agenda/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/animations/agenda/").status_code == 200
        return len(queries)

    public_animation(manager_user, staff_user, cafe, provider, at(3))
    few = kept_queries()
    for days in range(4, 20):
        public_animation(manager_user, staff_user, cafe, provider, at(days))
    assert kept_queries() == few
    # What every member request pays (session, user, notification count) at most.
    assert few <= 3, few
