"""Back office for communes and cafés (Wagtail admin), registered in wagtail_hooks.py.

Listings search with the ORM, not the Wagtail search index: the 35,000 communes arrive by
bulk import, which never goes through the index. Communes and cafés that the import of past
programming created are flagged « à vérifier », shown and filterable in the listings.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy

from community.accounts.models import Role, User

from .forms import CommuneChoiceField
from .models import Cafe, Commune, Department, ProximityService, Region
from .normalize import search_key


class CommunePermissionPolicy(ModelPermissionPolicy):
    """Nobody deletes a commune here, superusers included.

    Communes come from the official list, members and cafés refer to them (PROTECT), and
    the importer keeps merged ones for the same reason.
    """

    def user_has_permission(self, user, action: str) -> bool:
        return action != "delete" and super().user_has_permission(user, action)


class CommuneFilterSet(WagtailFilterSet):
    region = django_filters.ModelChoiceFilter(
        label=_("Région"), field_name="department__region", queryset=Region.objects.all()
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Département"), queryset=Department.objects.all()
    )

    class Meta:
        model = Commune
        fields = ["region", "department", "needs_review"]


def commune_search(text: str, path: str = "") -> Q:
    """Communes (or rows of communes, through `path`, e.g. "commune__") whose INSEE code,
    postal code or name matches what staff typed in a listing's search box."""
    text = text.strip()
    query = Q(**{f"{path}insee_code__iexact": text}) | Q(**{f"{path}postal_codes__contains": text})
    if key := search_key(text):
        query |= Q(**{f"{path}search_name__contains": key})
    return query


class CommuneIndexView(IndexView):
    queryset = Commune.objects.select_related("department")

    def search_queryset(self, queryset: QuerySet[Commune]) -> QuerySet[Commune]:
        if not self.is_searching:
            return queryset
        return queryset.filter(commune_search(self.search_query))


class CommuneViewSet(ModelViewSet):
    model = Commune
    icon = "site"
    menu_label = _("Communes")
    index_view_class = CommuneIndexView
    filterset_class = CommuneFilterSet
    list_display = [
        "name",
        "insee_code",
        "postal_codes",
        "department",
        "population",
        "needs_review",
    ]
    # Enables the search box; CommuneIndexView does the matching.
    search_fields = ["name"]
    search_backend_name = None
    form_fields = [
        "insee_code",
        "name",
        "department",
        "population",
        "postal_codes",
        "latitude",
        "longitude",
        "needs_review",
    ]
    copy_view_enabled = False
    # Imported in bulk, past the reference index: indexing the few edited here would mislead.
    add_to_reference_index = False


class CafeFilterSet(WagtailFilterSet):
    department = django_filters.ModelChoiceFilter(
        label=_("Département"),
        field_name="commune__department",
        queryset=Department.objects.all(),
    )

    class Meta:
        model = Cafe
        fields = ["stage", "legal_form", "department", "is_published", "needs_review"]


class CafeIndexView(IndexView):
    queryset = Cafe.objects.select_related("commune")


class ManagerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name} ({obj.email})"


class CafeAdminForm(WagtailAdminModelForm):
    commune = CommuneChoiceField()
    managers = ManagerChoiceField(
        label=_("Gérant·es"),
        queryset=User.objects.filter(role=Role.MANAGER),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Seuls les comptes de gérant·e de café sont proposés."),
    )

    class Meta:
        model = Cafe
        fields = [
            "name",
            "address",
            "commune",
            "latitude",
            "longitude",
            "legal_form",
            "stage",
            "managers",
            "is_published",
            "description",
            "phone",
            "services",
            "needs_review",
        ]
        widgets = {"services": forms.CheckboxSelectMultiple}


class CafeViewSet(ModelViewSet):
    model = Cafe
    icon = "home"
    menu_label = _("Cafés")
    index_view_class = CafeIndexView
    filterset_class = CafeFilterSet
    list_display = ["name", "commune", "stage", "is_published", "needs_review"]
    search_fields = ["name", "address", "commune__name"]
    search_backend_name = None
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("address"),
            FieldPanel("commune"),
            FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            FieldRowPanel([FieldPanel("legal_form"), FieldPanel("stage")]),
            FieldPanel("managers"),
            # Staff take a page off the site here; its managers edit the rest from their space.
            # Before the opening the page is public only if the commune agreed, in its
            # project's space (accompaniment.Project.public).
            FieldPanel("is_published"),
            FieldPanel("description"),
            FieldPanel("phone"),
            FieldPanel("services"),
            FieldPanel("needs_review"),
        ],
        base_form_class=CafeAdminForm,
    )


class ProximityServiceViewSet(ModelViewSet):
    """The list of services de proximité cafés choose from (and the map filters on)."""

    model = ProximityService
    icon = "tag"
    menu_label = _("Services de proximité")
    list_display = ["name", "slug", "position"]
    form_fields = ["name", "slug", "position"]
    copy_view_enabled = False


class PlacesViewSetGroup(ModelViewSetGroup):
    menu_label = _("Communes et cafés")
    menu_icon = "site"
    menu_order = 300
    items = [
        CafeViewSet("places_cafes", url_prefix="lieux/cafes"),
        CommuneViewSet("places_communes", url_prefix="lieux/communes"),
        ProximityServiceViewSet("places_services", url_prefix="lieux/services"),
    ]
