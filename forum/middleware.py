"""machina's permission middleware, without its session write for every anonymous visitor."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .permissions import RequestPermissionHandler


class ForumPermissionMiddleware:
    """Attach the per-request permission handler (permissions.py) to the request.

    machina's own middleware stores a random key in the session of every anonymous visitor
    of every page (it identifies anonymous posters), which would create a session row per
    visit of the whole site. Anonymous visitors may only read here, so no key is needed.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.forum_permission_handler = RequestPermissionHandler()
        return self.get_response(request)
