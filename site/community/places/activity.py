"""What other features tell about a café's coming public events, without places knowing them.

places sits below the features (events depends on it, never the reverse), yet the map
filters on « animation à venir » and a café's page lists its next animations. So a feature
registers a source here, from its AppConfig.ready::

    register_upcoming(next_public_animations)

A source takes café ids (None: every café) and returns {café id: [Upcoming, …]}.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime

from community.page_cache import changes_at

Source = Callable[[Collection[int] | None], dict[int, list["Upcoming"]]]


@dataclass(frozen=True)
class Upcoming:
    title: str
    starts_at: datetime
    url: str = ""


_sources: list[Source] = []


def register_upcoming(source: Source) -> None:
    if source not in _sources:
        _sources.append(source)


def upcoming_by_cafe(cafe_ids: Collection[int] | None = None) -> dict[int, list[Upcoming]]:
    """Every source's coming public events of these cafés, soonest first."""
    merged: dict[int, list[Upcoming]] = {}
    for source in _sources:
        for cafe_id, items in source(cafe_ids).items():
            merged.setdefault(cafe_id, []).extend(items)
    for items in merged.values():
        items.sort(key=lambda item: item.starts_at)
    # The soonest stops being « à venir » when it starts: a page showing these is not kept
    # past that moment.
    changes_at(min((items[0].starts_at for items in merged.values()), default=None))
    return merged


def upcoming_for(cafe_id: int, limit: int = 5) -> list[Upcoming]:
    return upcoming_by_cafe([cafe_id]).get(cafe_id, [])[:limit]
