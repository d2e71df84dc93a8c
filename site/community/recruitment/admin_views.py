"""Back office (Wagtail admin): staff list the job offers, with their confirmed and
shortlisted candidates, and open each offer's candidates page, where the shortlist is kept
(as projects change only in their space). Registered in wagtail_hooks.py."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton

from .models import JobOffer


class JobOfferIndexView(IndexView):
    def get_base_queryset(self) -> QuerySet[JobOffer]:
        return (
            JobOffer.objects.select_related("project__commune", "cafe__commune")
            .annotate(
                confirmed=Count("candidacies", filter=Q(candidacies__confirmed_at__isnull=False)),
                shortlisted=Count(
                    "candidacies", filter=Q(candidacies__shortlisted_at__isnull=False)
                ),
            )
            .order_by("state", "closes_on")
        )

    @property
    def header_buttons(self):
        return [
            HeaderButton(
                gettext_lazy("Publier une offre pour un café"),
                url=reverse("recruitment:publish_cafe"),
                icon_name="plus",
            )
        ]


class JobOfferViewSet(ModelViewSet):
    model = JobOffer
    icon = "user"
    menu_label = gettext_lazy("Offres de gérance")
    menu_order = 165
    add_to_admin_menu = True
    url_prefix = "offres-de-gerance"
    url_namespace = "recruitment_offers"
    index_view_class = JobOfferIndexView
    list_filter = ["state", "contract_type"]
    list_display = [
        TitleColumn(
            "title",
            label=gettext_lazy("Offre"),
            get_url=lambda offer: reverse("recruitment:candidates", args=[offer.pk]),
        ),
        Column("commune", label=gettext_lazy("Commune"), accessor="commune"),
        "state",
        "closes_on",
        Column("confirmed", label=gettext_lazy("Candidatures confirmées")),
        Column("shortlisted", label=gettext_lazy("Présélection")),
    ]
    form_fields = ["title"]
    copy_view_enabled = False
    add_to_reference_index = False
