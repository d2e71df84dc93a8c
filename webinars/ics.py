"""iCalendar files (RFC 5545): one webinar's .ics and a member's private feed, written by
community.lib.ics."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import strip_tags
from icalendar import Event
from wagtail.rich_text import expand_db_html

from community.lib import ics

from .models import WebinarPage


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


def webinar_event(webinar: WebinarPage) -> Event:
    url = webinar.get_full_url() or webinar.url
    return ics.event(
        uid=event_uid(webinar),
        sequence=webinar.calendar_sequence,
        start=webinar.start,
        end=webinar.end,
        summary=f"Webinaire 1000 cafés : {webinar.title}",
        description=_description(webinar, url),
        location="En ligne",
        url=url,
    )


def build_calendar(webinars: Iterable[WebinarPage], name: str) -> bytes:
    return ics.build_calendar(
        (webinar_event(webinar) for webinar in webinars), name=name, product="Webinaires"
    )
