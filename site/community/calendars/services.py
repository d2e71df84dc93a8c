"""Every write on the feeds' addresses. Who may ask for which owner's feed is the feature's
decision, taken before it calls here."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models, transaction
from django.utils import timezone

from community.lib.ics import new_token

from . import sources
from .models import CalendarFeed


def _check_source(name: str, owner: models.Model) -> None:
    source = sources.get(name)
    if source is None or not isinstance(owner, source.model):
        raise ValueError(f"No calendar source {name!r} for {type(owner).__name__}.")


def feed_for(source: str, owner: models.Model) -> CalendarFeed:
    """The owner's feed, created on first request (a second request finds it)."""
    _check_source(source, owner)
    with transaction.atomic():
        feed, _created = CalendarFeed.objects.get_or_create(source=source, owner_pk=owner.pk)
    return feed


def new_address(source: str, owner: models.Model) -> CalendarFeed:
    """The owner's feed with a new secret address, created if it had none."""
    _check_source(source, owner)
    with transaction.atomic():
        feed, _created = CalendarFeed.objects.update_or_create(
            source=source,
            owner_pk=owner.pk,
            defaults={"token": new_token(), "created_at": timezone.now()},
        )
    return feed


@transaction.atomic
def renew(feed: CalendarFeed) -> CalendarFeed:
    """A new secret address: calendars subscribed to the old one stop receiving updates."""
    feed = CalendarFeed.objects.select_for_update().get(pk=feed.pk)
    feed.token, feed.created_at = new_token(), timezone.now()
    feed.save(update_fields=["token", "created_at"])
    return feed


@transaction.atomic
def renew_owned(source: str, owner_pks: Iterable[int]) -> None:
    """New addresses for these owners' feeds, when who may hold them changed: an address
    someone took away stops working."""
    for feed in CalendarFeed.objects.select_for_update().of(source, owner_pks):
        feed.token, feed.created_at = new_token(), timezone.now()
        feed.save(update_fields=["token", "created_at"])
