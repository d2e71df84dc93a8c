"""The webinar list costs the same number of queries whatever the number of webinars."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.accounts.audience import Audience

pytestmark = pytest.mark.django_db


def count_queries(client, url: str) -> tuple[int, bytes]:
    # Warm up: site, menus, and a staff member's Wagtail profile (created on their first
    # visit; a write no page shows, so the kept lists stay: community/page_cache.py).
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content


def add_webinars(make_webinar, first: int, last: int) -> None:
    """Upcoming webinars and past ones with a replay, every audience."""
    for n in range(first, last):
        audience = Audience.values[n % len(Audience.values)]
        make_webinar(f"a-venir-{n}", audience=audience)
        make_webinar(
            f"replay-{n}",
            audience=audience,
            start=timezone.now() - timedelta(days=n + 1),
            recording_url=f"https://video.example.org/w/{n}",
        )


@pytest.mark.parametrize("role", ["anonymous", "manager", "staff"])
def test_webinar_list_queries_do_not_grow_with_webinars(index, make_webinar, client_for, role):
    client = client_for(role)
    add_webinars(make_webinar, 0, 2)
    few, _ = count_queries(client, index.url)
    add_webinars(make_webinar, 2, 16)
    many, content = count_queries(client, index.url)
    assert many == few, f"{few} queries for 4 webinars, {many} for 32"
    assert b"Webinaire replay-12" in content  # a public replay, listed for everyone
    # Read again: a visitor gets the kept page, a member pays only their own row (route,
    # lists and header kept), staff also the userbar's and the registrants' rights.
    assert many <= {"anonymous": 0, "manager": 1, "staff": 6}[role], many
