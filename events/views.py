"""Pages of the events app: they check who asks, parse forms and call the services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from community.accounts.decorators import member_required
from community.accounts.models import MembershipStatus
from community.calendars import services as calendar_services
from community.calendars.models import CalendarFeed
from community.fragments import cached_fragment
from community.lib.refusals import refusal_as_message, refusal_on_form, refused_as_text
from community.media import serve_private_file
from community.places.models import Cafe
from community.spreadsheet import csv_response

from . import services
from .agenda import upcoming
from .calendars import CAFE, PROVIDER
from .forms import (
    BookingFilterForm,
    BookingRequestForm,
    ClaimForm,
    DecisionForm,
    GuinguetteRequestForm,
    HostApplicationForm,
    NoteForm,
    ParticipantsForm,
    ReportForm,
    ScheduleForm,
    StaffGuinguetteForm,
    TourStopForm,
    VehicleForm,
)
from .funding import funder_csv, funder_figures
from .impact import impact_csv, parse_year, report_years, year_impact
from .models import (
    GUINGUETTE_KIND,
    TRANSITIONS,
    AnimationKind,
    Booking,
    BookingState,
    Fund,
    GuinguetteSeason,
    GuinguetteState,
    GuinguetteVehicle,
    GuinguetteVisit,
    HostApplication,
    Provider,
    Reimbursement,
    Tour,
)
from .permissions import (
    actors_for,
    can_see_cafe_feed,
    can_see_invoice,
    can_see_provider_feed,
    can_use_bookings,
    can_use_guinguette,
    funded_by,
    is_elected,
    is_manager,
    is_partner,
    is_staff,
    linked_providers,
    managed_cafes,
    manages,
    sees_cafe_side,
    visible_bookings,
    visible_guinguette_visits,
)
from .services import EventsError

BOOKINGS_PER_PAGE = 50


# ---------------------------------------------------------------------------- catalogue


def catalogue(request):
    # Every reader sees the same kinds: rendered once until one changes.
    def render_kinds() -> str:
        kinds = AnimationKind.objects.prefetch_related("photos", "providers")
        return render_to_string("events/_catalogue_kinds.html", {"kinds": kinds})

    return render(
        request,
        "events/catalogue.html",
        {
            "catalogue_kinds": cached_fragment(request, ("catalogue",), render_kinds),
            "can_request": is_manager(request.user),
        },
    )


def kind_detail(request, slug: str):
    kind = get_object_or_404(
        AnimationKind.objects.prefetch_related("photos", "providers"), slug=slug
    )
    year = timezone.localdate().year
    funds = kind.funds.filter(year__gte=year).select_related("funder").order_by("year", "name")
    return render(
        request,
        "events/kind.html",
        {
            "kind": kind,
            "funds": funds,
            "tours": kind.tours.filter(season_end__gte=timezone.localdate()),
            "can_request": is_manager(request.user) and kind.is_bookable,
            "is_guinguette": kind.slug == GUINGUETTE_KIND,
            "can_request_guinguette": is_elected(request.user) and request.user.commune_id,
        },
    )


def agenda(request):
    # Every reader sees the same entries: rendered once until one changes or the first starts.
    def render_entries() -> str:
        return render_to_string("events/_agenda_entries.html", {"entries": upcoming()})

    entries = cached_fragment(request, ("agenda",), render_entries)
    return render(request, "events/agenda.html", {"agenda_entries": entries})


# ---------------------------------------------------------------------------- bookings


def _require_booking_user(request) -> None:
    if not can_use_bookings(request.user):
        raise PermissionDenied


def _without_page(query) -> str:
    params = query.copy()
    params.pop("page", None)
    return params.urlencode()


@member_required
def bookings(request):
    _require_booking_user(request)
    user = request.user
    rows = visible_bookings(user).order_by("-created_at", "-pk")
    filters = BookingFilterForm(request.GET or None) if is_staff(user) else None
    if filters is not None and filters.is_bound:
        rows = filters.filter(rows)
    page = Paginator(rows, BOOKINGS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/bookings.html",
        {
            "page": page,
            "filters": filters,
            "is_staff": is_staff(user),
            "can_request": is_manager(user) and managed_cafes(user).exists(),
            "providers": linked_providers(user),
            "querystring": _without_page(request.GET),
        },
    )


@member_required
def booking_new(request):
    if not (is_manager(request.user) and managed_cafes(request.user).exists()):
        raise PermissionDenied
    initial = {}
    if slug := request.GET.get("animation"):
        initial["kind"] = AnimationKind.objects.filter(slug=slug, is_bookable=True).first()
    form = BookingRequestForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusal_on_form(form):
            booking = services.request_booking(
                by=request.user,
                cafe=data["cafe"],
                kind=data["kind"],
                preferred_dates=form.preferred_dates,
                expected_audience=data["expected_audience"],
                notes=data["notes"],
                is_public=data["is_public"],
            )
            messages.success(
                request, "Votre demande est envoyée : l'équipe vous répond par e-mail."
            )
            return redirect(booking)
    status = 400 if form.is_bound else 200
    return render(request, "events/booking_form.html", {"form": form}, status=status)


@dataclass(frozen=True)
class BookingAction:
    """A step a user takes from the booking page: its form and the service it calls."""

    transition: str
    button: str
    make_form: Callable[..., forms.Form]
    run: Callable[[Booking, object, dict], object]
    done: str


def _note_action(
    transition: str, button: str, service: Callable[..., Booking], done: str
) -> BookingAction:
    """A step whose only input is a message to the other party."""
    return BookingAction(
        transition,
        button,
        lambda booking, *args, **kwargs: NoteForm(*args, **kwargs),
        lambda booking, user, data: service(booking, by=user, note=data["note"]),
        done,
    )


def _schedule_action(
    transition: str, button: str, service: Callable[..., Booking], done: str, *, confirm: bool
) -> BookingAction:
    """A step where staff give the booking its date (one the café asked for when
    ``confirm``, else one they propose) and its provider."""
    return BookingAction(
        transition,
        button,
        lambda booking, *args, **kwargs: ScheduleForm(
            *args, booking=booking, confirm=confirm, **kwargs
        ),
        lambda booking, user, data: service(
            booking,
            by=user,
            starts_at=data["starts_at"],
            provider=data["provider"],
            note=data["note"],
        ),
        done,
    )


ACTIONS: dict[str, BookingAction] = {
    "confirmer": _schedule_action(
        "confirm",
        "Confirmer cette date",
        services.confirm_booking,
        "Réservation confirmée ; le café et le prestataire sont prévenus.",
        confirm=True,
    ),
    "proposer": _schedule_action(
        "propose",
        "Proposer cette date",
        services.propose_date,
        "Date proposée ; le café doit l'accepter.",
        confirm=False,
    ),
    "accepter": _note_action(
        "accept",
        "Accepter la date proposée",
        services.accept_booking,
        "Date acceptée : l'animation est confirmée.",
    ),
    "decliner": _note_action(
        "decline",
        "Décliner la demande",
        services.decline_booking,
        "Demande déclinée ; le café est prévenu.",
    ),
    "bilan": BookingAction(
        "report",
        "Enregistrer le bilan",
        lambda b, *a, **k: ReportForm(*a, **k),
        lambda b, user, d: services.report_booking(
            b,
            by=user,
            participants=d["participants"],
            photos=[(f, d["caption"]) for f in d["photos"]],
            note=d["note"],
        ),
        "Bilan enregistré : merci !",
    ),
    "annuler": _note_action(
        "cancel",
        "Annuler l'animation",
        services.cancel_booking,
        "Animation annulée ; les parties sont prévenues.",
    ),
}


def _available_actions(booking: Booking, user) -> list[str]:
    actors = actors_for(user, booking)
    return [
        slug
        for slug, action in ACTIONS.items()
        if booking.allows(action.transition) and actors & TRANSITIONS[action.transition].actors
    ]


def _can_claim(booking: Booking, user) -> bool:
    return booking.state == BookingState.HELD and manages(user, booking.cafe_id)


def _booking_page(request, booking: Booking, bound: dict | None = None, status: int = 200):
    bound = bound or {}
    action_forms = [
        (slug, ACTIONS[slug], bound.get(slug) or ACTIONS[slug].make_form(booking, prefix=slug))
        for slug in _available_actions(booking, request.user)
    ]
    claim_form = None
    if _can_claim(booking, request.user):
        claim_form = bound.get("remboursement") or ClaimForm(
            booking=booking, prefix="remboursement"
        )
    context = {
        "booking": booking,
        "photos": booking.photos.all(),
        "action_forms": action_forms,
        "claim_form": claim_form,
        "is_staff": is_staff(request.user),
        "cafe_side": sees_cafe_side(request.user, booking),
    }
    if context["cafe_side"]:
        context["history"] = booking.history.select_related("by")
        context["claims"] = booking.reimbursements.select_related("fund")
    else:  # the provider's account: whom to ask for on the spot
        context["contacts"] = booking.cafe.managers.filter(
            is_active=True, membership_status=MembershipStatus.APPROVED
        )
    return render(request, "events/booking.html", context, status=status)


def _visible_booking(request, pk: int) -> Booking:
    _require_booking_user(request)
    return get_object_or_404(visible_bookings(request.user), pk=pk)


@member_required
def booking_detail(request, pk: int):
    return _booking_page(request, _visible_booking(request, pk))


# The address segment of each stored rendition of a booking's photo.
PHOTO_RENDITIONS = {"photo": "image", "vignette": "thumbnail"}


@member_required
def booking_photo(request, pk: int, photo: int, rendition: str):
    """A photo of a booking, for those who may see the booking."""
    booking = _visible_booking(request, pk)
    if rendition not in PHOTO_RENDITIONS:
        raise Http404
    photo = get_object_or_404(booking.photos, pk=photo)
    return serve_private_file(
        getattr(photo, PHOTO_RENDITIONS[rendition]), download_name=f"{rendition}-{photo.pk}"
    )


@member_required
@require_POST
def booking_action(request, pk: int, action: str):
    booking = _visible_booking(request, pk)
    if action not in ACTIONS:
        raise Http404
    step = ACTIONS[action]
    form = step.make_form(booking, request.POST, request.FILES, prefix=action)
    if form.is_valid():
        with refusal_on_form(form):
            step.run(booking, request.user, form.cleaned_data)
            messages.success(request, step.done)
            return redirect(booking)
    return _booking_page(request, booking, bound={action: form}, status=400)


@member_required
@require_POST
def claim(request, pk: int):
    booking = _visible_booking(request, pk)
    form = ClaimForm(request.POST, request.FILES, booking=booking, prefix="remboursement")
    if form.is_valid():
        data = form.cleaned_data
        with refusal_on_form(form):
            services.claim_reimbursement(
                booking,
                by=request.user,
                fund=data["fund"],
                amount=data["amount"],
                invoice=data["invoice"],
            )
            messages.success(request, "Demande de remboursement envoyée à l'équipe.")
            return redirect(booking)
    return _booking_page(request, booking, bound={"remboursement": form}, status=400)


# ---------------------------------------------------------------------------- funds


@member_required
def funds(request):
    user = request.user
    if is_partner(user):
        return _funder_page(request)
    if not (is_staff(user) or is_manager(user)):
        raise PermissionDenied
    all_funds = list(
        Fund.objects.with_totals()
        .select_related("funder")
        .prefetch_related("eligible_kinds")
        .order_by("-year", "name")
    )
    by_pk = {fund.pk: fund for fund in all_funds}
    claims = Reimbursement.objects.select_related(
        "fund", "booking__cafe__commune", "booking__kind", "claimed_by"
    )
    if not is_staff(user):
        claims = claims.filter(booking__cafe__managers=user)
    pending = [
        (claim, by_pk[claim.fund_id], DecisionForm(prefix=f"claim-{claim.pk}"))
        for claim in claims.filter(state=Reimbursement.State.CLAIMED)
    ]
    return render(
        request,
        "events/funds.html",
        {
            "funds": all_funds,
            "pending": pending if is_staff(user) else [],
            "claims": claims[:100],
            "is_staff": is_staff(user),
        },
    )


def _funder_page(request):
    """A partner linked to funders sees their funds' figures, and nothing of other funds."""
    funders = request.user.funders.order_by("name")
    figures = funder_figures(funded_by(request.user)) if funders else None
    return render(request, "events/funder.html", {"funders": funders, "figures": figures})


@member_required
def funds_export(request):
    user = request.user
    if not (is_staff(user) or (is_partner(user) and user.funders.exists())):
        raise PermissionDenied
    return csv_response(funder_csv(funder_figures(funded_by(user))), "fonds-partenaires.csv")


@member_required
@require_POST
def decide_claim(request, pk: int, decision: str):
    if not is_staff(request.user):
        raise PermissionDenied
    claim = get_object_or_404(Reimbursement, pk=pk)
    if decision not in ("accorder", "refuser"):
        raise Http404
    approving = decision == "accorder"
    form = DecisionForm(request.POST, prefix=f"claim-{claim.pk}", approving=approving)
    if not form.is_valid():
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return redirect("events:funds")
    data = form.cleaned_data
    with refusal_as_message(request):
        if approving:
            services.approve_reimbursement(
                claim, by=request.user, amount=data["amount"], note=data["note"]
            )
        else:
            services.refuse_reimbursement(claim, by=request.user, note=data["note"])
        messages.success(request, "Décision enregistrée ; le café est prévenu.")
    return redirect("events:funds")


@member_required
def invoice(request, pk: int):
    claim = get_object_or_404(Reimbursement.objects.select_related("booking"), pk=pk)
    if not can_see_invoice(request.user, claim):
        raise PermissionDenied
    if not claim.invoice:  # imported reimbursements come without an invoice
        raise Http404("Aucune facture n'accompagne ce remboursement.")
    return serve_private_file(claim.invoice, download_name=f"facture-{claim.pk}")


# ---------------------------------------------------------------------------- impact


def _impact_year(request) -> int:
    """The year in the address, this year by default."""
    return parse_year(request.GET.get("annee") or timezone.localdate().year)


def _bars(rows: list) -> list[tuple[object, int]]:
    """Each row with its bar length, in percent of the largest number of animations."""
    top = max((row.animations for row in rows), default=0)
    return [(row, round(100 * row.animations / top) if top else 0) for row in rows]


@member_required
def impact(request):
    if not is_staff(request.user):
        raise PermissionDenied
    years = report_years()
    try:
        year = _impact_year(request)
    except EventsError as error:
        context = {"error": str(error), "years": years}
        return render(request, "events/impact.html", context, status=400)
    figures = year_impact(year)
    return render(
        request,
        "events/impact.html",
        {
            "impact": figures,
            "year": year,
            "years": sorted({*years, year}, reverse=True),
            "kind_bars": _bars(figures.by_kind),
            "month_bars": _bars(figures.by_month),
        },
    )


@member_required
@refused_as_text
def impact_export(request):
    if not is_staff(request.user):
        raise PermissionDenied
    year = _impact_year(request)
    return csv_response(impact_csv(year_impact(year)), f"chiffres-impact-{year}.csv")


# ---------------------------------------------------------------------------- tours


def tours(request):
    return render(
        request,
        "events/tours.html",
        {"tours": Tour.objects.select_related("kind").prefetch_related("stops")},
    )


def tour_detail(request, slug: str, bound: dict | None = None, status: int = 200):
    tour = get_object_or_404(Tour.objects.select_related("kind"), slug=slug)
    bound = bound or {}
    user = request.user
    stops = tour.stops.exclude(
        booking__state__in=[BookingState.CANCELLED, BookingState.DECLINED]
    ).select_related("booking__cafe__commune__department", "booking__provider")
    context = {"tour": tour, "stops": stops, "is_staff": is_staff(user)}
    if is_manager(user) and tour.applications_open and managed_cafes(user).exists():
        context["apply_form"] = bound.get("apply") or HostApplicationForm(user=user)
        context["my_applications"] = tour.applications.filter(cafe__managers=user)
    if is_staff(user):
        context["stop_form"] = bound.get("stop") or TourStopForm(tour=tour)
        context["applications"] = tour.applications.select_related(
            "cafe__commune", "applied_by"
        ).order_by("state", "created_at")
    return render(request, "events/tour.html", context, status=status)


@member_required
@require_POST
def tour_apply(request, slug: str):
    tour = get_object_or_404(Tour, slug=slug)
    if not is_manager(request.user):
        raise PermissionDenied
    form = HostApplicationForm(request.POST, user=request.user)
    if form.is_valid():
        with refusal_on_form(form):
            services.apply_to_host_stop(tour, by=request.user, **form.cleaned_data)
            messages.success(request, "Candidature envoyée : l'équipe revient vers vous.")
            return redirect(tour)
    return tour_detail(request, slug, bound={"apply": form}, status=400)


@member_required
@require_POST
def tour_add_stop(request, slug: str):
    tour = get_object_or_404(Tour.objects.select_related("kind"), slug=slug)
    if not is_staff(request.user):
        raise PermissionDenied
    form = TourStopForm(request.POST, tour=tour)
    if form.is_valid():
        data = form.cleaned_data
        application = tour.applications.filter(pk=data["application"]).first()
        with refusal_on_form(form):
            services.add_tour_stop(
                tour,
                by=request.user,
                cafe=data["cafe"],
                starts_at=data["starts_at"],
                show=data["show"],
                provider=data["provider"],
                application=application,
            )
            messages.success(request, "Étape ajoutée ; le café est prévenu.")
            return redirect(tour)
    return tour_detail(request, slug, bound={"stop": form}, status=400)


@member_required
@require_POST
def tour_reject(request, slug: str, pk: int):
    if not is_staff(request.user):
        raise PermissionDenied
    application = get_object_or_404(HostApplication, pk=pk, tour__slug=slug)
    with refusal_as_message(request):
        services.reject_host_application(application, by=request.user)
        messages.success(request, "Candidature non retenue.")
    return redirect("events:tour", slug=slug)


# ---------------------------------------------------------------------------- calendars


def _feed_owners(user) -> tuple:
    """The cafés and providers whose calendars the user may subscribe to."""
    if is_staff(user):
        cafes = Cafe.objects.filter(bookings__isnull=False).distinct().select_related("commune")
        return cafes, Provider.objects.all()
    return managed_cafes(user), linked_providers(user)


@dataclass(frozen=True)
class FeedOwner:
    """A café or a provider on the calendars page, with its feed once one was asked for."""

    name: str
    field: str  # the POST field that asks for its feed
    pk: int
    feed: CalendarFeed | None


@member_required
def calendars(request):
    """GET lists the addresses; POST (cafe=… or prestataire=…) creates one."""
    user = request.user
    if not can_use_bookings(user):
        raise PermissionDenied
    cafes, providers = _feed_owners(user)
    if request.method == "POST":
        if "cafe" in request.POST:
            pk = _int_or_404(request.POST["cafe"])
            calendar_services.feed_for(CAFE, get_object_or_404(cafes, pk=pk))
        else:
            pk = _int_or_404(request.POST.get("prestataire"))
            calendar_services.feed_for(PROVIDER, get_object_or_404(providers, pk=pk))
        messages.success(request, "Adresse d'abonnement créée : copiez-la dans votre agenda.")
        return redirect("events:calendars")
    cafes, providers = list(cafes), list(providers)
    feeds = CalendarFeed.objects.of_any(
        {CAFE: [c.pk for c in cafes], PROVIDER: [p.pk for p in providers]}
    )
    by_owner = {(feed.source, feed.owner_pk): feed for feed in feeds}
    owners = [FeedOwner(c.name, "cafe", c.pk, by_owner.get((CAFE, c.pk))) for c in cafes]
    owners += [
        FeedOwner(p.name, "prestataire", p.pk, by_owner.get((PROVIDER, p.pk))) for p in providers
    ]
    return render(request, "events/calendars.html", {"owners": owners})


def _int_or_404(value: str | None) -> int:
    if value is None or not value.isdigit():
        raise Http404("Aucun calendrier à créer.")
    return int(value)


def _can_renew(user, feed: CalendarFeed) -> bool:
    if feed.source == CAFE:
        cafe = Cafe.objects.filter(pk=feed.owner_pk).first()
        return cafe is not None and can_see_cafe_feed(user, cafe)
    if feed.source == PROVIDER:
        provider = Provider.objects.filter(pk=feed.owner_pk).first()
        return provider is not None and can_see_provider_feed(user, provider)
    return False  # another feature's calendar: renewed from its own page


@member_required
@require_POST
def rotate_feed(request, token: str):
    feed = get_object_or_404(CalendarFeed, token=token)
    if not _can_renew(request.user, feed):
        raise PermissionDenied
    calendar_services.renew(feed)
    messages.success(
        request,
        "Nouvelle adresse créée : l'ancienne ne fonctionne plus, abonnez-vous à la nouvelle.",
    )
    return redirect("events:calendars")


# ---------------------------------------------------------------------------- Guinguette


def _require_guinguette_user(request) -> None:
    if not can_use_guinguette(request.user):
        raise PermissionDenied


@member_required
def guinguette(request):
    """The commune's requests for its elected members; every request for staff, the ones
    to decide first."""
    _require_guinguette_user(request)
    user = request.user
    visits = visible_guinguette_visits(user).order_by("date", "pk")
    today = timezone.localdate()
    # This season until it ends, then next year's.
    season = today.year if today.month <= 9 else today.year + 1
    return render(
        request,
        "events/guinguette_visits.html",
        {
            "pending": visits.filter(state=GuinguetteState.REQUESTED),
            "upcoming": visits.filter(state=GuinguetteState.CONFIRMED),
            "past": visits.exclude(
                state__in=[GuinguetteState.REQUESTED, GuinguetteState.CONFIRMED]
            ).order_by("-date", "-pk")[:100],
            "vehicles": GuinguetteVehicle.objects.filter(is_active=True),
            "season": GuinguetteSeason.label(season),
            "is_staff": is_staff(user),
            "can_request": is_elected(user),
        },
    )


@member_required
def guinguette_new(request):
    user = request.user
    if not (is_elected(user) and user.commune_id):
        raise PermissionDenied
    form = GuinguetteRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusal_on_form(form):
            visit = services.request_guinguette(by=user, commune=user.commune, **form.cleaned_data)
            messages.success(
                request, "Votre demande est envoyée : l'équipe vous répond par e-mail."
            )
            return redirect(visit)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "events/guinguette_visit_form.html",
        {"form": form, "commune": user.commune},
        status=status,
    )


@member_required
def guinguette_for_commune(request):
    """Staff enter an evening a commune asked for by telephone or at a meeting, confirmed
    at once with a vehicle or left to decide."""
    if not is_staff(request.user):
        raise PermissionDenied
    form = StaffGuinguetteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with refusal_on_form(form):
            visit = services.request_guinguette(by=request.user, **form.cleaned_data)
            if visit.state == GuinguetteState.CONFIRMED:
                messages.success(request, "Date confirmée ; la commune est prévenue.")
            else:
                messages.success(request, "Demande enregistrée : elle attend un véhicule.")
            return redirect(visit)
    return render(
        request,
        "events/guinguette_for_commune.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


@dataclass(frozen=True)
class VisitAction:
    """A step on a Guinguette date's page: who may take it, from which states, its form."""

    button: str
    states: tuple[str, ...]
    staff_only: bool
    make_form: Callable[..., forms.Form]
    run: Callable[[GuinguetteVisit, object, dict], object]
    done: str


VISIT_ACTIONS: dict[str, VisitAction] = {
    "confirmer": VisitAction(
        "Confirmer et envoyer un véhicule",
        (GuinguetteState.REQUESTED,),
        True,
        lambda visit, *a, **k: VehicleForm(*a, visit=visit, **k),
        lambda v, user, d: services.confirm_guinguette(
            v, by=user, vehicle=d["vehicle"], note=d["note"]
        ),
        "Date confirmée ; la commune est prévenue.",
    ),
    "refuser": VisitAction(
        "Refuser la demande",
        (GuinguetteState.REQUESTED,),
        True,
        lambda visit, *a, **k: NoteForm(*a, **k),
        lambda v, user, d: services.refuse_guinguette(v, by=user, note=d["note"]),
        "Demande refusée ; la commune est prévenue.",
    ),
    "bilan": VisitAction(
        "Enregistrer le bilan",
        (GuinguetteState.CONFIRMED,),
        True,
        lambda visit, *a, **k: ParticipantsForm(*a, **k),
        lambda v, user, d: services.report_guinguette(v, by=user, participants=d["participants"]),
        "Bilan enregistré.",
    ),
    "annuler": VisitAction(
        "Annuler la venue",
        (GuinguetteState.REQUESTED, GuinguetteState.CONFIRMED),
        False,
        lambda visit, *a, **k: NoteForm(*a, **k),
        lambda v, user, d: services.cancel_guinguette(v, by=user, note=d["note"]),
        "Venue annulée ; les parties sont prévenues.",
    ),
}


def _visit_actions(visit: GuinguetteVisit, user) -> list[str]:
    return [
        slug
        for slug, action in VISIT_ACTIONS.items()
        if visit.state in action.states and (is_staff(user) or not action.staff_only)
    ]


def _visit_page(request, visit: GuinguetteVisit, bound: dict | None = None, status: int = 200):
    bound = bound or {}
    action_forms = [
        (
            slug,
            VISIT_ACTIONS[slug],
            bound.get(slug) or VISIT_ACTIONS[slug].make_form(visit, prefix=slug),
        )
        for slug in _visit_actions(visit, request.user)
    ]
    return render(
        request,
        "events/guinguette_visit.html",
        {"visit": visit, "action_forms": action_forms, "is_staff": is_staff(request.user)},
        status=status,
    )


def _visible_visit(request, pk: int) -> GuinguetteVisit:
    _require_guinguette_user(request)
    return get_object_or_404(visible_guinguette_visits(request.user), pk=pk)


@member_required
def guinguette_visit(request, pk: int):
    return _visit_page(request, _visible_visit(request, pk))


@member_required
@require_POST
def guinguette_action(request, pk: int, action: str):
    visit = _visible_visit(request, pk)
    if action not in VISIT_ACTIONS:
        raise Http404
    step = VISIT_ACTIONS[action]
    form = step.make_form(visit, request.POST, prefix=action)
    if form.is_valid():
        with refusal_on_form(form):
            step.run(visit, request.user, form.cleaned_data)
            messages.success(request, step.done)
            return redirect(visit)
    return _visit_page(request, visit, bound={action: form}, status=400)
