"""Back office of the journey (Wagtail admin): staff triage the communes' applications
(« Candidatures »), follow the projects and record a commune's word on showing its project
on the map, and keep the checklists each stage starts with. Registered in
wagtail_hooks.py."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from community.lib.refusals import refusal_as_message
from community.places.models import Department, Region
from community.places.viewsets import commune_search

from .forms import MapVisibilityForm
from .models import Application, ApplicationStatus, ChecklistTemplate, Project
from .project_views import map_consent_message
from .services.applications import DECISION_STATUSES, decide_application
from .services.projects import set_map_visibility

DECIDE_PERMISSION = "accompaniment.change_application"
MAP_PERMISSION = "accompaniment.change_project"


def received_months() -> list[tuple[str, str]]:
    months = Application.objects.confirmed().dates("received_on", "month", order="DESC")
    return [(f"{month:%Y-%m}", format_date(month, "F Y")) for month in months]


class ApplicationFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Statut"), choices=ApplicationStatus.choices
    )
    region = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Région"),
        field_name="commune__department__region",
        queryset=Region.objects.all(),
    )
    department = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Département"),
        field_name="commune__department",
        queryset=Department.objects.all(),
    )
    month = django_filters.ChoiceFilter(
        label=gettext_lazy("Reçue en"), choices=received_months, method="filter_month"
    )

    class Meta:
        model = Application
        fields = ["status", "region", "department", "month"]

    def filter_month(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        year, month = (int(part) for part in value.split("-"))
        return queryset.filter(received_on__year=year, received_on__month=month)


class CommuneSearchIndexView(IndexView):
    """Searches by the commune's name, INSEE code or postal code, with the ORM."""

    def search_queryset(self, queryset: QuerySet) -> QuerySet:
        if not self.is_searching:
            return queryset
        return queryset.filter(commune_search(self.search_query, path="commune__"))


class JourneyViewSet(ModelViewSet):
    """The journey's records: never copied, and out of Wagtail's reference index (no
    editorial page points at them)."""

    copy_view_enabled = False
    add_to_reference_index = False


class CommuneRecordViewSet(JourneyViewSet):
    """Applications and projects: listed and searched by their commune (the index view is a
    CommuneSearchIndexView), inspected, and changed only by the actions the view-only
    policy leaves (subclasses add theirs to get_urlpatterns). Wagtail still builds an edit
    form nobody reaches: subclasses name one field for it in form_fields."""

    inspect_view_enabled = True
    # Enables the search box; the index view does the matching, with the ORM.
    search_fields = ["commune__name"]
    search_backend_name = None


class ApplicationIndexView(CommuneSearchIndexView):
    def get_base_queryset(self) -> QuerySet[Application]:
        return (
            Application.objects.select_related("commune__department")
            .annotate(applicant_count=Count("applicants"))
            .order_by("-received_on", "-created_at")
        )


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Décision"),
        choices=[(status.value, status.label) for status in DECISION_STATUSES],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Motif (envoyé aux candidat·es)"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    come_back_on = forms.DateField(
        label=gettext_lazy("À reprendre le (mise en attente)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ApplicationInspectView(InspectView):
    template_name = "accompaniment/admin/application_inspect.html"

    def get_object(self, queryset=None) -> Application:
        return get_object_or_404(
            Application.objects.select_related("commune__department__region", "project"),
            pk=self.pk,
        )

    def get_context_data(self, **kwargs):
        application = self.object
        return super().get_context_data(
            applicants=application.applicants.all(),
            decisions=application.decisions.select_related("decided_by"),
            decision_form=kwargs.pop("decision_form", None) or DecisionForm(),
            may_decide=self.request.user.has_perm(DECIDE_PERMISSION),
            project=getattr(application, "project", None),
            **kwargs,
        )


@require_POST
@permission_required(DECIDE_PERMISSION, raise_exception=True)
def decide(request, pk: int):
    application = get_object_or_404(Application, pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("accompaniment_applications:inspect", pk)
    data = form.cleaned_data
    with refusal_as_message(request):
        decision = decide_application(
            application,
            status=data["status"],
            by=request.user,
            reason=data["reason"],
            come_back_on=data["come_back_on"],
        )
        messages.success(
            request,
            _("Candidature de %(commune)s : %(status)s ; les candidat·es en sont informé·es.")
            % {
                "commune": application.commune.name,
                "status": decision.get_status_display().lower(),
            },
        )
    return redirect("accompaniment_applications:inspect", pk)


class ApplicationViewSet(CommuneRecordViewSet):
    model = Application
    icon = "mail"
    menu_label = gettext_lazy("Candidatures")
    url_prefix = "candidatures"
    url_namespace = "accompaniment_applications"
    index_view_class = ApplicationIndexView
    inspect_view_class = ApplicationInspectView
    filterset_class = ApplicationFilterSet
    list_display = [
        "commune",
        Column("department", label=gettext_lazy("Département"), accessor="commune.department"),
        "status",
        "received_on",
        Column("applicant_count", label=gettext_lazy("Candidat·es")),
        Column(
            "population_unknown",
            label=gettext_lazy("Population inconnue"),
            accessor="population_unknown",
        ),
    ]
    form_fields = ["description"]

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("decide/<int:pk>/", decide, name="decide")]


class ChecklistTemplateViewSet(JourneyViewSet):
    model = ChecklistTemplate
    icon = "tasks"
    menu_label = gettext_lazy("Listes de tâches")
    url_prefix = "listes-de-taches"
    url_namespace = "accompaniment_checklists"
    list_display = ["label", "stage", "position"]
    list_filter = ["stage"]
    form_fields = ["stage", "label", "position"]


class ProjectFilterSet(WagtailFilterSet):
    region = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Région"),
        field_name="commune__department__region",
        queryset=Region.objects.all(),
    )
    on_map = django_filters.BooleanFilter(
        label=gettext_lazy("Sur la carte"), method="filter_on_map"
    )

    class Meta:
        model = Project
        fields = ["stage", "region", "on_map"]

    def filter_on_map(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        shown = queryset.filter(public=True, closed_on__isnull=True)
        return shown if value else queryset.exclude(pk__in=shown.values("pk"))


def map_status(project: Project) -> str:
    if project.is_closed:
        return _("Non (projet arrêté)")
    return _("Oui") if project.public else _("Non")


class ProjectInspectView(InspectView):
    template_name = "accompaniment/admin/project_inspect.html"

    def get_object(self, queryset=None) -> Project:
        return get_object_or_404(
            Project.objects.select_related("commune__department", "cafe"), pk=self.pk
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            map_status=map_status(self.object),
            may_decide_map=self.request.user.has_perm(MAP_PERMISSION),
            **kwargs,
        )


@require_POST
@permission_required(MAP_PERMISSION, raise_exception=True)
def map_visibility(request, pk: int):
    """Staff record the commune's word from the admin, through the service the project
    space uses: same rules, same refusals (a stopped project is not shown)."""
    project = get_object_or_404(Project, pk=pk)
    form = MapVisibilityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez de montrer le projet ou non."))
        return redirect("accompaniment_projects:inspect", pk)
    public = form.cleaned_data["public"]
    with refusal_as_message(request):
        set_map_visibility(project, by=request.user, public=public)
        messages.success(request, map_consent_message(public))
    return redirect("accompaniment_projects:inspect", pk)


class ProjectIndexView(CommuneSearchIndexView):
    def get_base_queryset(self) -> QuerySet[Project]:
        return Project.objects.select_related("commune__department", "cafe")


class ProjectViewSet(CommuneRecordViewSet):
    model = Project
    icon = "home"
    menu_label = gettext_lazy("Projets de café")
    url_prefix = "projets"
    url_namespace = "accompaniment_projects"
    index_view_class = ProjectIndexView
    inspect_view_class = ProjectInspectView
    inspect_view_fields = ["commune", "stage", "cafe", "application", "created_at", "closed_on"]
    filterset_class = ProjectFilterSet
    list_display = [
        TitleColumn(
            "commune",
            label=gettext_lazy("Commune"),
            get_url=lambda project: project.get_absolute_url(),
        ),
        Column("department", label=gettext_lazy("Département"), accessor="commune.department"),
        "stage",
        "cafe",
        # Where staff record the commune's word on the map.
        TitleColumn(
            "on_map",
            label=gettext_lazy("Sur la carte"),
            accessor=map_status,
            get_url=lambda project: (
                reverse("accompaniment_projects:inspect", args=[project.pk]) + "#carte"
            ),
        ),
        "created_at",
    ]
    form_fields = ["stage"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("carte/<int:pk>/", map_visibility, name="map_visibility"),
        ]


class AccompanimentViewSetGroup(ModelViewSetGroup):
    menu_label = gettext_lazy("Accompagnement")
    menu_icon = "site"
    menu_order = 160
    items = (ApplicationViewSet, ProjectViewSet, ChecklistTemplateViewSet)
