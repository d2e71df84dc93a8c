"""Demo content as data files, loaded by one loader (`manage.py seed_demo`).

In the manner of bakerydemo's `load_initial_data`: the demo's texts, pages, dates, pictures and
documents are data, kept beside each app in its `demo_data/` folder (YAML, and the binary
files they name); code only says how rows are made from them. Unlike bakerydemo's fixture,
rows are found by natural keys (a slug, an e-mail, a café's name) and many dates hang on today's
(next summer's tour, a webinar in ten days), so each app that has demo content keeps a
`demo.py` module whose `seed(log)` reads its data through `DemoData` and writes through the
models. `seed_apps` finds those modules in INSTALLED_APPS order, so the core (places, accounts,
the communes' journey) is there before the features use it, and the core imports no feature.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from importlib import import_module
from pathlib import Path
from typing import Any

import yaml
from django.apps import apps
from django.core.files.base import ContentFile
from django.utils.module_loading import module_has_submodule

Log = Callable[[str], None]

DATA_FOLDER = "demo_data"


class DemoData:
    """The data files of one app's demo: `DemoData(__file__)` in the app's `demo.py`, or
    `DemoData(app_folder)`."""

    def __init__(self, beside: str | Path) -> None:
        path = Path(beside).resolve()
        self.folder = (path if path.is_dir() else path.parent) / DATA_FOLDER

    def read(self, name: str) -> Any:
        """The content of `<name>.yaml`."""
        with (self.folder / f"{name}.yaml").open(encoding="utf-8") as stream:
            return yaml.safe_load(stream)

    def file(self, name: str) -> ContentFile:
        """A binary data file (a picture, a document), ready for a FileField."""
        path = self.folder / name
        return ContentFile(path.read_bytes(), name=path.name)


def pairs(items: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    """The (key, value) of each one-key mapping of a list: the data files write ordered
    couples so (`author e-mail: text`, `block_type: value`)."""
    couples = []
    for item in items:
        [(key, value)] = item.items()
        couples.append((key, value))
    return couples


def relative_day(value: str, years: Mapping[str, int]) -> date:
    """A day the data files write `name-MM-DD`, the year named: dates that hang on the day of
    the seed (`next-07-10`: next summer's) stay in the demo's future or past."""
    name, month, day = value.rsplit("-", 2)
    return date(years[name], int(month), int(day))


def seed_apps(log: Log) -> None:
    """Run every app's `demo.seed(log)`, in INSTALLED_APPS order.

    The modules are looked up, not imported by name: the core knows no feature.
    """
    for app in apps.get_app_configs():
        if module_has_submodule(app.module, "demo"):
            import_module(f"{app.name}.demo").seed(log)


def pdf(*lines: str) -> bytes:
    """A complete one-page PDF showing `lines`: demo documents, invoices and CVs, and tests.

    The lines are text, not a picture of it, so a reader can search, copy or have them read
    aloud. They are set in Helvetica, one of the fonts every PDF reader carries, so no font
    is embedded and a page weighs under a kilobyte; its WinAnsi encoding (Windows-1252)
    holds every French letter and « », œ, €, ’. A character outside it raises
    UnicodeEncodeError instead of vanishing from the page. (Pillow, which wrote these pages
    as images before, only bundles a font without accented letters.)
    """
    text = [b"BT", b"/F1 12 Tf", b"18 TL", b"60 800 Td"]
    for line in lines:
        encoded = line.encode("cp1252")
        for special in (b"\\", b"(", b")"):
            encoded = encoded.replace(special, b"\\" + special)
        text.append(b"T* (" + encoded + b") Tj")
    text.append(b"ET")
    stream = b"\n".join(text)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    # The second line's high bytes tell transfer tools the file is binary.
    output = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(output)
    output += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    output += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    output += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    output += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(output)
