"""/recherche/ (HTML page) and /api/search (JSON): thin, everything is in query.search.

Both keep their answer (the page's results part, the API's JSON) under the content
generation, keyed by what decides it: the rules of what the reader may see, which members
with the same rights share, and the search's parameters. A delivery to the index removes its
outbox rows, a write like any other, so a new document shows at once. A member's HTTP answer
stays private: their page carries their name, and their rights choose the results.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_cookie

from community.accounts.audience import Audience
from community.fragments import cached_fragment
from community.lib import searchable

from .forms import SearchForm
from .query import Results, search, visible_rules

SUGGESTIONS = [
    "gérant",
    "subvention commerce rural",
    "atelier échecs",
    "participation citoyenne",
    "Tournée des Villages",
]
FILTERS = ("type", "theme", "audience")


def _kept(
    request: HttpRequest, kind: str, form: SearchForm, per_page: int | None, render_answer
) -> str:
    """The answer `render_answer(results)` for this search, from the cache when kept."""
    data = form.cleaned_data
    types = [data["type"]] if data["type"] else None
    extra = {"per_page": per_page} if per_page else {}

    def run() -> str:
        return render_answer(
            search(
                request.user,
                data["q"],
                types=types,
                themes=[data["theme"]] if data["theme"] else None,
                audiences=[data["audience"]] if data["audience"] else None,
                page=data["page"],
                **extra,
            )
        )

    asked = {name: data[name] for name in ("q", "page", *FILTERS)} | {"per_page": per_page}
    parts = (kind, visible_rules(request.user, types), json.dumps(asked, sort_keys=True))
    return cached_fragment(request, parts, run)


@require_GET
@vary_on_cookie
def api_search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"error": form.first_error()}, status=400)
    if not form.cleaned_data["q"]:
        return JsonResponse(
            {"error": "Le paramètre q (les mots recherchés) est obligatoire."}, status=400
        )
    size = request.GET.get("size")
    per_page = int(size) if size and size.isdigit() and 1 <= int(size) <= 20 else None
    body = _kept(request, "search-api", form, per_page, lambda r: json.dumps(r.as_json()))
    return _private_to_members(request, HttpResponse(body, content_type="application/json"))


def _private_to_members(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Visitors all get the same answer (the anonymous page cache keeps it); a member's is
    chosen by their rights: no shared cache on the way may keep it."""
    if request.user.is_authenticated:
        response["Cache-Control"] = "private, no-store"
    return response


def _facet_links(asked: dict, results: Results, name: str, param: str, labels: dict):
    current = asked.get(param, "")
    links = []
    for value, count in sorted(results.facets.get(name, {}).items(), key=lambda kv: -kv[1]):
        params = {k: v for k, v in asked.items() if k != param}
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


def _results_part(form: SearchForm, results: Results) -> str:
    """The results, facets and pagination: everything of the page that the search decides."""
    data = form.cleaned_data
    # The links keep the search and its filters (not the page, nor unknown parameters: the
    # part is kept for every address asking the same search).
    asked = {name: data[name] for name in ("q", *FILTERS) if data[name]}
    facets = [
        ("Type", _facet_links(asked, results, "type", "type", searchable.groups())),
        ("Thème", _facet_links(asked, results, "themes", "theme", {})),
        ("Public", _facet_links(asked, results, "audience", "audience", dict(Audience.choices))),
    ]
    page = results.page
    context = {
        "results": results,
        "suggestions": SUGGESTIONS,
        "filtered": any(data[name] for name in FILTERS),
        "facets": [(title, links) for title, links in facets if links],
        "first_rank": (page - 1) * results.per_page + 1,
    }
    if page > 1:
        context["previous_url"] = "?" + urlencode({**asked, "page": page - 1})
    if page < results.pages:
        context["next_url"] = "?" + urlencode({**asked, "page": page + 1})
    return render_to_string("search/_results.html", context)


@require_GET
@vary_on_cookie
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    context: dict = {"form": form, "suggestions": SUGGESTIONS}
    status = 200
    if not form.is_valid():
        context["error"] = form.first_error()
        status = 400
    elif form.cleaned_data["q"]:
        context["results_part"] = _kept(
            request, "search-page", form, None, lambda results: _results_part(form, results)
        )
    return _private_to_members(
        request, render(request, "search/search.html", context, status=status)
    )
