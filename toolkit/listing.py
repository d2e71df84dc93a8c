"""The toolkit listing: filters read from the query string, so a filtered list is a link."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from community.accounts.audience import Audience, audiences_for
from community.fragments import cached_fragment
from community.lib.routes import page_route
from community.places.models import Stage

from .models import PAGE_SIZE, THEMES, ToolkitDocumentLink, ToolkitIndexPage, ToolkitPage

ALL = [("", "Tous")]


class ToolkitFilterForm(forms.Form):
    theme = forms.ChoiceField(label="Thème", required=False)
    audience = forms.ChoiceField(label="Public", required=False)
    stage = forms.ChoiceField(label="Étape du projet", required=False)

    def __init__(self, data, *, audiences: set[str]):
        super().__init__(data)
        # THEMES is what the theme rows are made from (migration 0001, ensure_themes): the
        # choices need no query.
        self.fields["theme"].choices = ALL + THEMES
        # Only the audiences the viewer may read: the others would always list nothing.
        self.fields["audience"].choices = ALL + [
            (value, label) for value, label in Audience.choices if value in audiences
        ]
        self.fields["stage"].choices = [("", "Toutes")] + list(Stage.choices)
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = (
                "« %(value)s » n'est pas un choix possible : ce filtre est ignoré."
            )


def toolkit_listing(index: ToolkitIndexPage, request: HttpRequest) -> dict[str, Any]:
    audiences = audiences_for(request.user)
    form = ToolkitFilterForm(request.GET, audiences=audiences)
    form.is_valid()
    # A bad value drops only its own filter: the others still apply.
    filters = {name: value for name, value in form.cleaned_data.items() if value}

    toolkits = (
        ToolkitPage.objects.live()
        .child_of(index)
        .filter(audience__in=audiences)
        .prefetch_related("themes")
        .only(
            "title", "intro", "audience", "stage", "last_reviewed_on", "url_path", "path", "depth"
        )
        .order_by("-last_reviewed_on", "title", "pk")
    )
    if "theme" in filters:
        toolkits = toolkits.filter(themes__slug=filters["theme"])
    if "audience" in filters:
        toolkits = toolkits.filter(audience=filters["audience"])
    if "stage" in filters:
        toolkits = toolkits.filter(stage=filters["stage"])

    page_obj = Paginator(toolkits, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {
        "filter_form": form,
        "toolkits": page_obj,
        "filtered": bool(filters),
        "filter_query": query.urlencode(),
    }
    if getattr(request.user, "is_network_staff", False):
        totals = dict(
            ToolkitDocumentLink.objects.filter(page__in=[t.pk for t in page_obj])
            .values("page")
            .annotate(total=Sum("document__download_tally__count"))
            .values_list("page", "total")
        )
        for toolkit in page_obj:
            toolkit.download_total = totals.get(toolkit.pk) or 0
        context["show_download_counts"] = True
    return context


@page_route(ToolkitIndexPage, "", name="listing")
def listing(index: ToolkitIndexPage, request: HttpRequest) -> HttpResponse:
    """The filters and the list are rendered once for each set of audiences and query
    string (community/fragments.py): nothing else of the reader shows in them."""
    user = request.user

    def render() -> str:
        context = {"page": index, "request": request, "user": user}
        return render_to_string(
            "toolkit/_listing.html", {**context, **toolkit_listing(index, request)}
        )

    if getattr(user, "is_network_staff", False):
        # Downloads are counted without outdating pages: staff's totals are read each time.
        return index.render(request, context_overrides={"listing": render()})
    parts = (
        "toolkit-listing",
        index.pk,
        ",".join(sorted(audiences_for(user))),
        user.is_authenticated,
        sorted(request.GET.lists()),
        # A visitor's sign-in link comes back to the page they were on.
        "" if user.is_authenticated else request.get_full_path(),
    )
    listing = cached_fragment(request, parts, render)
    return index.render(request, context_overrides={"listing": listing})
