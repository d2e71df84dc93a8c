"""A webinar as calendar apps read it (its .ics and the member's private calendar, registered
in community.calendars from WebinarsConfig.ready)."""

from __future__ import annotations

from django.utils.html import strip_tags
from icalendar import Event
from wagtail.rich_text import expand_db_html

from community.accounts.audience import audiences_for
from community.accounts.models import User
from community.calendars.sources import FeedSource, register
from community.lib import ics

from .models import RegistrationStatus, WebinarPage

MEMBER = "webinars"
PRODUCT = "Webinaires"


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


def member_events(member: User) -> list[Event]:
    """The webinars the member is confirmed for and may still see."""
    webinars = (
        WebinarPage.objects.live()
        .filter(
            registrations__member=member,
            registrations__status=RegistrationStatus.CONFIRMED,
            audience__in=audiences_for(member),
        )
        .order_by("start")
    )
    return [webinar_event(webinar) for webinar in webinars]


def register_sources() -> None:
    register(
        FeedSource(
            name=MEMBER,
            model=User,
            events=member_events,
            calendar_name=lambda member: "Mes webinaires 1000 cafés",
            product=PRODUCT,
            # The feed stops with the membership: a refused or deactivated account's 404s.
            live=User.objects.reachable,
        )
    )
