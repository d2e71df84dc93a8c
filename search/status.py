"""What search_status (and operators) need to know."""

from __future__ import annotations

from django.db.models import Count, Min

from community.lib import searchable

from .engine import EngineError, configured, get_engine
from .models import PendingOperation, SearchDocument


def status() -> dict:
    database = dict.fromkeys(sorted(searchable.types()), 0)
    for row in SearchDocument.objects.values("doc_type").annotate(n=Count("pk")):
        database[row["doc_type"]] = row["n"]
    pending = PendingOperation.objects.aggregate(total=Count("pk"), oldest=Min("created_at"))
    failing = PendingOperation.objects.filter(attempts__gt=0)
    last = failing.order_by("-pk").values_list("last_error", flat=True).first()
    report = {
        "database": database,
        "pending": {
            "total": pending["total"],
            "oldest": pending["oldest"],
            "failing": failing.count(),
            "last_error": last or "",
        },
        "engine": {"state": "database", "detail": "MEILISEARCH_URL non défini"},
        "in_sync": None,
    }
    if configured():
        try:
            engine = get_engine()
            health = engine.health()
            documents = engine.count() if engine.index_exists(engine.live_uid) else 0
            report["engine"] = {
                "state": "ok" if health["status"] == "available" else health["status"],
                "detail": f"Meilisearch {health['version']} sur {engine.url}",
                "index": engine.live_uid,
                "documents": documents,
            }
            report["in_sync"] = documents == sum(database.values()) and not pending["total"]
        except EngineError as error:
            report["engine"] = {"state": "indisponible", "detail": str(error)}
    return report
