"""The header and footer menus of a site, kept in the page-tree cache (tree_cache)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from wagtail.models import Page, Site

from .models import StandardPage
from .tree_cache import PAGE_TREE


@dataclass(frozen=True)
class MenuItem:
    pk: int
    title: str
    url: str
    visitors_only: bool = False


@dataclass(frozen=True)
class Menus:
    main: tuple[MenuItem, ...] = ()
    footer: tuple[MenuItem, ...] = ()


def _item(page: Page, request: HttpRequest) -> MenuItem:
    return MenuItem(
        pk=page.pk,
        title=page.title,
        url=page.get_url(request) or "",
        visitors_only=isinstance(page, StandardPage) and page.visitors_only,
    )


def build_menus(site: Site, request: HttpRequest) -> Menus:
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
    """The request's site menus."""
    site = Site.find_for_request(request)
    if site is None:
        return Menus()
    return PAGE_TREE.get_or_build(f"menus:{site.pk}", lambda: build_menus(site, request))
