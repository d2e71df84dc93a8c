from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from wagtail.models import Page, Site

from .models import StandardPage


def _menu_pages(request: HttpRequest) -> dict[str, list[Page]]:
    site = Site.find_for_request(request)
    if site is None:
        return {"main": [], "footer": []}
    root = site.root_page
    main = list(root.get_children().live().public().in_menu().specific().order_by("path"))
    footer = list(
        StandardPage.objects.live()
        .public()
        .descendant_of(root)
        .filter(show_in_footer=True)
        .order_by("path")
    )
    return {"main": main, "footer": footer}


def navigation(request: HttpRequest) -> dict[str, object]:
    """Menu pages for the header and footer, computed only when a template reads them."""
    return {"menu": SimpleLazyObject(lambda: _menu_pages(request))}
