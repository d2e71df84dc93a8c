"""Build or complete the Meilisearch index when it is missing or behind (make run)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from search.engine import EngineError, configured
from search.indexing import ensure_index


class Command(BaseCommand):
    help = (
        "Crée l'index Meilisearch s'il manque, le complète s'il est en retard sur la base ; "
        "ne fait rien s'il est à jour."
    )

    def handle(self, *args, **options):
        if not configured():
            self.stdout.write("MEILISEARCH_URL n'est pas défini : la recherche utilise la base.")
            return
        try:
            rebuilt = ensure_index(progress=self.stdout.write)
        except EngineError as error:
            # make run goes on: search falls back to the database, the worker catches up.
            self.stderr.write(f"Meilisearch indisponible : {error}")
            return
        self.stdout.write(
            "Index de recherche reconstruit." if rebuilt else "Index de recherche à jour."
        )
