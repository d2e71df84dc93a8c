"""Querying: Meilisearch when it answers in time, the database copy otherwise.

Both engines apply the same rule (searchable.visible_rules): a document is returned only when
it is published and, for each access attribute its type declares, its value is one the
current user may see.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from community.lib import searchable
from community.lib.searchable import MARK_POST, MARK_PRE
from community.page_cache import PAGES, changes_at

from .config import FRENCH_STOP_WORDS, SYNONYM_GROUPS
from .engine import EngineError, configured, get_search_engine
from .models import SearchDocument
from .text import database_excerpt, fold, highlighted, terms

logger = logging.getLogger(__name__)

PER_PAGE = 10
MAX_PAGE = 100
FACETS = ("type", "themes", "audience")
DEGRADED_NOTICE = (
    "La recherche fonctionne en mode simplifié pour le moment : "
    "les fautes de frappe sont moins bien tolérées."
)
_circuit: dict[str, float] = {}


@dataclass
class Hit:
    type: str
    type_label: str
    title: SafeString
    url: str
    excerpt: SafeString
    themes: list[str] = field(default_factory=list)
    date: datetime | None = None
    plain_title: str = ""

    def as_json(self) -> dict[str, Any]:
        # The title without highlights: the API's callers escape and mark it themselves.
        return public(
            self, "type", "type_label", "url", title=self.plain_title, excerpt=str(self.excerpt)
        )


@dataclass
class Results:
    query: str
    engine: str
    total: int = 0
    page: int = 1
    per_page: int = PER_PAGE
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    notice: str = ""

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page)) if self.total else 0

    def as_json(self) -> dict[str, Any]:
        hits = [hit.as_json() for hit in self.hits]
        return public(self, "query", "total", "engine", "page", "pages", "facets", hits=hits)


def public(source: Hit | Results, *names: str, **values: Any) -> dict[str, Any]:
    """What the API answers of `source`: the attributes named, then the values given."""
    return {**{name: getattr(source, name) for name in names}, **values}


def reset_circuit() -> None:
    _circuit.clear()


def _retry_after() -> float:
    return settings.SEARCH_ENGINE_RETRY_AFTER


def visible_rules(user, types: list[str] | None = None) -> list[tuple[str, dict]]:
    """searchable.visible_rules, kept per member under the content generation: what a
    member may see changes only by a write (their role or membership decision, a project
    they join, forum rights), which outdates it at once like every page it shows on."""
    who = user.pk if user.is_authenticated else "anonymous"
    return PAGES.get_or_build(
        f"search-rules:{who}:{types}", lambda: searchable.visible_rules(user, types)
    )


def search(
    user,
    query: str,
    *,
    types: list[str] | None = None,
    themes: list[str] | None = None,
    audiences: list[str] | None = None,
    filters: dict[str, list[Any]] | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Results:
    """Search what ``user`` may see. Never raises because of the engine."""
    query = (query or "").strip()
    rules = visible_rules(user, types)
    args = (query, rules, themes or [], audiences or [], filters or {}, page, per_page)
    if not configured():
        return _database(*args)
    url = settings.MEILISEARCH_URL
    if _circuit.get(url, 0) <= time.monotonic():
        try:
            return _meilisearch(*args)
        except EngineError as error:
            _circuit[url] = time.monotonic() + _retry_after()
            logger.warning("search: Meilisearch unavailable, database fallback: %s", error)
    # Meilisearch is asked again once the circuit closes: a page or answer kept with these
    # simplified results must not outlive that moment.
    changes_at(timezone.now() + timedelta(seconds=_circuit[url] - time.monotonic()))
    results = _database(*args)
    results.notice = DEGRADED_NOTICE
    return results


# -- Meilisearch ---------------------------------------------------------------------------


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def _in(attribute: str, values: list[Any]) -> str:
    return f"{attribute} IN [{', '.join(_literal(v) for v in values)}]"


def meilisearch_filter(rules, themes, audiences, filters) -> list[str]:
    visible = []
    for name, constraints in rules:
        parts = [f"kind = {_literal(name)}"] + [_in(a, v) for a, v in constraints.items()]
        visible.append("(" + " AND ".join(parts) + ")")
    clauses = ["published = true", " OR ".join(visible)]
    if themes:
        clauses.append(_in("themes", themes))
    if audiences:
        clauses.append(_in("audience", audiences))
    for attribute, values in filters.items():
        clauses.append(_in(attribute, values))
    return clauses


def _labels() -> dict[str, str]:
    return searchable.groups()


def _meilisearch(query, rules, themes, audiences, filters, page, per_page) -> Results:
    results = Results(query=query, engine="meilisearch", page=page, per_page=per_page)
    if not rules:
        return results
    body = {
        "q": query,
        "filter": meilisearch_filter(rules, themes, audiences, filters),
        "facets": list(FACETS),
        "page": page,
        "hitsPerPage": per_page,
        "attributesToRetrieve": ["type", "title", "url", "themes", "date"],
        "attributesToHighlight": ["title", "text"],
        "attributesToCrop": ["text"],
        "cropLength": 30,
        "cropMarker": "…",
        "highlightPreTag": MARK_PRE,
        "highlightPostTag": MARK_POST,
    }
    answer = get_search_engine().search(body)
    labels = _labels()
    results.total = answer.get("totalHits", 0)
    for hit in answer["hits"]:
        formatted = hit.get("_formatted", {})
        results.hits.append(
            Hit(
                type=hit["type"],
                type_label=labels.get(hit["type"], hit["type"]),
                title=highlighted(formatted.get("title", hit["title"])),
                plain_title=hit["title"],
                url=hit["url"],
                excerpt=highlighted(formatted.get("text", "")),
                themes=hit.get("themes") or [],
                date=datetime.fromtimestamp(hit["date"], tz=timezone.get_current_timezone())
                if hit.get("date")
                else None,
            )
        )
    distribution = answer.get("facetDistribution", {})
    results.facets = {name: dict(distribution.get(name, {})) for name in FACETS}
    return results


# -- database fallback ---------------------------------------------------------------------

_STOP = {fold(word) for word in FRENCH_STOP_WORDS}
_SYNONYMS: dict[str, list[str]] = {}
for _group in SYNONYM_GROUPS:
    for _word in _group:
        _SYNONYMS.setdefault(fold(_word), []).extend(fold(w) for w in _group)


def _term_q(term: str) -> Q:
    condition = Q()
    for variant in dict.fromkeys([term, *_SYNONYMS.get(term, [])]):
        condition |= Q(folded_title__contains=variant) | Q(folded_text__contains=variant)
    return condition


def visible_documents(rules, themes=(), audiences=(), filters=None):
    queryset = SearchDocument.objects.filter(published=True)
    visible = Q(pk__in=[])
    for name, constraints in rules:
        rule = Q(doc_type=name)
        for attribute, values in constraints.items():
            rule &= Q(**{f"access__{attribute}__in": values})
        visible |= rule
    queryset = queryset.filter(visible)
    if themes:
        theme_q = Q(pk__in=[])
        for theme in themes:
            theme_q |= Q(themes_key__contains=f"|{theme}|")
        queryset = queryset.filter(theme_q)
    if audiences:
        queryset = queryset.filter(access__audience__in=audiences)
    for attribute, values in (filters or {}).items():
        queryset = queryset.filter(
            Q(**{f"access__{attribute}__in": values}) | Q(**{f"extra__{attribute}__in": values})
        )
    return queryset


def _database(query, rules, themes, audiences, filters, page, per_page) -> Results:
    results = Results(query=query, engine="database", page=page, per_page=per_page)
    if not rules:
        return results
    base = visible_documents(rules, themes, audiences, filters)
    words = [t for t in terms(query) if t not in _STOP] or terms(query)
    queryset = base
    if words:
        queryset = base
        for word in words:
            queryset = queryset.filter(_term_q(word))
        if len(words) > 1 and not queryset.exists():
            any_word = Q(pk__in=[])
            for word in words:
                any_word |= _term_q(word)
            queryset = base.filter(any_word)
        in_title = Q(pk__in=[])
        for word in words:
            in_title |= Q(folded_title__contains=word)
        queryset = queryset.annotate(
            in_title=Case(
                When(in_title, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        ).order_by("-in_title", "-date", "pk")
    else:
        queryset = queryset.order_by("-date", "pk")
    facet_rows = list(queryset.values_list("group", "themes", "access")[:5000])
    results.total = len(facet_rows) if len(facet_rows) < 5000 else queryset.count()
    counts: dict[str, Counter] = {name: Counter() for name in FACETS}
    for doc_type, doc_themes, access in facet_rows:
        counts["type"][doc_type] += 1
        counts["themes"].update(doc_themes or [])
        if access.get("audience"):
            counts["audience"][access["audience"]] += 1
    results.facets = {name: dict(counter) for name, counter in counts.items()}
    labels = _labels()
    start = (page - 1) * per_page
    for document in queryset[start : start + per_page]:
        results.hits.append(
            Hit(
                type=document.group,
                type_label=labels.get(document.group, document.group),
                title=database_excerpt(document.title, words, width=500),
                plain_title=document.title,
                url=document.url,
                excerpt=database_excerpt(document.text, words) if document.text else mark_safe(""),
                themes=document.themes or [],
                date=document.date,
            )
        )
    return results
