"""Suggestion endpoints for the autocomplete inputs: public, read-only, small JSON."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from community.lib.formats import number

from .forms import search_communes
from .models import Cafe, Commune

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
