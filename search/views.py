"""/recherche/ (HTML page) and /api/search (JSON): thin, everything is in query.search."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_cookie

from community.accounts.audience import Audience
from community.lib import searchable

from .forms import SearchForm
from .query import Results, search

SUGGESTIONS = [
    "gérant",
    "subvention commerce rural",
    "atelier échecs",
    "participation citoyenne",
    "Tournée des Villages",
]


def _run(request: HttpRequest, form: SearchForm, per_page: int | None = None) -> Results:
    data = form.cleaned_data
    extra = {"per_page": per_page} if per_page else {}
    return search(
        request.user,
        data["q"],
        types=[data["type"]] if data["type"] else None,
        themes=[data["theme"]] if data["theme"] else None,
        audiences=[data["audience"]] if data["audience"] else None,
        page=data["page"],
        **extra,
    )


@require_GET
@vary_on_cookie
def api_search(request: HttpRequest) -> JsonResponse:
    form = SearchForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"error": form.first_error()}, status=400)
    if not form.cleaned_data["q"]:
        return JsonResponse(
            {"error": "Le paramètre q (les mots recherchés) est obligatoire."}, status=400
        )
    size = request.GET.get("size")
    per_page = int(size) if size and size.isdigit() and 1 <= int(size) <= 20 else None
    response = JsonResponse(_run(request, form, per_page).as_json())
    if request.user.is_authenticated:
        # A member's answer lists what their rights show; visitors all get the same answer,
        # which the anonymous page cache keeps until the next delivery to the index (it
        # deletes its outbox rows: a write like any other).
        response["Cache-Control"] = "private, no-store"
    return response


def _facet_links(request: HttpRequest, results: Results, name: str, param: str, labels: dict):
    current = request.GET.get(param, "")
    links = []
    for value, count in sorted(results.facets.get(name, {}).items(), key=lambda kv: -kv[1]):
        params = {k: v for k, v in request.GET.items() if k not in (param, "page")}
        if value != current:
            params[param] = value
        links.append(
            {
                "label": labels.get(value, value),
                "count": count,
                "selected": value == current,
                "url": "?" + urlencode(params),
            }
        )
    return links


@require_GET
@vary_on_cookie
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    context: dict = {"form": form, "suggestions": SUGGESTIONS, "results": None}
    status = 200
    if form.is_valid():
        if form.cleaned_data["q"]:
            results = _run(request, form)
            context["results"] = results
            type_labels = searchable.groups()
            context["facets"] = [
                ("Type", _facet_links(request, results, "type", "type", type_labels)),
                ("Thème", _facet_links(request, results, "themes", "theme", {})),
                (
                    "Public",
                    _facet_links(request, results, "audience", "audience", dict(Audience.choices)),
                ),
            ]
            context["facets"] = [(title, links) for title, links in context["facets"] if links]
            params = {k: v for k, v in request.GET.items() if k != "page"}
            page = results.page
            context["first_rank"] = (page - 1) * results.per_page + 1
            if page > 1:
                context["previous_url"] = "?" + urlencode({**params, "page": page - 1})
            if page < results.pages:
                context["next_url"] = "?" + urlencode({**params, "page": page + 1})
    else:
        context["error"] = form.first_error()
        status = 400
    return render(request, "search/search.html", context, status=status)
