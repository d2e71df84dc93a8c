from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .menus import menus_for


def navigation(request: HttpRequest) -> dict[str, object]:
    """Menu pages for the header and footer, read only when a template shows them."""
    return {"menu": SimpleLazyObject(lambda: menus_for(request))}
