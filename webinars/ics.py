"""iCalendar files (RFC 5545): one webinar's .ics and a member's private feed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.http import HttpResponse
from django.utils.html import strip_tags
from django.utils.text import slugify
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vRecur
from wagtail.rich_text import expand_db_html

from community.lib.formats import PARIS, in_paris

from .models import WebinarPage

PRODID = "-//Réseau 1000 cafés//Webinaires//FR"


def _paris_timezone() -> Timezone:
    """Europe/Paris as calendar apps write it: the EU rule since 1996 as two RRULEs,
    short and valid for any future year (icalendar's generated one stops in 2038)."""
    timezone = Timezone()
    timezone.add("tzid", "Europe/Paris")
    timezone.add("x-lic-location", "Europe/Paris")
    summer = TimezoneDaylight()
    summer.add("tzname", "CEST")
    summer.add("tzoffsetfrom", PARIS.utcoffset(datetime(2026, 1, 1)))
    summer.add("tzoffsetto", PARIS.utcoffset(datetime(2026, 7, 1)))
    summer.add("dtstart", datetime(1970, 3, 29, 2, 0))
    summer.add("rrule", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    winter = TimezoneStandard()
    winter.add("tzname", "CET")
    winter.add("tzoffsetfrom", PARIS.utcoffset(datetime(2026, 7, 1)))
    winter.add("tzoffsetto", PARIS.utcoffset(datetime(2026, 1, 1)))
    winter.add("dtstart", datetime(1970, 10, 25, 3, 0))
    winter.add("rrule", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    timezone.add_component(summer)
    timezone.add_component(winter)
    return timezone


def event_uid(webinar: WebinarPage) -> str:
    """Stable for the webinar's whole life: its primary key and the site's host name."""
    site = webinar.get_site()
    host = site.hostname if site is not None else "1000cafes"
    return f"webinar-{webinar.pk}@{host}"


def _description(webinar: WebinarPage, url: str) -> str:
    parts = []
    if webinar.speaker_list:
        parts.append("Avec " + ", ".join(webinar.speaker_list) + ".")
    text = strip_tags(expand_db_html(webinar.description)).strip()
    if text:
        parts.append(text)
    parts.append(f"Inscription et lien de connexion : {url}")
    return "\n\n".join(parts)


def webinar_event(webinar: WebinarPage, stamp: datetime) -> Event:
    url = webinar.get_full_url() or webinar.url
    event = Event()
    event.add("uid", event_uid(webinar))
    event.add("dtstamp", stamp)
    event.add("sequence", webinar.calendar_sequence)
    event.add("dtstart", in_paris(webinar.start))
    event.add("dtend", in_paris(webinar.end))
    event.add("summary", f"Webinaire 1000 cafés : {webinar.title}")
    event.add("description", _description(webinar, url))
    event.add("location", "En ligne")
    event.add("url", url)
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def build_calendar(webinars: Iterable[WebinarPage], name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Paris")
    # Subscribed feeds: ask apps to refresh hourly (Google ignores it, others honour it).
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    calendar.add_component(_paris_timezone())
    stamp = datetime.now(UTC)
    for webinar in webinars:
        calendar.add_component(webinar_event(webinar, stamp))
    return calendar.to_ical()


def ics_response(content: bytes, filename: str, *, attachment: bool = True) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{slugify(filename)}.ics"'
    return response
