"""A URL conf whose one view fails, for tests of the server error page as the site serves it
(through every middleware, with DEBUG off)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("panne simulée")


urlpatterns = [path("panne/", broken)]
