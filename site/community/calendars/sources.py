"""What a subscribed calendar shows, told by the features without the core knowing them.

The core holds the feeds' secret addresses and answers them (views.feed); a feature
registers a source from its AppConfig.ready, as it registers search documents::

    register(FeedSource(
        name="cafe",                          # stored on every feed: never rename it
        model=Cafe,                           # the feed's owner
        events=cafe_events,                   # owner -> the calendar's VEVENTs
        calendar_name=lambda cafe: f"Animations – {cafe.name}",
        product="Animations",                 # in PRODID
        live=None,                            # optional: owners whose feed answers
    ))

Deleting an owner deletes its feed.

A calendar anyone may read (the network's public agenda) has no owner and no secret: the
feature registers it with ``register_public(PublicCalendar(...))`` and routes an address of
its choosing to views.public_feed with the calendar's name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models.signals import post_delete
from icalendar import Event

from .models import CalendarFeed


@dataclass(frozen=True)
class FeedSource:
    name: str
    model: type[models.Model]
    events: Callable[[Any], Iterable[Event]]
    calendar_name: Callable[[Any], str]
    product: str
    # The owners whose feed answers, e.g. approved members only; every owner by default.
    live: Callable[[], models.QuerySet] | None = None

    def owner(self, pk: int) -> Any | None:
        owners = self.live() if self.live else self.model._default_manager.all()
        return owners.filter(pk=pk).first()


@dataclass(frozen=True)
class PublicCalendar:
    name: str
    events: Callable[[], Iterable[Event]]
    calendar_name: str
    product: str


_sources: dict[str, FeedSource] = {}
_public: dict[str, PublicCalendar] = {}


def register(source: FeedSource) -> None:
    known = _sources.get(source.name)
    if known is not None and known.model is not source.model:
        raise ValueError(f"The calendar source {source.name!r} is already registered.")
    _sources[source.name] = source
    post_delete.connect(
        _forget_owner,
        sender=source.model,
        weak=False,
        dispatch_uid=f"calendars-{source.model._meta.label}",
    )


def get(name: str) -> FeedSource | None:
    return _sources.get(name)


def register_public(calendar: PublicCalendar) -> None:
    _public[calendar.name] = calendar


def get_public(name: str) -> PublicCalendar | None:
    return _public.get(name)


def _forget_owner(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    names = [source.name for source in _sources.values() if source.model is sender]
    CalendarFeed.objects.filter(source__in=names, owner_pk=instance.pk).delete()
