"""Deliver the pending index operations (the outbox) now: the worker's periodic search_sync
job does it every minute; this command is for a catch-up by hand (or --loop)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from search.indexing import sync
from search.models import PendingOperation


class Command(BaseCommand):
    help = "Envoie à Meilisearch les opérations d'indexation en attente."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="Ignorer l'attente entre deux tentatives."
        )
        parser.add_argument(
            "--loop", type=float, metavar="SECONDES", help="Recommencer toutes les N secondes."
        )

    def handle(self, *args, now: bool = False, loop: float | None = None, **options):
        while True:
            totals = sync(all_due=not now)
            left = PendingOperation.objects.count()
            self.stdout.write(
                f"{totals['delivered']} opération(s) livrée(s), {totals['failed']} en échec, "
                f"{left} en attente"
            )
            if loop is None:
                if totals["failed"]:
                    raise SystemExit(1)
                return
            time.sleep(loop)
