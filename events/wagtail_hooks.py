"""Back office: staff edit the catalogue, providers, funders, funds, tours and the
Guinguette's vehicles and seasons in the Wagtail admin.

Providers, tours and funds that `import_programming` created are flagged « à vérifier »:
the listings show and filter the flag, so staff find them, complete them and uncheck it.

The booking, reimbursement and Guinguette workflows stay on the site's own pages (the same pages the
managers use, with the staff's actions on them), linked from the admin menu, so every step
goes through the services and each booking has one page everyone talks about.
"""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .models import (
    AnimationKind,
    Fund,
    Funder,
    GuinguetteSeason,
    GuinguetteVehicle,
    KindPhoto,
    Provider,
    ProviderUnavailability,
    Tour,
)


class ProviderForm(WagtailAdminModelForm):
    website = forms.URLField(label=_("site web"), required=False, assume_scheme="https")

    class Meta:
        model = Provider
        fields = ["name", "type", "description", "email", "website", "account", "needs_review"]


class AnimationKindViewSet(ModelViewSet):
    model = AnimationKind
    icon = "list-ul"
    menu_label = _("Catalogue")
    list_display = ["name", "slug", "duration", "price", "offered_by_network", "is_bookable"]
    search_fields = ["name", "summary"]
    search_backend_name = None
    form_fields = [
        "slug",
        "name",
        "summary",
        "description",
        "duration",
        "audience",
        "price",
        "offered_by_network",
        "providers",
        "is_bookable",
        "position",
    ]
    copy_view_enabled = False


class KindPhotoViewSet(ModelViewSet):
    model = KindPhoto
    icon = "image"
    menu_label = _("Photos du catalogue")
    list_display = ["alt_text", "kind", "position"]
    list_filter = ["kind"]
    form_fields = ["kind", "image", "alt_text", "position"]
    copy_view_enabled = False


class ProviderViewSet(ModelViewSet):
    model = Provider
    icon = "group"
    menu_label = _("Prestataires")
    list_display = ["name", "type", "email", "account", "needs_review"]
    list_filter = ["type", "needs_review"]
    search_fields = ["name", "description"]
    search_backend_name = None
    edit_handler = ObjectList(
        [FieldPanel(name) for name in ProviderForm.Meta.fields], base_form_class=ProviderForm
    )
    copy_view_enabled = False


class UnavailabilityViewSet(ModelViewSet):
    model = ProviderUnavailability
    icon = "date"
    menu_label = _("Indisponibilités")
    list_display = ["provider", "start", "end", "reason"]
    list_filter = ["provider"]
    form_fields = ["provider", "start", "end", "reason"]
    copy_view_enabled = False


class FunderViewSet(ModelViewSet):
    model = Funder
    icon = "key"
    menu_label = _("Financeurs")
    list_display = ["name", "type"]
    list_filter = ["type"]
    form_fields = ["name", "type", "accounts"]
    copy_view_enabled = False


class FundIndexView(IndexView):
    # The listing shows what is left of each fund, summed in the listing's own query.
    queryset = Fund.objects.with_totals().select_related("funder")


class FundViewSet(ModelViewSet):
    model = Fund
    icon = "tag"
    menu_label = _("Fonds partenaires")
    index_view_class = FundIndexView
    list_display = [
        "name",
        "funder",
        "year",
        "budget",
        "remaining",
        "cap_per_cafe",
        "needs_review",
    ]
    list_filter = ["year", "funder", "needs_review"]
    form_fields = [
        "name",
        "funder",
        "year",
        "budget",
        "cap_per_cafe",
        "eligible_kinds",
        "cafes",
        "regions",
        "description",
        "needs_review",
    ]
    copy_view_enabled = False


class GuinguetteVehicleViewSet(ModelViewSet):
    model = GuinguetteVehicle
    icon = "pick"
    menu_label = _("Véhicules de la Guinguette")
    list_display = ["name", "territory", "is_active"]
    form_fields = ["name", "territory", "is_active"]
    copy_view_enabled = False


class GuinguetteSeasonViewSet(ModelViewSet):
    model = GuinguetteSeason
    icon = "date"
    menu_label = _("Saisons de la Guinguette")
    list_display = ["year", "starts_on", "ends_on"]
    form_fields = ["year", "starts_on", "ends_on"]
    copy_view_enabled = False


class TourViewSet(ModelViewSet):
    model = Tour
    icon = "site"
    menu_label = _("Tournées")
    list_display = ["name", "season_start", "season_end", "applications_open", "needs_review"]
    list_filter = ["needs_review"]
    form_fields = [
        "name",
        "slug",
        "kind",
        "description",
        "season_start",
        "season_end",
        "applications_open",
        "needs_review",
    ]
    copy_view_enabled = False


class EventsViewSetGroup(ModelViewSetGroup):
    menu_label = _("Animations")
    menu_icon = "calendar"
    menu_order = 310
    items = [
        AnimationKindViewSet("events_kinds", url_prefix="animations/catalogue"),
        KindPhotoViewSet("events_photos", url_prefix="animations/photos"),
        ProviderViewSet("events_providers", url_prefix="animations/prestataires"),
        UnavailabilityViewSet("events_unavailabilities", url_prefix="animations/indisponibilites"),
        FunderViewSet("events_funders", url_prefix="animations/financeurs"),
        FundViewSet("events_funds", url_prefix="animations/fonds"),
        TourViewSet("events_tours", url_prefix="animations/tournees"),
        GuinguetteVehicleViewSet("events_vehicles", url_prefix="animations/guinguette/vehicules"),
        GuinguetteSeasonViewSet("events_seasons", url_prefix="animations/guinguette/saisons"),
    ]


@hooks.register("register_admin_viewset")
def register_events_viewsets() -> EventsViewSetGroup:
    return EventsViewSetGroup()


class StaffWorkflowMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.is_network_staff


@hooks.register("register_admin_menu_item")
def register_bookings_menu_item() -> MenuItem:
    return StaffWorkflowMenuItem(
        _("Réservations et remboursements"),
        reverse("events:bookings"),
        icon_name="calendar-check",
        order=311,
    )


@hooks.register("register_admin_menu_item")
def register_guinguette_menu_item() -> MenuItem:
    return StaffWorkflowMenuItem(
        _("Demandes de Guinguette mobile"),
        reverse("events:guinguette"),
        icon_name="pick",
        order=312,
    )
