"""The webinars' lists are rendered once per set of audiences (community/fragments.py):
each reader still sees only their audiences' webinars, and a change shows at once, or when a
webinar ends, which moves it to the replays without any write."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from community.accounts.audience import Audience

pytestmark = pytest.mark.django_db


def test_each_reader_sees_the_webinars_of_their_audiences(client_for, make_webinar):
    make_webinar("elus", title="Pour les élu·es", audience=Audience.ELECTED)
    make_webinar("gerants", title="Pour les gérant·es", audience=Audience.MANAGERS)
    for _ in range(2):
        elected = client_for("elected").get("/webinaires/").content.decode()
        manager = client_for("manager").get("/webinaires/").content.decode()
        assert "Pour les élu·es" in elected and "Pour les gérant·es" not in elected
        assert "Pour les gérant·es" in manager and "Pour les élu·es" not in manager


def test_a_new_webinar_shows_at_once(client_for, make_webinar):
    client = client_for("elected")
    make_webinar("premier", title="Premier webinaire")
    assert "Premier webinaire" in client.get("/webinaires/").content.decode()
    make_webinar("second", title="Second webinaire")
    assert "Second webinaire" in client.get("/webinaires/").content.decode()


def test_a_webinar_moves_to_the_replays_when_it_ends(client_for, make_webinar, monkeypatch):
    client = client_for("elected")
    now = timezone.now()
    make_webinar(
        "en-cours",
        title="En cours",
        start=now - timedelta(minutes=80),
        recording_url="https://video.example.org/w/replay",
    )
    html = client.get("/webinaires/").content.decode()
    assert html.index("En cours") < html.index("Replays des webinaires passés")
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(minutes=15))
    html = client.get("/webinaires/").content.decode()
    assert html.index("Replays des webinaires passés") < html.index("En cours")


def test_the_webinar_page_shows_its_replay_once_over_and_each_reader_their_registration(
    client_for, make_webinar, monkeypatch
):
    now = timezone.now()
    webinar = make_webinar(
        "bientot-fini",
        start=now - timedelta(minutes=80),
        recording_url="https://video.example.org/w/replay",
    )
    elected, manager = client_for("elected"), client_for("manager")
    elected.post(f"{webinar.url}inscription/")
    for _ in range(2):
        assert "Votre place est réservée" in elected.get(webinar.url).content.decode()
        page = manager.get(webinar.url).content.decode()
        assert "Votre place est réservée" not in page and 'id="replay"' not in page
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(minutes=15))
    assert 'id="replay"' in manager.get(webinar.url).content.decode()
