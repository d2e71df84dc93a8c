"""A draft previewed in the admin is rendered from the unsaved page: nothing of it may be
kept for readers of the live page."""

from __future__ import annotations

from django.test import RequestFactory

from webinars.models import WebinarPage


def test_a_previewed_draft_never_reaches_members(client_for, make_webinar):
    webinar = make_webinar()
    member = client_for("elected")
    assert "Camille Roux" in member.get(webinar.url).content.decode()

    staff = client_for("staff")
    draft = WebinarPage.objects.get(pk=webinar.pk)
    draft.speakers = "Intervenante du brouillon"
    admin_request = RequestFactory().get(
        "/admin/", HTTP_COOKIE=f"sessionid={staff.cookies['sessionid'].value}"
    )
    preview = draft.make_preview_request(admin_request)
    assert "Intervenante du brouillon" in preview.content.decode()

    live = member.get(webinar.url).content.decode()
    assert "Camille Roux" in live
    assert "Intervenante du brouillon" not in live
