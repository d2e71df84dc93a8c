"""Messages (« La page du café est à jour. ») still reach the next page once, while a request
that meets none builds no message storage (community/message_storage.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory


def answer(cookies: dict[str, str], view) -> tuple[HttpRequest, HttpResponse]:
    """The request through the session and message middleware, around `view`."""
    request = RequestFactory().get("/")
    request.COOKIES.update(cookies)
    chain = SessionMiddleware(MessageMiddleware(lambda request: view(request) or HttpResponse()))
    return request, chain(request)


def shown(request: HttpRequest) -> list[str]:
    return [str(message) for message in messages.get_messages(request)]


def test_a_message_shows_on_the_next_page_once():
    _, added = answer({}, lambda request: messages.success(request, "Photo ajoutée."))
    seen: list[str] = []
    cookie = {"messages": added.cookies["messages"].value}
    _, read = answer(cookie, lambda request: seen.extend(shown(request)))
    assert seen == ["Photo ajoutée."]
    # Read: the cookie is emptied, so the page after shows it no more.
    assert read.cookies["messages"].value == ""


def test_a_request_meeting_no_message_builds_no_storage():
    request, response = answer({}, lambda request: None)
    assert "storages" not in vars(request._messages)
    assert "messages" not in response.cookies
