"""Uploaded files checked by content (never by name).

Images are opened with Pillow under a pixel budget, so a small file that decompresses into
gigabytes (an image bomb) is refused before it is decoded. PDFs must start with their header
and carry objects, a cross-reference offset and the end-of-file marker, which a renamed file
or a truncated upload lacks, and no HTML, SVG or script. Stored names take their extension
from the detected type (detected_extension), so no upload is ever served as a page.
"""

from __future__ import annotations

import re
import warnings
import zipfile

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_PIXELS = 40_000_000
IMAGE_FORMATS = ("JPEG", "PNG", "WEBP")
# Pillow's format names as people write them.
FORMAT_NAMES = {"WEBP": "WebP"}


def check_size(file, limit: int) -> None:
    if file.size is not None and file.size > limit:
        raise ValidationError(
            _("Le fichier pèse %(size)s : la limite est de %(max)s.")
            % {"size": filesizeformat(file.size), "max": filesizeformat(limit)},
            code="too_large",
        )


def open_image(
    file, *, formats: tuple[str, ...] = IMAGE_FORMATS, max_pixels: int = MAX_PIXELS
) -> Image.Image:
    """The decoded image, or a ValidationError in French saying why it is refused: not an
    image, not one of ``formats`` (Pillow's names), over ``max_pixels`` or an image bomb.
    The caller checks the file's size first."""
    names = [FORMAT_NAMES.get(name, name) for name in formats]
    accepted = _("%(formats)s ou %(last)s") % {"formats": ", ".join(names[:-1]), "last": names[-1]}
    file.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that; make it an error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(file)
            width, height = image.size
            if width * height > max_pixels:
                raise ValidationError(
                    _(
                        "L'image mesure %(width)s × %(height)s pixels : c'est trop grand "
                        "(%(max)s millions de pixels au plus)."
                    )
                    % {"width": width, "height": height, "max": max_pixels // 1_000_000},
                    code="too_many_pixels",
                )
            if image.format not in formats:
                raise ValidationError(
                    _("Format d'image non accepté : utilisez %(formats)s.") % {"formats": accepted},
                    code="image_format",
                )
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("Cette image est refusée : elle se décompresse en une taille démesurée."),
            code="image_bomb",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("Ce fichier n'est pas une image lisible (%(formats)s).") % {"formats": accepted},
            code="not_image",
        ) from None
    finally:
        file.seek(0)
    return image


# A PDF opens with its header line and ends with the offset of its cross-reference table
# and the end-of-file marker; in between come numbered objects ("12 0 obj").
PDF_HEADER = re.compile(rb"%PDF-[12]\.\d\s")
PDF_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")
# What a browser would run or render as a page. A PDF has no business carrying it: such a
# file is an HTML or SVG page wrapped in PDF markers (a polyglot), made to run on our domain.
ACTIVE_CONTENT = re.compile(
    rb"<(?:script|html|svg|body|iframe|object|embed)[\s>/]|<!doctype\s+html", re.IGNORECASE
)
# The stored extension of an upload, from its first bytes; validation refuses "bin" files.
SIGNATURES = (
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
)


def detected_extension(file) -> str:
    """pdf, jpg, png, webp or an office document's extension as the content says, never
    as the uploaded name claims; "bin" for anything else."""
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    for signature, extension in SIGNATURES:
        if head.startswith(signature):
            return extension
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        return office_extension(file) or "bin"
    return "bin"


def check_pdf(file) -> None:
    file.seek(0)
    content = file.read()
    file.seek(0)
    if ACTIVE_CONTENT.search(content):
        raise ValidationError(
            _(
                "Ce fichier contient du code de page web (HTML, SVG ou script) : il est refusé. "
                "Enregistrez le document en PDF depuis votre logiciel et réessayez."
            ),
            code="active_content",
        )
    tail = content[-4096:]
    if not (
        PDF_HEADER.match(content)
        and PDF_OBJECT.search(content)
        and b"startxref" in tail
        and b"%%EOF" in tail
    ):
        raise ValidationError(
            _("Ce PDF est incomplet ou endommagé : enregistrez-le de nouveau et réessayez."),
            code="broken_pdf",
        )


# Office documents are ZIP archives; what they hold says which kind they are.
OPEN_DOCUMENT_TYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}
OFFICE_OPEN_XML_FOLDERS = (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx"))


def office_extension(file) -> str | None:
    """odt, ods, odp, docx, xlsx or pptx as the archive's content says, or None."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                return OPEN_DOCUMENT_TYPES.get(archive.read("mimetype").strip())
            if "[Content_Types].xml" in names:
                for folder, extension in OFFICE_OPEN_XML_FOLDERS:
                    if any(name.startswith(folder) for name in names):
                        return extension
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    finally:
        file.seek(0)
    return None
