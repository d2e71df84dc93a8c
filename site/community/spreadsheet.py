"""CSV files to and from French spreadsheet software: written so that they open as is and
cannot run formulas, read with every problem reported by line number in French."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import HttpResponse

from community.lib.formats import number

# A cell starting with one of these is a formula for spreadsheet apps: a member or a fund
# named "=HYPERLINK(…)" must stay text (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def excel_csv(
    headers: list[str],
    rows: Iterable[Iterable[object]],
    cell: Callable[[object], str] = safe_cell,
) -> str:
    """UTF-8 with a byte order mark (Excel reads UTF-8 only with it), semicolons (the
    separator French Excel expects), CRLF; every row as wide as the headers."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        cells = [cell(value) for value in row]
        writer.writerow(cells + [""] * (len(headers) - len(cells)))
    return buffer.getvalue()


def csv_response(content: str, filename: str) -> HttpResponse:
    """``content`` (from excel_csv) as a download named ``filename``."""
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def count(n: int, singular: str, plural: str) -> str:
    """« 0 animation créée », « 2 animations créées »: French keeps 0 and 1 singular."""
    return f"{number(n)} {singular if n < 2 else plural}"


class FileError(Exception):
    """The file cannot be read at all (missing, not UTF-8, wrong header); French message."""


def restore_leading_zero(value: str, width: int) -> str:
    # Spreadsheets read 01004 (Ain) as the number 1004 and 01 as 1: give the zero back.
    return value.zfill(width) if value.isdigit() and len(value) == width - 1 else value


def _decoded(handle) -> Iterator[str]:
    """The file's lines as text, a byte order mark dropped; a line that is not UTF-8 is
    reported with its number (decoding the whole buffer at once would lose it)."""
    for line, raw in enumerate(handle, 1):
        try:
            yield raw.decode("utf-8-sig" if line == 1 else "utf-8")
        except UnicodeDecodeError:
            raise FileError(
                f"ligne {line} : le fichier n'est pas en UTF-8 ; enregistrez-le en « CSV UTF-8 »."
            ) from None


def read_rows(path: Path, expected: list[str]) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of each data row after checking the header, streaming."""
    try:
        handle = path.open("rb")
    except OSError as error:
        raise FileError(f"Impossible d'ouvrir {path} : {error.strerror}.") from None
    with handle:
        reader = csv.reader(_decoded(handle))
        try:
            header = [cell.strip() for cell in next(reader, [])]
            if header != expected:
                hint = ""
                if len(header) == 1 and ";" in header[0]:
                    hint = " Le séparateur doit être la virgule, pas le point-virgule."
                raise FileError(
                    f"ligne 1 : en-tête attendu « {','.join(expected)} », "
                    f"trouvé « {','.join(header)} ».{hint}"
                )
            last = reader.line_num
            for cells in reader:
                start, last = last + 1, reader.line_num
                if any(cell.strip() for cell in cells):
                    yield start, cells
        except csv.Error as error:
            raise FileError(f"ligne {reader.line_num} : CSV illisible ({error}).") from None


class CsvImportCommand(BaseCommand):
    """`manage.py import_… FILE.csv [--dry-run]`: every line checked first, at the first error
    nothing is written; progress on stderr, the summary on stdout. Subclasses say what the file
    holds (`subject`, `header`) and how to check and import it."""

    subject: str
    header: list[str]

    def check(self, path: Path) -> tuple[object, int]:
        """What the import needs from the check pass, and the number of errors reported."""
        raise NotImplementedError

    def run(self, path: Path, checked: object, *, dry_run: bool):
        """Import; returns a report with `summary(dry_run=…)`."""
        raise NotImplementedError

    @property
    def help(self) -> str:
        return (
            f"Importe {self.subject} depuis un CSV UTF-8 d'en-tête {','.join(self.header)}. "
            "Toutes les lignes sont vérifiées d'abord : à la moindre erreur, rien n'est importé."
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
            checked, errors = self.check(file)
            if errors:
                raise CommandError(
                    f"{number(errors)} erreur{'s' if errors > 1 else ''} : rien n'a été importé."
                )
            report = self.run(file, checked, dry_run=dry_run)
        except FileError as error:
            raise CommandError(f"{error} Rien n'a été importé.") from None
        self.stdout.write(report.summary(dry_run=dry_run))

    def progress(self, step: str) -> Callable[[int], None]:
        def report(rows: int) -> None:
            self.stderr.write(f"{step} : {number(rows)} lignes…")

        return report
