"""The calendars' addresses moved from two models (events, webinars) to one
(community.calendars): every address subscribed before the move answers after it with the
same events, and the move can be undone without losing one."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from icalendar import Calendar

from community.accounts.models import Role
from community.calendars.models import CalendarFeed
from community.calendars.services import feed_for
from events.calendars import CAFE, booking_uid
from tests.factories import make_member
from webinars.calendars import event_uid
from webinars.services import register_for_webinar

pytestmark = pytest.mark.django_db(transaction=True)

MOVES = (
    "events.migrations.0009_calendar_feeds_move_to_core",
    "webinars.migrations.0002_calendar_feeds_move_to_core",
)
# Each app just before its move.
BEFORE = [
    dependency
    for move in MOVES
    for dependency in import_module(move).Migration.dependencies
    if dependency[0] != "calendars"
]
CAFE_TOKEN = "adresse-du-cafe-abonnee-avant-le-demenagement"
PROVIDER_TOKEN = "adresse-du-prestataire-abonnee-avant-le-demenagement"
MEMBER_TOKEN = "adresse-du-membre-abonnee-avant-le-demenagement"


def migrate(targets=None):
    """Migrate to ``targets`` (default: the latest state); the apps as they were there."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.fixture
def at_the_latest_state():
    yield
    migrate()  # whatever happened, the next tests find the schema they expect


def uids(response) -> list[str]:
    assert response.status_code == 200
    return [str(event["uid"]) for event in Calendar.from_ical(response.content).walk("VEVENT")]


def test_addresses_subscribed_before_the_move_answer_the_same_events(
    client,
    at_the_latest_state,
    confirmed,
    make_webinar,
):
    member = make_member(Role.ELECTED)
    webinar = make_webinar("avant", start=timezone.now() + timedelta(days=9))
    register_for_webinar(webinar, member)
    kept = feed_for(CAFE, confirmed.cafe).token  # made after the move: survives a way back

    old = migrate(BEFORE)
    assert list(
        old.get_model("events", "CalendarFeed").objects.values_list("token", flat=True)
    ) == [kept]
    old.get_model("events", "CalendarFeed").objects.filter(token=kept).delete()
    old.get_model("events", "CalendarFeed").objects.create(
        cafe_id=confirmed.cafe_id, token=CAFE_TOKEN
    )
    old.get_model("events", "CalendarFeed").objects.create(
        provider_id=confirmed.provider_id, token=PROVIDER_TOKEN
    )
    old.get_model("webinars", "CalendarFeed").objects.create(
        member_id=member.pk, token=MEMBER_TOKEN
    )
    migrate()

    assert CalendarFeed.objects.count() == 3
    animation, session = [booking_uid(confirmed)], [event_uid(webinar)]
    assert uids(client.get(f"/animations/calendrier/{CAFE_TOKEN}.ics")) == animation
    assert uids(client.get(f"/animations/calendrier/{PROVIDER_TOKEN}.ics")) == animation
    assert uids(client.get(f"/webinaires/calendrier/{MEMBER_TOKEN}/")) == session
    for token, expected in ((CAFE_TOKEN, animation), (MEMBER_TOKEN, session)):
        assert uids(client.get(f"/calendrier/{token}.ics")) == expected
