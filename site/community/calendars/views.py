from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from community.lib import ics

from . import sources
from .models import CalendarFeed

# Calendar apps poll hourly: a few minutes' delay after a change costs them nothing, and
# spares the site a rebuild for every subscriber behind one proxy.
PUBLIC_MAX_AGE = 300


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """No login (calendar apps cannot log in): the unguessable token is the credential."""
    calendar_feed = CalendarFeed.objects.filter(token=token).first()
    source = sources.get(calendar_feed.source) if calendar_feed else None
    owner = source.owner(calendar_feed.owner_pk) if source else None
    if owner is None:
        raise Http404("Aucun calendrier à cette adresse.")
    name = source.calendar_name(owner)
    body = ics.build_calendar(source.events(owner), name=name, product=source.product)
    response = ics.ics_response(body, name, attachment=False)
    # Each poll reads the current events; never kept by the page cache nor a proxy.
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response


def public_feed(request: HttpRequest, name: str) -> HttpResponse:
    """A calendar for anyone: the same answer to every visitor, so the anonymous page cache
    keeps it until what it shows changes, and a proxy or calendar app for a few minutes."""
    calendar = sources.get_public(name)
    if calendar is None:
        raise Http404("Aucun calendrier à cette adresse.")
    body = ics.build_calendar(
        calendar.events(), name=calendar.calendar_name, product=calendar.product
    )
    response = ics.ics_response(body, calendar.calendar_name, attachment=False)
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response
