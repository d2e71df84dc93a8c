"""manage.py import_accompaniment FILE.csv [--dry-run]: import the journey's history (see
community/accompaniment/importing.py)."""

from __future__ import annotations

from pathlib import Path

from community.accompaniment.importing import HEADER, Row, check_file, import_rows
from community.spreadsheet import CsvImportCommand


class Command(CsvImportCommand):
    subject = "l'historique de l'accompagnement des communes"
    header = HEADER

    def check(self, path: Path) -> tuple[list[Row], int]:
        return check_file(path, self.stderr.write, self.progress("vérification"))

    def run(self, path: Path, checked: list[Row], *, dry_run: bool):
        return import_rows(checked, dry_run=dry_run, progress=self.progress("import"))
