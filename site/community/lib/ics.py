"""iCalendar files (RFC 5545), written one way for every calendar of the platform: a
webinar's .ics, a member's webinars, a café's or a provider's animations.

Times are in Paris with a hand-written VTIMEZONE, and subscribed feeds ask calendar apps to
refresh hourly. An event's UID stays the same for its whole life and its SEQUENCE grows
when what calendar apps show of it changes: that is how they replace it instead of adding
a copy.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.http import HttpResponse
from django.utils.text import slugify
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vRecur

from .formats import PARIS, in_paris


def new_token() -> str:
    """The secret of a private feed's address: the URL is the credential."""
    return secrets.token_urlsafe(32)


def paris_timezone() -> Timezone:
    """Europe/Paris as calendar apps write it: the EU rule since 1996 as two RRULEs,
    short and valid for any future year (icalendar's generated one stops in 2038)."""
    timezone = Timezone()
    timezone.add("tzid", "Europe/Paris")
    timezone.add("x-lic-location", "Europe/Paris")
    winter, summer = PARIS.utcoffset(datetime(2026, 1, 1)), PARIS.utcoffset(datetime(2026, 7, 1))
    # Clocks go forward on the last Sunday of March at 2:00, back on October's at 3:00.
    for component, name, offset_from, offset_to, first in (
        (TimezoneDaylight, "CEST", winter, summer, datetime(1970, 3, 29, 2, 0)),
        (TimezoneStandard, "CET", summer, winter, datetime(1970, 10, 25, 3, 0)),
    ):
        change = component()
        change.add("tzname", name)
        change.add("tzoffsetfrom", offset_from)
        change.add("tzoffsetto", offset_to)
        change.add("dtstart", first)
        change.add("rrule", vRecur(freq="YEARLY", bymonth=first.month, byday="-1SU"))
        timezone.add_component(change)
    return timezone


def event(
    *,
    uid: str,
    sequence: int,
    start: datetime,
    end: datetime,
    summary: str,
    description: str,
    location: str,
    status: str = "CONFIRMED",
    url: str = "",
) -> Event:
    item = Event()
    item.add("uid", uid)
    item.add("dtstamp", datetime.now(UTC))
    item.add("sequence", sequence)
    item.add("dtstart", in_paris(start))
    item.add("dtend", in_paris(end))
    item.add("summary", summary)
    item.add("description", description)
    item.add("location", location)
    if url:
        item.add("url", url)
    item.add("status", status)
    item.add("transp", "OPAQUE")
    return item


def build_calendar(events: Iterable[Event], *, name: str, product: str) -> bytes:
    """The calendar named ``name`` (shown by calendar apps) holding ``events``."""
    calendar = Calendar()
    calendar.add("prodid", f"-//Réseau 1000 cafés//{product}//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Paris")
    # Subscribed feeds: ask apps to refresh hourly (Google ignores it, others honour it).
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    calendar.add_component(paris_timezone())
    for item in events:
        calendar.add_component(item)
    return calendar.to_ical()


def ics_response(content: bytes, filename: str, *, attachment: bool = True) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{slugify(filename)}.ics"'
    return response
