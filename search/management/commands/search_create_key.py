"""Print the search-only Meilisearch key of this environment's indexes, creating it if needed."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from search.engine import EngineError, ensure_search_key, get_engine


class Command(BaseCommand):
    help = (
        "Crée (si besoin) et affiche la clé Meilisearch de recherche seule, limitée aux index "
        "de ce site : la valeur de MEILISEARCH_SEARCH_KEY. Demande MEILISEARCH_API_KEY."
    )

    def handle(self, *args, **options) -> None:
        try:
            self.stdout.write(ensure_search_key(get_engine()))
        except EngineError as error:
            raise CommandError(f"Meilisearch n'a pas créé la clé : {error}") from error
