"""Dates in words read « 1er » on the first of a month in events' pages and messages."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from events.models import Tour
from events.services import EventsError, add_tour_stop

from .conftest import at, html_of, kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def tour() -> Tour:
    year = timezone.localdate().year + 1
    return Tour.objects.create(
        name="Tournée des Villages — été",
        slug="ete",
        kind=kind("tournee-des-villages"),
        season_start=date(year, 6, 1),
        season_end=date(year, 9, 30),
    )


@pytest.mark.parametrize("url", ["/animations/tournees/", "/animations/tournees/ete/"])
def test_tour_pages_write_the_first_of_june_premier(client, tour, url):
    page = html_of(client.get(url))
    year = tour.season_start.year
    assert f"u 1er juin {year} au 30 septembre {year}" in page
    assert " 1 juin" not in page


def test_a_stop_out_of_season_names_the_season_in_french(tour, staff_user, cafe):
    with pytest.raises(EventsError) as refused:
        add_tour_stop(tour, by=staff_user, cafe=cafe, starts_at=at(1), show="Cinéma", provider=None)
    year = tour.season_start.year
    assert f"(1er juin {year} – 30 septembre {year})" in str(refused.value)
