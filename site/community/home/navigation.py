"""The header and footer menus, built once per site and kept in the cache until the page
tree changes.

Every page of the site shows them, and building them costs several queries (children,
their specific rows, view restrictions, footer pages) and most of a page's rendering time.
They are the same for every visitor: only live pages without view restrictions appear, and
audiences do not apply to menus.

Freshness: entries carry the generation they were built under; any change that can alter a
menu (publish, unpublish, move, delete, view restriction, site) sets a new generation once
its transaction commits, so an entry built from older data is never used again, even one a
request stored after the change. The cache must be shared by every worker (Redis in
production); with the local-memory cache of a single `make run` process it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import uuid4

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

GENERATION_KEY = "navigation:generation"


@dataclass(frozen=True)
class MenuItem:
    pk: int
    title: str
    url: str


@dataclass(frozen=True)
class Menus:
    main: tuple[MenuItem, ...] = ()
    footer: tuple[MenuItem, ...] = ()


def _item(page: Page, request: HttpRequest) -> MenuItem:
    return MenuItem(pk=page.pk, title=page.title, url=page.get_url(request) or "")


def build_menus(site: Site, request: HttpRequest) -> Menus:
    from .models import StandardPage

    root = site.root_page
    main = root.get_children().live().public().in_menu().specific().order_by("path")
    footer = (
        StandardPage.objects.live()
        .public()
        .descendant_of(root)
        .filter(show_in_footer=True)
        .order_by("path")
    )
    return Menus(
        main=tuple(_item(page, request) for page in main),
        footer=tuple(_item(page, request) for page in footer),
    )


def menus_for(request: HttpRequest) -> Menus:
    """The request's site menus: one cache read when warm, built and stored otherwise."""
    site = Site.find_for_request(request)
    if site is None:
        return Menus()
    key = f"navigation:site:{site.pk}"
    cached = cache.get_many([GENERATION_KEY, key])
    generation = cached.get(GENERATION_KEY)
    entry = cached.get(key)
    if entry is not None and generation is not None and entry[0] == generation:
        return entry[1]
    if generation is None:  # first use, or evicted: any new value outdates older entries
        generation = uuid4().hex
        cache.set(GENERATION_KEY, generation, timeout=None)
    # Read after the generation: a change committed meanwhile sets a newer one.
    menus = build_menus(site, request)
    cache.set(key, (generation, menus), timeout=None)
    return menus


def _new_generation() -> None:
    cache.set(GENERATION_KEY, uuid4().hex, timeout=None)


def invalidate_menus(**kwargs) -> None:
    """Outdate every site's menus once the change is committed."""
    transaction.on_commit(_new_generation)


def _on_save(sender, **kwargs) -> None:
    # Saving a page sends post_save with its own class as sender, never Page's.
    if issubclass(sender, Page):
        invalidate_menus()


def connect_signals() -> None:
    uid = "community.home.navigation"
    page_published.connect(invalidate_menus, dispatch_uid=f"{uid}.published")
    page_unpublished.connect(invalidate_menus, dispatch_uid=f"{uid}.unpublished")
    post_page_move.connect(invalidate_menus, dispatch_uid=f"{uid}.moved")
    post_save.connect(_on_save, dispatch_uid=f"{uid}.page_saved")
    # Deleting a page of any type deletes its base Page row, which sends this one.
    post_delete.connect(invalidate_menus, sender=Page, dispatch_uid=f"{uid}.page_deleted")
    for model in (PageViewRestriction, Site):
        post_save.connect(invalidate_menus, sender=model, dispatch_uid=f"{uid}.{model.__name__}")
        post_delete.connect(
            invalidate_menus, sender=model, dispatch_uid=f"{uid}.{model.__name__}_deleted"
        )
