"""Sub-URLs of a Wagtail page declared by its views module, so that the model imports no view.

Wagtail's RoutablePageMixin reads a page's routes from methods decorated on the model class,
and those methods end up importing the views: the models layer would run upwards. A page
model that inherits ViewRoutesMixin gets its routes from ``page_route`` in the app's views
module instead (imported by the app's ``AppConfig.ready()``, before any request)::

    @page_route(WebinarPage, "inscription/", name="register")
    def register(webinar: WebinarPage, request: HttpRequest) -> HttpResponse: ...

The view receives the page first, as a method would, and ``page.reverse_subpage("register")``
and ``{% routablepageurl page "register" %}`` work unchanged.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest
from django.urls import URLPattern, path
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

from community.home.tree_cache import child_page

_ROUTES = "_view_routes"


class ViewRoutesMixin(RoutablePageMixin):
    @classmethod
    def get_subpage_urls(cls) -> tuple[URLPattern, ...]:
        # A subclass's routes first, as Wagtail does for decorated methods; the mixin's own
        # index route ("") comes last and answers only when the views declare no "".
        declared = [route for klass in cls.__mro__ for route in klass.__dict__.get(_ROUTES, ())]
        return (*declared, *super().get_subpage_urls())


def page_route(page_class: type[ViewRoutesMixin], pattern: str, *, name: str) -> Callable:
    """Declare ``view(page, request, **kwargs)`` as the sub-URL ``pattern`` of every page of
    ``page_class`` (a ViewRoutesMixin page)."""
    if not issubclass(page_class, ViewRoutesMixin):
        raise TypeError(f"{page_class.__name__} does not take routes from its views")

    def declare(view: Callable) -> Callable:
        if _ROUTES not in page_class.__dict__:
            setattr(page_class, _ROUTES, [])
        getattr(page_class, _ROUTES).append(path(pattern, view, name=name))
        # Wagtail caches the resolver on the class at the first request: rebuild it.
        if "_routablepage_urlresolver" in page_class.__dict__:
            delattr(page_class, "_routablepage_urlresolver")
        return view

    return declare


def route_to_child(
    parent, request: HttpRequest, path_components: list[str], child_model: type | None = None
):
    """Route to a child of `parent` (a `child_model` page when subpage_types say every child
    is one), kept in the page-tree cache: no query, where Wagtail's route takes two (the base
    page, then its specific row)."""
    try:
        child = child_page(parent, path_components[0], child_model)
    except (child_model or Page).DoesNotExist as error:
        raise Http404 from error
    return child.route(request, path_components[1:])
