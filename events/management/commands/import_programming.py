"""manage.py import_programming FILE.csv [--dry-run]: import past programming (see importing.py)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from community.spreadsheet import FileError, french_number
from events.importing import HEADER, check_file, import_file


class Command(BaseCommand):
    help = (
        "Importe la programmation passée depuis un CSV UTF-8 d'en-tête "
        f"{','.join(HEADER)}. Toutes les lignes sont vérifiées d'abord : "
        "à la moindre erreur, rien n'est importé."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="Fichier CSV (UTF-8, séparateur virgule).")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Vérifie et compte ce qui serait créé, sans rien enregistrer.",
        )

    def handle(self, *args, file: Path, dry_run: bool, **options) -> None:
        try:
            errors = check_file(file, self.stderr.write, self._progress("vérification"))
            if errors:
                raise CommandError(
                    f"{french_number(errors)} erreur{'s' if errors > 1 else ''} : "
                    "rien n'a été importé."
                )
            report = import_file(file, dry_run=dry_run, progress=self._progress("import"))
        except FileError as error:
            raise CommandError(f"{error} Rien n'a été importé.") from None
        self.stdout.write(report.summary(dry_run=dry_run))

    def _progress(self, step: str):
        def report(rows: int) -> None:
            self.stderr.write(f"{step} : {french_number(rows)} lignes…")

        return report
