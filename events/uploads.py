"""Uploaded photos and invoices: checked by content (never by name), within size limits.

Images are opened with Pillow under a pixel budget, so a small file that decompresses into
gigabytes (an image bomb) is refused before it is decoded. PDFs are recognised by their
signature and their end-of-file marker, which a renamed file or a truncated upload lacks.
"""

from __future__ import annotations

import io
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
DISPLAY_SIZE = (1600, 1600)
THUMBNAIL_SIZE = (480, 360)


def _check_size(file) -> None:
    if file.size is not None and file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("Le fichier pèse %(size)s : la limite est de %(max)s.")
            % {"size": filesizeformat(file.size), "max": filesizeformat(MAX_UPLOAD_BYTES)},
            code="too_large",
        )


def open_image(file) -> Image.Image:
    """The decoded image, or a ValidationError in French saying why it is refused."""
    _check_size(file)
    file.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that; make it an error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(file)
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _(
                        "L'image mesure %(width)s × %(height)s pixels : c'est trop grand "
                        "(%(max)s millions de pixels au plus)."
                    )
                    % {"width": width, "height": height, "max": MAX_PIXELS // 1_000_000},
                    code="too_many_pixels",
                )
            if image.format not in IMAGE_FORMATS:
                raise ValidationError(
                    _("Format d'image non accepté : utilisez JPEG, PNG ou WebP."),
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
            _("Ce fichier n'est pas une image lisible (JPEG, PNG ou WebP)."),
            code="not_image",
        ) from None
    finally:
        file.seek(0)
    return image


def validate_photo(file) -> None:
    open_image(file)


def _looks_like_pdf(file) -> bool:
    file.seek(0)
    head = file.read(1024)
    file.seek(max((file.size or 0) - 2048, 0))
    tail = file.read()
    file.seek(0)
    return head.startswith(b"%PDF-") and b"%%EOF" in tail


def validate_invoice(file) -> None:
    """A PDF, or a photo or scan of the invoice as an image."""
    _check_size(file)
    if _looks_like_pdf(file):
        return
    file.seek(0)
    signature = file.read(8)
    file.seek(0)
    if signature.startswith(b"%PDF-"):
        raise ValidationError(
            _("Ce PDF est incomplet ou endommagé : enregistrez-le de nouveau et réessayez."),
            code="broken_pdf",
        )
    try:
        open_image(file)
    except ValidationError as error:
        if error.code != "not_image":
            raise
        raise ValidationError(
            _("La facture doit être un PDF ou une image (JPEG, PNG ou WebP)."),
            code="invoice_format",
        ) from None


def _encode(image: Image.Image, size: tuple[int, int]) -> ContentFile:
    copy = image.copy()
    copy.thumbnail(size, Image.Resampling.LANCZOS)
    output = io.BytesIO()
    copy.save(output, format="JPEG", quality=85, optimize=True)
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


def make_renditions(file) -> tuple[ContentFile, ContentFile]:
    """The display image and the thumbnail of an uploaded photo, as JPEG without metadata."""
    image = ImageOps.exif_transpose(open_image(file)).convert("RGB")
    return _encode(image, DISPLAY_SIZE), _encode(image, THUMBNAIL_SIZE)
