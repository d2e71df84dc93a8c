"""Generic hooks: every registered model's changes go to the outbox (see indexing)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from community.lib import searchable
from community.lib.searchable import DocumentType

from .indexing import schedule

_connected: set[tuple[str, int]] = set()


def _on_save(sender, instance, raw=False, **kwargs):
    if raw:
        return
    _schedule_for(sender, instance)


def _on_delete(sender, instance, **kwargs):
    _schedule_for(sender, instance)


def _schedule_for(sender, instance) -> None:
    for doc_type in searchable.types().values():
        if isinstance(instance, doc_type.model):
            schedule(doc_type.name, instance.pk)


def _dependency_handler(doc_type: DocumentType, related_objects):
    def handler(sender, instance, raw=False, **kwargs):
        if raw:
            return
        for obj in related_objects(instance) or ():
            if obj is not None:
                schedule(doc_type.name, obj.pk)

    return handler


def _page_changed(sender, instance, **kwargs):
    _schedule_for(sender, instance.specific if hasattr(instance, "specific") else instance)


def _page_tree_changed(instance) -> None:
    """A page moved or its privacy changed: it and its registered descendants are stale."""
    page_types = [t for t in searchable.types().values() if t.is_page]
    for doc_type in page_types:
        pks = doc_type.model.objects.filter(path__startswith=instance.path).values_list(
            "pk", flat=True
        )
        for pk in pks:
            schedule(doc_type.name, pk)


def _on_move(sender, instance, **kwargs):
    _page_tree_changed(instance)


def _on_restriction(sender, instance, raw=False, **kwargs):
    if raw:
        return
    page = getattr(instance, "page", None)
    if page is not None:
        _page_tree_changed(page)


def connect(doc_type: DocumentType) -> None:
    model = doc_type.model
    key = ("model", id(model))
    if key not in _connected:
        _connected.add(key)
        uid = f"search:{model._meta.label}"
        post_save.connect(_on_save, sender=model, dispatch_uid=uid + ":save", weak=False)
        post_delete.connect(_on_delete, sender=model, dispatch_uid=uid + ":delete", weak=False)
        if doc_type.is_page:
            from wagtail.signals import page_published, page_unpublished

            page_published.connect(
                _page_changed, sender=model, dispatch_uid=uid + ":pub", weak=False
            )
            page_unpublished.connect(
                _page_changed, sender=model, dispatch_uid=uid + ":unpub", weak=False
            )
    for related_model, related_objects in doc_type.depends_on.items():
        key = (f"dep:{doc_type.name}", id(related_model))
        if key in _connected:
            continue
        _connected.add(key)
        handler = _dependency_handler(doc_type, related_objects)
        uid = f"search:{doc_type.name}:{related_model._meta.label}"
        post_save.connect(handler, sender=related_model, dispatch_uid=uid + ":save", weak=False)
        post_delete.connect(handler, sender=related_model, dispatch_uid=uid + ":delete", weak=False)


def connect_wagtail() -> None:
    """Moves and view restrictions affect every page type, registered or not (parents)."""
    from wagtail.models import PageViewRestriction
    from wagtail.signals import post_page_move

    post_page_move.connect(_on_move, dispatch_uid="search:page_move", weak=False)
    post_save.connect(
        _on_restriction, sender=PageViewRestriction, dispatch_uid="search:restriction", weak=False
    )
    post_delete.connect(
        _on_restriction,
        sender=PageViewRestriction,
        dispatch_uid="search:restriction_delete",
        weak=False,
    )
