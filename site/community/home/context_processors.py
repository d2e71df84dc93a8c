from __future__ import annotations

import functools

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import SimpleLazyObject

from .menus import menus_for

# The header's fixed links, by the name the templates use: reversed once per process (and
# URL map), not a dozen reverse() calls on every page a member opens.
HEADER_LINKS = {
    "catalogue": "events:catalogue",
    "map": "places:map",
    "offers": "recruitment:list",
    "chat": "chat:index",
    "dashboard": "accounts:dashboard",
    "directory": "accounts:directory",
    "profile": "accounts:profile",
    "membership": "accounts:membership_status",
    "search": "search:page",
    "login": "account_login",
    "logout": "account_logout",
    "join": "accompaniment:join",
    "notifications": "discussions:notifications",
}


@functools.lru_cache(maxsize=16)
def _links(urlconf: str, script_prefix: str) -> dict[str, str]:
    return {key: reverse(name, urlconf=urlconf) for key, name in HEADER_LINKS.items()}


def navigation(request: HttpRequest) -> dict[str, object]:
    """Menu pages for the header and footer, read only when a template shows them, and the
    header's fixed links."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return {
        "menu": SimpleLazyObject(lambda: menus_for(request)),
        "links": _links(urlconf, get_script_prefix()),
    }
