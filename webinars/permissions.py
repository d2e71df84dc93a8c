"""Who may see a webinar and who may manage its registrants: decided here, nowhere else."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from wagtail.models import ReferenceIndex

from community.accounts.audience import Audience, can_see
from community.accounts.models import Role

from .models import WebinarPage

MANAGE_PERMISSION = "webinars.manage_registrations"

RESERVED_FOR = {
    Audience.MEMBERS: "aux membres du réseau",
    Audience.ELECTED: "aux élu·es",
    Audience.MANAGERS: "aux gérant·es de café",
}


def can_manage_registrations(user) -> bool:
    """The staff group holds the permission (granted from WebinarsConfig.ready). Only staff
    and superusers are asked for it: every other member's webinar page is spared the two
    permission queries, and no one else may manage registrants, whatever group they are in."""
    return (
        user.is_authenticated
        and user.is_approved_member
        and (user.is_superuser or user.role == Role.STAFF)
        and user.has_perm(MANAGE_PERMISSION)
    )


def _return_url(request: HttpRequest, webinar: WebinarPage) -> str:
    # After logging in, a POST route cannot be replayed: come back to the webinar's page.
    return request.get_full_path() if request.method == "GET" else webinar.url


def _refuse(request: HttpRequest, webinar: WebinarPage, message: str) -> HttpResponse:
    return render(
        request,
        "webinars/forbidden.html",
        {"webinar": webinar, "message": message},
        status=403,
    )


def member_denied(request: HttpRequest, next_url: str) -> HttpResponse | None:
    """Approved members only: others log in, or see where their application stands."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(next_url)
    if not user.is_approved_member:
        return redirect("accounts:membership_status")
    return None


def audience_denied(request: HttpRequest, webinar: WebinarPage) -> HttpResponse | None:
    """None when the user belongs to the webinar's audience, else the refusal to send."""
    if can_see(request.user, webinar.audience):
        return None
    denied = member_denied(request, _return_url(request, webinar))
    if denied is not None:
        return denied
    return _refuse(request, webinar, f"Ce webinaire est réservé {RESERVED_FOR[webinar.audience]}.")


def staff_denied(request: HttpRequest, webinar: WebinarPage) -> HttpResponse | None:
    denied = member_denied(request, _return_url(request, webinar))
    if denied is not None:
        return denied
    if not can_manage_registrations(request.user):
        return _refuse(
            request, webinar, "La liste des inscrit·es est réservée à l'équipe 1000 cafés."
        )
    return None


def slides_denied(request: HttpRequest, document) -> HttpResponse | None:
    """Slides follow the audience of the webinars offering them (Wagtail serves documents
    to anyone otherwise). A document something else also uses is left to that module."""
    webinars = WebinarPage.objects.filter(slides=document)
    if not webinars.exists():
        return None
    webinar_type = ContentType.objects.get_for_model(WebinarPage)
    if ReferenceIndex.get_references_to(document).exclude(content_type=webinar_type).exists():
        return None
    audiences = set(webinars.live().values_list("audience", flat=True))
    if any(can_see(request.user, audience) for audience in audiences):
        return None
    denied = member_denied(request, request.get_full_path())
    if denied is not None:
        return denied
    return render(
        request,
        "webinars/forbidden.html",
        {"webinar": webinars.first(), "message": "Ce support est réservé aux participant·es."},
        status=403,
    )
