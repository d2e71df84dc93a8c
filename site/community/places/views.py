"""The suggestion endpoints of the autocomplete inputs (public, read-only, small JSON), the
network's public map, the cafés' public pages and their editing by the cafés' managers."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from community.accounts.decorators import member_required
from community.lib.formats import number
from community.lib.refusals import refusal_as_message, refusal_on_form

from . import services
from .activity import upcoming_for
from .forms import (
    CafePageForm,
    ExceptionFormSet,
    HoursFormSet,
    PhotoForm,
    search_communes,
)
from .map import MapFilterForm, feature_collection, grouped, public_cafes
from .models import Cafe, CafePhoto, Commune

MAX_SUGGESTIONS = 10


def _commune_detail(commune: Commune) -> str:
    if commune.population is None:
        return str(commune.department)
    return f"{commune.department}, {number(commune.population)} hab."


@require_GET
def commune_autocomplete(request: HttpRequest) -> JsonResponse:
    communes = search_communes(request.GET.get("q", ""), limit=MAX_SUGGESTIONS)
    return JsonResponse(
        {"results": [{"label": c.label, "detail": _commune_detail(c)} for c in communes]}
    )


@require_GET
def cafe_autocomplete(request: HttpRequest) -> JsonResponse:
    text = " ".join(request.GET.get("q", "").split())
    cafes = []
    if len(text) >= 2:
        cafes = Cafe.objects.select_related("commune").filter(name__icontains=text)[
            :MAX_SUGGESTIONS
        ]
    return JsonResponse({"results": [{"label": c.label, "detail": c.address} for c in cafes]})


# ---------------------------------------------------------------- the public map and café pages


@require_GET
def network_map(request: HttpRequest) -> HttpResponse:
    """The list of the network's cafés, grouped by region and department, with its filters;
    with JavaScript, map.js draws the same selection on a map beside it."""
    form = MapFilterForm(request.GET)
    cafes, upcoming = form.selected(public_cafes())
    query = request.GET.urlencode()
    return render(
        request,
        "places/network_map.html",
        {
            "form": form,
            "regions": grouped(cafes),
            "count": sum(1 for cafe in cafes if cafe.kind == "cafe"),
            "projects": sum(1 for cafe in cafes if cafe.kind != "cafe"),
            "unplaced": sum(1 for cafe in cafes if not cafe.is_placed),
            "approximate": sum(1 for cafe in cafes if cafe.approximate),
            "upcoming": upcoming,
            "geojson_url": reverse("places:map_geojson") + (f"?{query}" if query else ""),
            "tiles_url": settings.MAP_TILES_URL,
            "tiles_attribution": settings.MAP_TILES_ATTRIBUTION if settings.MAP_TILES_URL else "",
        },
    )


@require_GET
def map_geojson(request: HttpRequest) -> JsonResponse:
    form = MapFilterForm(request.GET)
    cafes, upcoming = form.selected(public_cafes())
    response = JsonResponse(feature_collection(cafes, upcoming))
    response["Content-Type"] = "application/geo+json"
    return response


@require_GET
def cafe_page(request: HttpRequest, slug: str) -> HttpResponse:
    cafe = get_object_or_404(
        Cafe.objects.select_related("commune__department__region").prefetch_related(
            "services", "opening_hours", "hours_exceptions", "photos__image"
        ),
        slug=slug,
    )
    # An unpublished café, or a project its commune keeps private, does not exist for the
    # public; its managers and the team see the page as it would look.
    if not cafe.visible_to(request.user):
        raise Http404
    return render(
        request,
        "places/cafe.html",
        {
            "cafe": cafe,
            "editable": cafe.editable_by(request.user),
            "upcoming": upcoming_for(cafe.pk),
            "manager_names": cafe.public_manager_names(),
        },
    )


def _editable_cafe(request: HttpRequest, slug: str) -> Cafe:
    cafe = get_object_or_404(Cafe.objects.select_related("commune"), slug=slug)
    if not cafe.editable_by(request.user):
        raise PermissionDenied
    return cafe


def _hours_initial(cafe: Cafe) -> list[dict]:
    return [
        {"weekday": h.weekday, "opens": h.opens, "closes": h.closes}
        for h in cafe.opening_hours.all()
    ]


def _exceptions_initial(cafe: Cafe) -> list[dict]:
    fields = ("label", "starts_on", "ends_on", "weekday", "opens", "closes")
    return [{name: getattr(e, name) for name in fields} for e in cafe.hours_exceptions.all()]


def _kept_rows(formset) -> list[dict]:
    """The filled rows not marked for deletion (empty extra rows are skipped)."""
    return [
        {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
        for form in formset.forms
        if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


@member_required
def edit_cafe_page(request: HttpRequest, slug: str) -> HttpResponse:
    cafe = _editable_cafe(request, slug)
    is_manager = cafe.managers.filter(pk=request.user.pk).exists()
    initial = {
        "description": cafe.description,
        "phone": cafe.phone,
        "services": list(cafe.services.all()),
        "show_my_name": cafe.named_managers.filter(pk=request.user.pk).exists(),
    }
    data = request.POST if request.method == "POST" else None
    form = CafePageForm(data, initial=initial, manager=is_manager)
    hours = HoursFormSet(data, initial=_hours_initial(cafe), prefix="hours")
    exceptions = ExceptionFormSet(data, initial=_exceptions_initial(cafe), prefix="exceptions")
    if request.method == "POST" and all(f.is_valid() for f in (form, hours, exceptions)):
        with refusal_on_form(form):
            services.update_cafe_page(
                cafe,
                by=request.user,
                description=form.cleaned_data["description"],
                phone=form.cleaned_data["phone"],
                services=form.cleaned_data["services"],
                hours=[services.Hours(**row) for row in _kept_rows(hours)],
                exceptions=[services.ExceptionPeriod(**row) for row in _kept_rows(exceptions)],
                show_my_name=form.cleaned_data.get("show_my_name") if is_manager else None,
            )
            messages.success(request, _("La page du café est à jour."))
            return redirect("places:edit_cafe", slug=cafe.slug)
    return render(
        request,
        "places/cafe_form.html",
        {
            "cafe": cafe,
            "form": form,
            "hours": hours,
            "exceptions": exceptions,
            "photo_form": PhotoForm(),
            "photos": cafe.photos.select_related("image"),
        },
    )


@member_required
@require_POST
def add_cafe_photo(request: HttpRequest, slug: str) -> HttpResponse:
    cafe = _editable_cafe(request, slug)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        with refusal_as_message(request):
            services.add_cafe_photo(
                cafe,
                by=request.user,
                upload=form.cleaned_data["image"],
                alt_text=form.cleaned_data["alt_text"],
            )
            messages.success(request, _("Photo ajoutée à la page du café."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("places:edit_cafe", slug=cafe.slug)


@member_required
@require_POST
def remove_cafe_photo(request: HttpRequest, slug: str, photo_id: int) -> HttpResponse:
    cafe = _editable_cafe(request, slug)
    photo = get_object_or_404(CafePhoto, pk=photo_id, cafe=cafe)
    services.remove_cafe_photo(photo, by=request.user)
    messages.success(request, _("Photo retirée de la page du café."))
    return redirect("places:edit_cafe", slug=cafe.slug)
