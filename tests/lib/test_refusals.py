"""community.lib.refusals: a service's refusal shown by the view, the rest of the block
skipped; any other error still propagates."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from community.lib.refusals import (
    DomainError,
    refusal_as_message,
    refusal_on_form,
    refused_as_text,
)
from community.places.services import PlacesError
from events.services import EventsError
from webinars.services import WebinarError


def request_with_messages():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


@pytest.mark.parametrize("error", [EventsError, WebinarError, PlacesError])
def test_every_app_error_is_a_domain_error(error):
    assert issubclass(error, DomainError)


def test_a_refusal_becomes_a_message_and_skips_the_rest_of_the_block():
    request = request_with_messages()
    reached = []
    with refusal_as_message(request):
        raise WebinarError("Ce webinaire est complet.")
        reached.append("after")  # noqa
    assert reached == []
    assert [str(m) for m in get_messages(request)] == ["Ce webinaire est complet."]


def test_a_refusal_becomes_a_form_error():
    class Form(forms.Form):
        note = forms.CharField(required=False)

    form = Form({"note": "x"})
    assert form.is_valid()
    with refusal_on_form(form):
        raise EventsError("La date est passée.")
    assert form.non_field_errors() == ["La date est passée."]
    with refusal_on_form(form, "note"):
        raise EventsError("Trop long.")
    assert form.errors["note"] == ["Trop long."]


def test_a_refused_download_answers_its_reason_as_text():
    @refused_as_text
    def download(request, year):
        raise EventsError(f"Année invalide : « {year} ».")

    response = download(RequestFactory().get("/"), "deux-mille")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == "Année invalide : « deux-mille »."


def test_other_errors_propagate():
    with pytest.raises(ValueError), refusal_as_message(request_with_messages()):
        raise ValueError("a bug, not a refusal")

    @refused_as_text
    def download(request):
        raise ValueError("a bug, not a refusal")

    with pytest.raises(ValueError):
        download(RequestFactory().get("/"))
