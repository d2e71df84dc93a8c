"""The routes of the webinar pages, kept thin: access is decided in permissions.py, every
write is a service call."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from community.accounts.audience import audiences_for, can_see
from community.calendars import views as calendar_views
from community.calendars.models import CalendarFeed
from community.fragments import cached_fragment, cached_value
from community.lib.formats import french_datetime
from community.lib.ics import build_calendar, ics_response
from community.lib.refusals import refusal_as_message
from community.lib.routes import page_route
from community.page_cache import changes_at
from community.spreadsheet import csv_response

from . import services
from .calendars import MEMBER, PRODUCT, webinar_event
from .exports import registrants as registrants_of
from .exports import registrants_csv as registrants_csv_content
from .models import (
    RegistrationStatus,
    WebinarIndexPage,
    WebinarPage,
)
from .permissions import can_manage_registrations, member_denied, staff_denied


def registration_box(webinar: WebinarPage, request: HttpRequest) -> dict[str, Any]:
    """The reader's registration, their place in line and the seats left, kept per member:
    any registration written (theirs, or a seat taken or freed by someone else) is a write
    that outdates it at once (community/fragments.py)."""
    user = request.user

    def build() -> dict[str, Any]:
        registration = webinar.registration_of(user)
        return {
            "registration": registration,
            "waiting_position": registration.waiting_position() if registration else None,
            "seats_left": max(webinar.capacity - webinar.confirmed_count(), 0),
        }

    return cached_value(request, ("webinar-registration", webinar.pk, user.pk), build)


def webinar_context(webinar: WebinarPage, request: HttpRequest) -> dict[str, Any]:
    user = request.user
    now = timezone.now()
    # Whether it has started or is over is what the page says: a kept copy ends with either.
    changes_at(next((m for m in (webinar.start, webinar.end) if m > now), None))
    box = registration_box(webinar, request)
    registration = box["registration"]
    confirmed = registration is not None and registration.status == RegistrationStatus.CONFIRMED
    return {
        **box,
        "is_over": webinar.is_over(now),
        "may_register": user.is_authenticated
        and user.is_approved_member
        and can_see(user, webinar.audience),
        "join_link_visible": confirmed and webinar.join_link_is_open(now),
        "join_link_opens_at": french_datetime(webinar.join_link_opens_at),
        "can_manage": can_manage_registrations(user),
    }


@page_route(WebinarPage, "", name="detail")
def detail(webinar: WebinarPage, request: HttpRequest) -> HttpResponse:
    context = webinar_context(webinar, request)
    is_over = context["is_over"]

    # The speakers, programme and replay are the same for every reader until it is over.
    def render_main() -> str:
        return render_to_string(
            "webinars/_webinar_main.html", {"page": webinar, "is_over": is_over}
        )

    context["webinar_main"] = cached_fragment(
        request, ("webinar", webinar.pk, is_over), render_main
    )
    return webinar.render(request, context_overrides=context)


def _post_only(request: HttpRequest) -> HttpResponse | None:
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


@page_route(WebinarPage, "inscription/", name="register")
def register(webinar: WebinarPage, request: HttpRequest) -> HttpResponse:
    refused = _post_only(request) or member_denied(request, webinar.url)
    if refused is not None:
        return refused
    with refusal_as_message(request):
        registration = services.register_for_webinar(webinar, request.user)
        if registration.status == RegistrationStatus.CONFIRMED:
            messages.success(
                request,
                "Votre inscription est confirmée. Le lien de connexion apparaîtra sur cette "
                "page peu avant le début ; un rappel vous sera envoyé par e-mail.",
            )
        else:
            messages.info(
                request,
                "Le webinaire est complet : vous êtes sur la liste d'attente "
                f"(position {registration.waiting_position()}). Vous serez prévenu·e par "
                "e-mail si une place se libère.",
            )
    return redirect(webinar.url)


@page_route(WebinarPage, "desinscription/", name="cancel")
def cancel(webinar: WebinarPage, request: HttpRequest) -> HttpResponse:
    refused = _post_only(request) or member_denied(request, webinar.url)
    if refused is not None:
        return refused
    with refusal_as_message(request):
        services.cancel_registration(webinar, request.user)
        messages.success(request, "Votre inscription est annulée.")
    return redirect(webinar.url)


@page_route(WebinarPage, "calendrier/", name="ics")
def webinar_ics(webinar: WebinarPage, request: HttpRequest) -> HttpResponse:
    content = build_calendar(
        [webinar_event(webinar)], name=f"Webinaire 1000 cafés : {webinar.title}", product=PRODUCT
    )
    return ics_response(content, f"webinaire-{webinar.slug}")


@page_route(WebinarPage, "inscrits/", name="registrants")
def registrants(webinar: WebinarPage, request: HttpRequest) -> HttpResponse:
    refused = staff_denied(request, webinar)
    if refused is not None:
        return refused
    here = webinar.url + webinar.reverse_subpage("registrants")
    if request.method == "POST":
        with refusal_as_message(request):
            count = services.mark_attendance(
                webinar, request.POST.getlist("present"), by=request.user
            )
            messages.success(request, f"Présences enregistrées : {count} participant·e(s).")
        return redirect(here)
    rows = registrants_of(webinar)
    return render(
        request,
        "webinars/registrants.html",
        {
            "page": webinar,
            "confirmed": [r for r in rows if r.status == RegistrationStatus.CONFIRMED],
            "waiting": [r for r in rows if r.status == RegistrationStatus.WAITING],
            "cancelled_count": sum(r.status == RegistrationStatus.CANCELLED for r in rows),
            "has_started": webinar.has_started(),
            "csv_url": webinar.url + webinar.reverse_subpage("registrants_csv"),
        },
    )


@page_route(WebinarPage, "inscrits/export/", name="registrants_csv")
def registrants_csv(webinar: WebinarPage, request: HttpRequest) -> HttpResponse:
    refused = staff_denied(request, webinar)
    if refused is not None:
        return refused
    return csv_response(registrants_csv_content(webinar), f"inscrits-{slugify(webinar.slug)}.csv")


@page_route(WebinarIndexPage, "mes-webinaires/", name="my_webinars")
def my_webinars(index: WebinarIndexPage, request: HttpRequest) -> HttpResponse:
    refused = member_denied(request, request.get_full_path())
    if refused is not None:
        return refused
    feed = CalendarFeed.objects.of(MEMBER, [request.user.pk]).first()
    now = timezone.now()
    registrations = (
        request.user.webinar_registrations.exclude(status=RegistrationStatus.CANCELLED)
        .filter(webinar__live=True, webinar__audience__in=audiences_for(request.user))
        .select_related("webinar")
        .order_by("webinar__start")
    )
    feed_url = request.build_absolute_uri(feed.get_absolute_url()) if feed else ""
    return render(
        request,
        "webinars/my_webinars.html",
        {
            "page": index,
            "upcoming": [r for r in registrations if not r.webinar.is_over(now)],
            "past": [r for r in registrations if r.webinar.is_over(now)][::-1],
            "feed_url": feed_url,
            "webcal_url": "webcal://" + feed_url.split("://", 1)[1] if feed else "",
            "regenerate_url": index.url + index.reverse_subpage("regenerate_feed"),
        },
    )


@page_route(WebinarIndexPage, "mes-webinaires/nouveau-lien/", name="regenerate_feed")
def regenerate_feed(index: WebinarIndexPage, request: HttpRequest) -> HttpResponse:
    refused = _post_only(request) or member_denied(request, index.url)
    if refused is not None:
        return refused
    had_one = CalendarFeed.objects.of(MEMBER, [request.user.pk]).exists()
    services.regenerate_calendar_feed(request.user)
    if had_one:
        messages.success(
            request,
            "Votre agenda a une nouvelle adresse ; l'ancienne ne fonctionne plus. Abonnez votre "
            "application d'agenda à la nouvelle.",
        )
    else:
        messages.success(request, "Votre agenda a son adresse : abonnez-y votre application.")
    return redirect(index.url + index.reverse_subpage("my_webinars"))


@page_route(WebinarIndexPage, "calendrier/<str:token>/", name="feed")
def private_feed(index: WebinarIndexPage, request: HttpRequest, token: str) -> HttpResponse:
    """The address members subscribed to before every calendar moved to /calendrier/."""
    return calendar_views.feed(request, token)
