"""Rebuild every search document into a new index, then swap it in atomically."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from community.lib.formats import number
from search.engine import EngineError
from search.indexing import reindex


class Command(BaseCommand):
    help = "Reconstruit l'index de recherche (nouvel index puis échange atomique)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, batch_size: int = 2000, **options):
        try:
            result = reindex(progress=self.stdout.write, batch_size=batch_size)
        except EngineError as error:
            raise CommandError(f"Meilisearch : {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{result['documents']} documents indexés ({number(result['rate'])} documents/s)"
            )
        )
