"""Keeping the index in step with the database: outbox, delivery, full rebuild.

1. A change (save, delete, publish, move…) calls ``schedule(type, pk)``: one
   ``PendingOperation`` row in the same transaction as the change.
2. After commit, a task (``deliver_operations``, run by the worker) calls ``deliver()``: it
   renders each pending object from the database as it is now (so repeated or out-of-order
   operations are harmless), updates the database copy (``SearchDocument``), sends upserts
   and deletions to Meilisearch, waits for the tasks and removes the delivered rows. On any
   engine error the rows stay, with a backoff; the periodic ``search_sync`` job (every
   minute, settings.PERIODIC_JOBS) delivers them when Meilisearch is back.
3. ``reindex()`` rebuilds every document into a new index and swaps it with the live one.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from datetime import time as dt_time
from typing import Any

from django.db import connections, router, transaction
from django.utils import timezone
from django_tasks import task as background_task

from community.lib import searchable
from community.lib.formats import number
from community.lib.searchable import Document, DocumentType

from .engine import EngineError, configured, get_engine, payloads, write_timeout
from .models import IndexBuild, PendingOperation, SearchDocument
from .text import fold, plain

logger = logging.getLogger(__name__)

MAX_TEXT = 20_000
MAX_BACKOFF = 300
# Seconds the worker waits for Meilisearch to apply a delivery before postponing it.
SYNC_WAIT_TIMEOUT = 30.0
# Rows rendered, written and sent to Meilisearch together.
DELIVERY_BATCH = 500
_buffer = threading.local()


# -- rendering -----------------------------------------------------------------------------


def _timestamp(value: datetime | date | None) -> int | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, dt_time.min)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return int(value.timestamp())


def page_is_searchable(instance) -> bool:
    """Wagtail pages: only live pages without a view restriction (password, login, groups)."""
    from wagtail.models import Page

    if not getattr(instance, "live", True):
        return False
    # Wagtail's own query, not the page model's cached shortcut (home.tree_cache): the index
    # is written after commit, possibly before that cache learns of a new restriction.
    return not Page.get_view_restrictions(instance).exists()


def build_document(doc_type: DocumentType, instance) -> Document | None:
    if doc_type.is_page and not page_is_searchable(instance):
        return None
    return doc_type.to_document(instance)


def to_json(doc_type: DocumentType, pk: Any, document: Document) -> dict:
    """The Meilisearch document (also the source of the database copy)."""
    data = {
        "id": doc_type.document_id(pk),
        "pk": str(pk),
        "kind": doc_type.name,
        "type": doc_type.group,
        "title": plain(document.title)[:500],
        "text": plain(document.text)[:MAX_TEXT],
        "url": document.url,
        "themes": [str(theme) for theme in document.themes],
        "date": _timestamp(document.date),
        "published": bool(document.published),
    }
    for key, value in {**document.extra, **document.access}.items():
        data[key] = value
    return data


def render(doc_type: DocumentType, pk: Any) -> dict | None:
    instance = doc_type.get_queryset().filter(pk=pk).first()
    if instance is None:
        return None
    document = build_document(doc_type, instance)
    return None if document is None else to_json(doc_type, pk, document)


def iter_documents(doc_type: DocumentType, chunk_size: int = 500) -> Iterator[dict]:
    for instance in doc_type.get_queryset().iterator(chunk_size=chunk_size):
        document = build_document(doc_type, instance)
        if document is not None:
            yield to_json(doc_type, instance.pk, document)


# -- database copy -------------------------------------------------------------------------


_BASE_KEYS = {"id", "pk", "kind", "type", "title", "text", "url", "themes", "date", "published"}
# Columns of the database copy, in the order _values() gives them.
_COLUMNS = [
    "doc_id",
    "doc_type",
    "group",
    "object_pk",
    "title",
    "text",
    "url",
    "themes",
    "themes_key",
    "date",
    "published",
    "access",
    "extra",
    "folded_title",
    "folded_text",
    "updated_at",
]


def _values(data: dict, access_names: set[str], now: Any, json, moment) -> tuple:
    date_value = data["date"]
    return (
        data["id"],
        data["kind"],
        data["type"],
        data["pk"],
        data["title"],
        data["text"],
        data["url"],
        json(data["themes"]),
        "".join(f"|{theme}|" for theme in data["themes"]),
        moment(datetime.fromtimestamp(date_value, tz=UTC)) if date_value is not None else None,
        data["published"],
        json({k: v for k, v in data.items() if k in access_names}),
        json({k: v for k, v in data.items() if k not in _BASE_KEYS and k not in access_names}),
        fold(data["title"]),
        fold(data["text"]),
        now,
    )


def _upsert_sql(db) -> str:
    meta = SearchDocument._meta
    quote = db.ops.quote_name
    columns = [quote(meta.get_field(name).column) for name in _COLUMNS]
    updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in columns[1:])
    return (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({quote('doc_type')}, {quote('object_pk')}) DO UPDATE SET {updates}"
    )


def save_rows(documents: list[dict]) -> None:
    """Write (insert or update) the database copy of these documents.

    One upsert statement run for every document, with SQLite and PostgreSQL alike: a full
    reindex writes every document, and model instances with Django's bulk SQL cost twice
    the time Meilisearch spends indexing them. JSON and datetime values go through the
    database backend's own adaptation.
    """
    if not documents:
        return
    db = connections[router.db_for_write(SearchDocument)]
    access = {name: set(doc_type.access) for name, doc_type in searchable.types().items()}
    now = db.ops.adapt_datetimefield_value(timezone.now())
    json = functools.partial(db.ops.adapt_json_value, encoder=None)
    moment = db.ops.adapt_datetimefield_value
    rows = [_values(d, access.get(d["kind"], set()), now, json, moment) for d in documents]
    with transaction.atomic(using=db.alias), db.cursor() as cursor:
        cursor.executemany(_upsert_sql(db), rows)


# -- outbox --------------------------------------------------------------------------------


def schedule(type_name: str, pk: Any) -> None:
    """Record that an object changed; delivered after the transaction commits."""
    _record([PendingOperation.objects.create(doc_type=type_name, object_pk=str(pk))])


def _record(ops: list[PendingOperation]) -> None:
    ids = getattr(_buffer, "ids", None)
    if ids is None:
        ids = _buffer.ids = []
    ids.extend(op.pk for op in ops)
    transaction.on_commit(_flush_after_commit)


def schedule_instance(instance) -> None:
    for doc_type in searchable.types_for_model(type(instance)):
        schedule(doc_type.name, instance.pk)


def schedule_stale(model, pks: Iterable[Any]) -> None:
    """searchable.mark_stale's listener: these objects' documents, and those of the types
    that depend on them (a renamed commune's cafés), are delivered again after commit. One
    outbox write for them all: an import marks thousands of rows at once."""
    pks = list(pks)
    stale = {
        doc_type.name: dict.fromkeys(map(str, pks))
        for doc_type in searchable.types_for_model(model)
    }
    for doc_type in searchable.types().values():
        related_objects = doc_type.depends_on.get(model)
        if related_objects is None:
            continue
        for instance in model._default_manager.filter(pk__in=pks):
            for obj in related_objects(instance) or ():
                stale.setdefault(doc_type.name, {})[str(obj.pk)] = None
    ops = [
        PendingOperation(doc_type=name, object_pk=pk)
        for name, object_pks in stale.items()
        for pk in object_pks
    ]
    if ops:
        _record(PendingOperation.objects.bulk_create(ops))


def _flush_after_commit() -> None:
    ids = getattr(_buffer, "ids", None) or []
    _buffer.ids = []
    if not ids:
        return
    try:
        deliver_operations.enqueue(ids)
    except Exception:  # after commit: never break the request; the search_sync job catches up
        logger.exception("search: delivery could not be enqueued, left in the outbox")


@background_task()
def deliver_operations(ids: list[int]) -> dict:
    """The worker's half of schedule(): deliver these outbox rows. An unreachable engine
    postpones them (they stay in the outbox), it does not fail the task: the periodic
    search_sync job delivers them once Meilisearch answers again. The worker, not a request,
    waits here: as long as search_sync does, so that a busy engine (an index being built
    beside it) does not turn a delivery it is about to finish into a postponement."""
    totals = {"delivered": 0, "failed": 0}
    # deliver() takes at most DELIVERY_BATCH rows; an import enqueues thousands at once.
    for start in range(0, len(ids), DELIVERY_BATCH):
        result = deliver(ids=ids[start : start + DELIVERY_BATCH], wait_timeout=SYNC_WAIT_TIMEOUT)
        totals = {key: totals[key] + result[key] for key in totals}
    return totals


def deliver(
    ids: Iterable[int] | None = None,
    limit: int = DELIVERY_BATCH,
    wait_timeout: float | None = None,
) -> dict:
    """Deliver due pending operations (or the given ones). Returns counts."""
    now = timezone.now()
    queryset = PendingOperation.objects.all()
    queryset = (
        queryset.filter(pk__in=list(ids))
        if ids is not None
        else queryset.filter(next_attempt_at__lte=now)
    )
    ops = list(queryset.order_by("pk")[:limit])
    if not ops:
        return {"delivered": 0, "failed": 0}
    types = searchable.types()
    upserts: dict[str, dict] = {}
    deletions: dict[str, tuple[str, str]] = {}
    for key in dict.fromkeys((op.doc_type, op.object_pk) for op in ops):
        doc_type = types.get(key[0])
        if doc_type is None:
            continue  # a type no longer registered: nothing to deliver
        data = render(doc_type, key[1])
        doc_id = doc_type.document_id(key[1])
        if data is None:
            deletions[doc_id] = key
        else:
            upserts[doc_id] = data
    with transaction.atomic():
        save_rows(list(upserts.values()))
        for doc_type_name, object_pk in deletions.values():
            SearchDocument.objects.filter(doc_type=doc_type_name, object_pk=object_pk).delete()
    op_ids = [op.pk for op in ops]
    if configured():
        try:
            send(list(upserts.values()), list(deletions), wait_timeout)
        except EngineError as error:
            _postpone(ops, error)
            logger.warning("search: %s operation(s) postponed: %s", len(ops), error)
            return {"delivered": 0, "failed": len(ops)}
    PendingOperation.objects.filter(pk__in=op_ids).delete()
    return {"delivered": len(ops), "failed": 0}


def send(upserts: list[dict], deletions: list[str], wait_timeout: float | None = None) -> None:
    engine = get_engine()
    if not getattr(engine, "live_ready", False):
        engine.ensure_live_index()
        engine.live_ready = True
    targets = [engine.live_uid, *IndexBuild.objects.values_list("index_uid", flat=True)]
    tasks = []
    for uid in targets:
        if upserts:
            tasks.append(engine.add(uid, upserts))
        if deletions:
            tasks.append(engine.delete(uid, deletions))
    for task in tasks:
        try:
            engine.wait(task, wait_timeout if wait_timeout is not None else write_timeout())
        except EngineError as error:
            if "index_not_found" in str(error):
                engine.live_ready = False
                if task.get("indexUid") == engine.live_uid:
                    raise
                continue  # a build index that was swapped and dropped meanwhile
            raise


def _postpone(ops: list[PendingOperation], error: Exception) -> None:
    now = timezone.now()
    for op in ops:
        op.attempts += 1
        op.next_attempt_at = now + timedelta(seconds=min(2**op.attempts, MAX_BACKOFF))
        op.last_error = str(error)[:1000]
    PendingOperation.objects.bulk_update(ops, ["attempts", "next_attempt_at", "last_error"])


def sync(
    all_due: bool = True, limit: int = DELIVERY_BATCH, progress: Callable[[str], None] | None = None
) -> dict:
    """Deliver every due pending operation (all of them with all_due=False: ignore backoff)."""
    totals = {"delivered": 0, "failed": 0}
    if not all_due:
        PendingOperation.objects.update(next_attempt_at=timezone.now())
    while True:
        result = deliver(limit=limit, wait_timeout=SYNC_WAIT_TIMEOUT)
        totals["delivered"] += result["delivered"]
        totals["failed"] += result["failed"]
        if progress and result["delivered"]:
            progress(f"{totals['delivered']} opération(s) livrée(s)")
        if not result["delivered"]:
            return totals


# -- full rebuild --------------------------------------------------------------------------


def _batches(documents: Iterable[dict], size: int) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for document in documents:
        batch.append(document)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def build_and_swap(
    engine,
    sources: Iterable[tuple[str, Iterable[dict], int | None]],
    *,
    batch_size: int = 5000,
    progress: Callable[[str], None] | None = None,
    on_batch: Callable[[str, list[dict]], None] | None = None,
    on_type_done: Callable[[str, set[str]], None] | None = None,
    track: bool = True,
) -> dict:
    """Fill a new index from (type name, documents, expected count) and swap it in.

    The live index keeps answering until the swap, which Meilisearch applies atomically.
    Each batch is enqueued as soon as it is rendered (a change delivered to the new index
    meanwhile must not be overwritten by an older copy held here), as NDJSON payloads under
    Meilisearch's size limit; one wait at the end: batches queued while Meilisearch indexes
    one are indexed together.
    """
    say = progress or (lambda message: None)
    started = time.perf_counter()
    build = engine.build_uid()
    # Settings first: changing them once documents are in would index everything twice.
    engine.create_index(build)
    # Recorded so that deliveries during the rebuild also reach the new index.
    record = IndexBuild.objects.create(index_uid=build) if track else None
    total = 0
    tasks = []
    try:
        for name, documents, expected in sources:
            seen: set[str] = set()
            for batch in _batches(documents, batch_size):
                tasks.extend(
                    engine.add_ndjson(build, body, timeout=60.0) for body in payloads(batch)
                )
                seen.update(d["pk"] for d in batch)
                total += len(batch)
                if on_batch:
                    on_batch(name, batch)
                rate = total / max(time.perf_counter() - started, 1e-6)
                of = f"/{expected}" if expected is not None else ""
                say(
                    f"{name} : {len(seen)}{of} documents envoyés "
                    f"({total} au total, {number(rate)}/s)"
                )
            if on_type_done:
                on_type_done(name, seen)
        say(f"Meilisearch indexe les {total} documents…")
        for task in tasks:
            engine.wait(task, timeout=600)
        count = engine.count(build)
        if count != total:
            raise EngineError(f"new index holds {count} documents, {total} were sent")
        if not engine.index_exists(engine.live_uid):
            engine.create_index(engine.live_uid)
        engine.swap(engine.live_uid, build)
    except BaseException:
        if record:
            record.delete()
        engine.delete_index(build)
        raise
    if record:
        record.delete()
    engine.delete_index(build)  # after the swap it holds the previous documents
    engine.live_ready = True
    elapsed = time.perf_counter() - started
    say(f"Index {engine.live_uid} remplacé : {total} documents en {elapsed:.1f} s")
    return {"documents": total, "seconds": elapsed, "rate": total / max(elapsed, 1e-6)}


def reindex(progress: Callable[[str], None] | None = None, batch_size: int = 2000) -> dict:
    """Rebuild the database copy and (when configured) a fresh Meilisearch index."""
    say = progress or (lambda message: None)
    types = searchable.types()
    rebuild_started = timezone.now()

    def sources():
        for name, doc_type in sorted(types.items()):
            yield name, iter_documents(doc_type), doc_type.get_queryset().count()

    def on_batch(name: str, batch: list[dict]) -> None:
        save_rows(batch)

    def on_type_done(name: str, seen: set[str]) -> None:
        # Rows not rewritten by this rebuild belong to objects that are gone.
        SearchDocument.objects.filter(doc_type=name, updated_at__lt=rebuild_started).delete()

    SearchDocument.objects.exclude(doc_type__in=list(types)).delete()
    if not configured():
        total = 0
        for name, documents, expected in sources():
            seen: set[str] = set()
            for batch in _batches(documents, batch_size):
                save_rows(batch)
                seen.update(d["pk"] for d in batch)
                total += len(batch)
                say(f"{name} : {len(seen)}/{expected} documents (base de données)")
            on_type_done(name, seen)
        say("MEILISEARCH_URL n'est pas défini : seule la copie en base a été reconstruite.")
        return {"documents": total, "seconds": 0.0, "rate": 0.0}
    return build_and_swap(
        get_engine(),
        sources(),
        batch_size=batch_size,
        progress=say,
        on_batch=on_batch,
        on_type_done=on_type_done,
    )


def ensure_index(progress: Callable[[str], None] | None = None) -> bool:
    """Make the live index complete (make run, before serving): deliver the outbox, then
    rebuild when the index is missing or does not hold every document of the database copy.
    Returns whether it rebuilt. Raises EngineError when Meilisearch does not answer."""
    engine = get_engine()
    sync(all_due=False)
    copy = SearchDocument.objects.count()
    if not copy:
        # A database never indexed (loaded from a dump, or Meilisearch newly configured):
        # its copy is empty too, so only the registered objects tell.
        copy = -1 if any(t.get_queryset().exists() for t in searchable.types().values()) else 0
    if engine.index_exists(engine.live_uid) and engine.count() == copy:
        return False
    reindex(progress=progress)
    return True
