"""Every app's domain error, and the one way views show it.

A service refuses an action by raising its app's error (a subclass of DomainError) with a
French message for the user, having changed nothing. A view shows it with one of these two
context managers instead of its own try/except::

    with refusal_as_message(request):
        services.cancel_registration(webinar, request.user)
        messages.success(request, "Votre inscription est annulée.")
    return redirect(webinar.url)

    if form.is_valid():
        with refusal_on_form(form):
            booking = services.request_booking(...)
            return redirect(booking)  # only when the service accepted
    return render(request, "events/booking_form.html", {"form": form}, status=400)

The refusal is swallowed there and the view goes on after the block: the rest of the block
(success message, redirect) runs only when the service accepted. A download, which has no
page to show a message on, is decorated with ``refused_as_text`` instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse


class DomainError(Exception):
    """An action refused by a service; ``str(error)`` is the French message to show."""


@contextmanager
def refusal_as_message(request: HttpRequest) -> Iterator[None]:
    """A refusal raised in the block becomes an error message on the next page."""
    try:
        yield
    except DomainError as error:
        messages.error(request, str(error))


@contextmanager
def refusal_on_form(form: forms.Form, field: str | None = None) -> Iterator[None]:
    """A refusal raised in the block becomes an error of the form (or of one field)."""
    try:
        yield
    except DomainError as error:
        form.add_error(field, str(error))


def refused_as_text(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A download refused (a year or region that is not one…) answers the reason as plain
    text with status 400: the spreadsheet the reader expected cannot carry a message."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except DomainError as error:
            return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")

    return wrapped
