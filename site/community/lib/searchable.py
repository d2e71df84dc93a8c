"""What can be searched: each app registers its documents here; search/ knows no model.

In the core lib, not in search/: core apps (accompaniment) and feature apps register the
same way, and the search app reads the registrations, so neither side imports the other.

A feature's ``search_documents.py`` (autodiscovered by SearchConfig.ready) calls::

    register(DocumentType(
        name="toolkit",                      # the public type: API ?type=, facets, URL-safe
        label="Boîte à outils",              # shown in the results
        model=ToolkitPage,
        to_document=toolkit_document,        # instance -> Document, or None: not searchable
        access=("audience",),                # access attributes every document carries
        queryset=lambda: ToolkitPage.objects.live(),
    ))

and, once per access attribute, who may see which values::

    register_access("forum_id", lambda user: readable_forum_ids(user))

Every query keeps a document only when it is published and, for each access attribute its
type declares, the document's value is among the values the current user may see. A type
whose access attribute has no provider is hidden from everyone (fail closed).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import models, transaction

# How far back the daily jobs look for records whose date passed (unlist_passed): a worker
# stopped for days still catches up; `manage.py search_reindex` rebuilds anything older.
UNLIST_AFTER_DAYS = 7
# Meilisearch document ids: [A-Za-z0-9_-] only.
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_]")
# Private-use characters mark highlights (see search.text); never let content carry them.
MARK_PRE = "\ue000"
MARK_POST = "\ue001"


@dataclass
class Document:
    """A searchable document, built from one instance by its feature."""

    title: str
    url: str
    text: str = ""
    themes: list[str] = field(default_factory=list)
    date: datetime | date | None = None
    access: dict[str, Any] = field(default_factory=dict)
    published: bool = True
    # Extra filterable values a feature wants to expose (e.g. {"forum_id": 3} for a forum
    # restricted search); access values are always exposed.
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class DocumentType:
    name: str  # unique key of the registration (document ids, outbox)
    label: str
    model: type[models.Model]
    to_document: Callable[[Any], Document | None]
    queryset: Callable[[], models.QuerySet] | None = None
    access: tuple[str, ...] = ("audience",)
    # Extra filterable attributes its documents carry in Document.extra.
    filterable: tuple[str, ...] = ()
    # The public type shown and filtered on (API ?type=): several registrations may share
    # one, e.g. animation kinds and tours are both "animation". Defaults to name.
    group: str = ""
    # Other models whose changes make documents of this type stale: model -> function
    # returning the instances of ``model`` to refresh (e.g. a post edit refreshes its topic).
    depends_on: dict[type[models.Model], Callable[[Any], Iterable[Any]]] = field(
        default_factory=dict
    )

    def __post_init__(self) -> None:
        self.group = self.group or self.name
        for value in (self.name, self.group):
            if not re.fullmatch(r"[a-z][a-z0-9_]*", value):
                raise ValueError(f"search type name {value!r}: lowercase letters, digits, _")

    def get_queryset(self) -> models.QuerySet:
        if self.queryset is not None:
            return self.queryset()
        return self.model._default_manager.all()

    def document_id(self, pk: Any) -> str:
        return f"{self.name}-{_UNSAFE_ID.sub(lambda m: f'_{ord(m.group()):x}_', str(pk))}"

    @property
    def is_page(self) -> bool:
        try:
            from wagtail.models import Page
        except ImportError:  # pragma: no cover - wagtail is a dependency
            return False
        return issubclass(self.model, Page)


_types: dict[str, DocumentType] = {}
_access: dict[str, Callable[[Any], Iterable[Any]]] = {}
_listeners: list[Callable[[DocumentType], None]] = []
_stale_listeners: list[Callable[[type[models.Model], list[Any]], None]] = []


def register(doc_type: DocumentType) -> DocumentType:
    existing = _types.get(doc_type.name)
    if existing is not None and existing.model is not doc_type.model:
        raise ValueError(f"search type {doc_type.name!r} is already registered")
    _types[doc_type.name] = doc_type
    for listener in _listeners:
        listener(doc_type)
    return doc_type


def unregister(name: str) -> None:
    _types.pop(name, None)


def register_access(attribute: str, values_for: Callable[[Any], Iterable[Any]]) -> None:
    """values_for(user) returns the values of ``attribute`` the user may see."""
    _access[attribute] = values_for


def on_register(listener: Callable[[DocumentType], None]) -> None:
    """Call listener for every registered type, now and later (signals use it)."""
    _listeners.append(listener)
    for doc_type in list(_types.values()):
        listener(doc_type)


def on_stale(listener: Callable[[type[models.Model], list[Any]], None]) -> None:
    """listener(model, pks) refreshes the documents of these objects (the search app)."""
    _stale_listeners.append(listener)


def mark_stale(model: type[models.Model], pks: Iterable[Any]) -> None:
    """These objects' documents changed although no save or delete told the search app: a
    bulk write (bulk_create, bulk_update, QuerySet.update: imports) or time passing (a job
    offer reached its closing date). Call it once for the whole batch, in the transaction
    that wrote it: one outbox write, delivered by one task after commit. `model` may also be
    one that documents depend on (a commune renamed in bulk: its cafés' documents)."""
    pks = list(pks)
    for listener in _stale_listeners:
        listener(model, pks)


def unlist_passed(records: models.QuerySet, date_field: str, today: date) -> int:
    """For a daily job, just after midnight: the documents of ``records`` whose
    ``date_field`` passed (these last UNLIST_AFTER_DAYS) are marked stale, so that their
    to_document, which leaves them out from that date, takes them out of the search.
    Returns how many were marked."""
    since = today - timedelta(days=UNLIST_AFTER_DAYS)
    passed = records.filter(**{f"{date_field}__lt": today, f"{date_field}__gte": since})
    with transaction.atomic():
        pks = list(passed.values_list("pk", flat=True))
        mark_stale(records.model, pks)
    return len(pks)


def types() -> dict[str, DocumentType]:
    return dict(_types)


def get(name: str) -> DocumentType:
    return _types[name]


def groups() -> dict[str, str]:
    """Public types and their labels (the first registration's label names the group)."""
    result: dict[str, str] = {}
    for doc_type in sorted(_types.values(), key=lambda t: (t.name != t.group, t.name)):
        result.setdefault(doc_type.group, doc_type.label)
    return result


def types_for_model(model: type[models.Model]) -> list[DocumentType]:
    return [t for t in _types.values() if issubclass(model, t.model)]


def access_attributes() -> set[str]:
    attributes = set(_access)
    for doc_type in _types.values():
        attributes.update(doc_type.access)
    return attributes


def visible_access(user) -> dict[str, list[Any]]:
    """For each access attribute with a provider, the values the user may see."""
    return {name: sorted(set(values_for(user)), key=str) for name, values_for in _access.items()}


def visible_rules(user, only_groups: Iterable[str] | None = None) -> list[tuple[str, dict]]:
    """[(registration name, {attribute: allowed values})] for what the user may see.

    only_groups restricts to public types (``group``)."""
    allowed = visible_access(user)
    rules = []
    wanted = set(only_groups) if only_groups is not None else None
    for name, doc_type in sorted(_types.items()):
        if wanted is not None and doc_type.group not in wanted:
            continue
        if any(attribute not in allowed for attribute in doc_type.access):
            continue  # no provider: fail closed
        constraints = {attribute: allowed[attribute] for attribute in doc_type.access}
        if any(not values for values in constraints.values()):
            continue
        rules.append((name, constraints))
    return rules
