from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse

from .tree_cache import site_for_request


class CachedSiteMiddleware:
    """Give Wagtail the request's site from the cache (see tree_cache): Wagtail reads it from
    `request._wagtail_site` when set, and otherwise queries the sites on every request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Database down or not migrated: let the view answer (the health check says 503 in
        # JSON); a page that needs the site fails there, as without this middleware.
        with suppress(DatabaseError):
            request._wagtail_site = site_for_request(request)
        return self.get_response(request)
