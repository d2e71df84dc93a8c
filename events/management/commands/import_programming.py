"""manage.py import_programming FILE.csv [--dry-run]: import past programming (see importing.py)."""

from __future__ import annotations

from pathlib import Path

from community.spreadsheet import CsvImportCommand
from events.importing import HEADER, check_file, import_file


class Command(CsvImportCommand):
    subject = "la programmation passée"
    header = HEADER

    def check(self, path: Path) -> tuple[None, int]:
        return None, check_file(path, self.stderr.write, self.progress("vérification"))

    def run(self, path: Path, checked: None, *, dry_run: bool):
        return import_file(path, dry_run=dry_run, progress=self.progress("import"))
