"""Document counts, pending operations and engine health."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from search.status import status


class Command(BaseCommand):
    help = "État de la recherche : documents, opérations en attente, santé de Meilisearch."

    def handle(self, *args, **options):
        report = status()
        engine = report["engine"]
        self.stdout.write(f"Moteur : {engine['state']} ({engine['detail']})")
        if engine.get("index"):
            self.stdout.write(f"Index : {engine['index']} – {engine['documents']} documents")
        self.stdout.write("Documents en base, par type :")
        for name, count in report["database"].items():
            self.stdout.write(f"  {name} : {count}")
        pending = report["pending"]
        self.stdout.write(
            f"Opérations en attente : {pending['total']} (dont {pending['failing']} en échec"
            + (f", plus ancienne : {pending['oldest']:%d/%m/%Y %H:%M}" if pending["oldest"] else "")
            + ")"
        )
        if pending["last_error"]:
            self.stdout.write(f"Dernière erreur : {pending['last_error']}")
        if report["in_sync"] is False:
            self.stdout.write(
                self.style.WARNING(
                    "L'index et la base diffèrent : lancez search_sync ou search_reindex."
                )
            )
