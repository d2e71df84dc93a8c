"""/forum/search/: the site search (search.query) restricted to forum topics, in the forum's
look. Its database fallback answers when Meilisearch does not, so the page never fails."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_cookie

from search.forms import SearchForm
from search.query import search as search_documents

PER_PAGE = 20


class ForumSearchForm(SearchForm):
    """The site search's checks (length, page number); the type is always the forum."""

    type = None
    theme = None
    audience = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].label = "Rechercher dans le forum"


@require_GET
@vary_on_cookie
def search(request: HttpRequest) -> HttpResponse:
    form = ForumSearchForm(request.GET)
    context: dict = {"form": form, "search_query": "", "results": None}
    if not form.is_valid():
        context["error"] = form.first_error()
        return render(request, "forum/search.html", context, status=400)
    query = form.cleaned_data["q"]
    if query:
        results = search_documents(
            request.user,
            query,
            types=["forum"],
            page=form.cleaned_data["page"],
            per_page=PER_PAGE,
        )
        page = results.page
        context.update(
            search_query=query,
            results=results,
            first_rank=(page - 1) * results.per_page + 1,
            site_search_url=reverse("search:page") + "?" + urlencode({"q": query}),
        )
        if page > 1:
            context["previous_url"] = "?" + urlencode({"q": query, "page": page - 1})
        if page < results.pages:
            context["next_url"] = "?" + urlencode({"q": query, "page": page + 1})
    return render(request, "forum/search.html", context)
