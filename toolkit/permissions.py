"""Who may read a toolkit and download its documents: decided here, nowhere else.

Pages: a viewer reads a toolkit when its audience is one of `audiences_for(viewer)`.

Documents (served by Wagtail at /documents/<id>/<filename>):
- staff download every document (they write the toolkits and preview drafts);
- a document offered by at least one toolkit downloads only for a viewer who may read at
  least one *live* toolkit offering it (a draft or unpublished toolkit opens nothing);
- a document used by no toolkit but referenced elsewhere (a standard page, a webinar) is
  left to Wagtail's own rules and to the module that uses it;
- a document used by nothing at all (just uploaded, or its page deleted) is staff-only:
  a file is never public by accident before it is published somewhere.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from wagtail.documents.models import AbstractDocument
from wagtail.models import ReferenceIndex

from community.accounts.audience import Audience, audiences_for

from .models import ToolkitDocumentLink, ToolkitPage

# The audience of an unused document: nobody but staff.
STAFF_ONLY = "staff-only"


def refuse(request: HttpRequest, audience: str) -> HttpResponse:
    """The answer to a viewer outside `audience`: log in, finish joining, or a 403 page."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not user.is_approved_member:
        return redirect("accounts:membership_status")
    label = Audience(audience).label if audience in Audience.values else None
    return TemplateResponse(
        request, "toolkit/forbidden.html", {"audience_label": label}, status=403
    )


def document_audience(document: AbstractDocument, user) -> str | None:
    """The audience that governs the document for this viewer, or None when the toolkit
    rules do not apply (see the module docstring)."""
    page_ids = list(
        ToolkitDocumentLink.objects.filter(document=document).values_list("page_id", flat=True)
    )
    if page_ids:
        audiences = set(
            ToolkitPage.objects.live()
            .filter(pk__in=page_ids)
            .values_list("audience", flat=True)
            .distinct()
        )
        visible = audiences & audiences_for(user)
        if visible:
            return next(iter(visible))
        # The most open audience among live toolkits, so the refusal says who it is for.
        for audience in Audience.values:
            if audience in audiences:
                return audience
        return STAFF_ONLY
    if ReferenceIndex.get_references_to(document).exists():
        return None
    return STAFF_ONLY


def check_document(document: AbstractDocument, request: HttpRequest) -> HttpResponse | None:
    """A refusal when the viewer may not download the document, None to let it through."""
    user = request.user
    if getattr(user, "is_network_staff", False):
        return None
    audience = document_audience(document, user)
    if audience is None or audience in audiences_for(user):
        return None
    return refuse(request, audience)
