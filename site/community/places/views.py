from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from .forms import search_communes
from .models import Cafe


@require_GET
def commune_autocomplete(request: HttpRequest) -> JsonResponse:
    communes = search_communes(request.GET.get("q", ""))
    return JsonResponse(
        {
            "results": [
                {"label": c.label, "detail": f"{c.department.name}, {c.population or '?'} hab."}
                for c in communes
            ]
        }
    )


@require_GET
def cafe_autocomplete(request: HttpRequest) -> JsonResponse:
    text = " ".join(request.GET.get("q", "").split())
    cafes = []
    if len(text) >= 2:
        cafes = Cafe.objects.select_related("commune").filter(name__icontains=text)[:10]
    return JsonResponse({"results": [{"label": c.label, "detail": c.address} for c in cafes]})
