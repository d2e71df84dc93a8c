from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from community.lib import ics

from . import sources
from .models import CalendarFeed


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
