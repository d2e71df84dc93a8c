"""Uploaded photos and invoices, checked by content (community.uploads) within size limits;
photos are stored as renditions without metadata."""

from __future__ import annotations

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from community import uploads
from community.uploads import check_pdf, check_size, detected_extension

__all__ = ["detected_extension", "make_renditions", "validate_invoice", "validate_photo"]

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
DISPLAY_SIZE = (1600, 1600)
THUMBNAIL_SIZE = (480, 360)


def _check_size(file) -> None:
    check_size(file, MAX_UPLOAD_BYTES)


def open_image(file) -> Image.Image:
    _check_size(file)
    return uploads.open_image(file)


def validate_photo(file) -> None:
    open_image(file)


def validate_invoice(file) -> None:
    """A PDF, or a photo or scan of the invoice as an image."""
    _check_size(file)
    if detected_extension(file) == "pdf":
        check_pdf(file)
        return
    try:
        open_image(file)
    except ValidationError as error:
        if error.code != "not_image":
            raise
        raise ValidationError(
            _("La facture doit être un PDF ou une image (JPEG, PNG ou WebP)."),
            code="invoice_format",
        ) from None


def _encode(image: Image.Image, size: tuple[int, int], *, thumbnail: bool) -> ContentFile:
    copy = image.copy()
    copy.thumbnail(size, Image.Resampling.LANCZOS)
    output = io.BytesIO()
    if thumbnail:
        # WebP: a third of the JPEG's bytes at the same size. A catalogue page shows a dozen
        # thumbnails, and must stay light on a village's connection (issue 15).
        copy.save(output, format="WEBP", quality=75, method=6)
        extension = "webp"
    else:
        copy.save(output, format="JPEG", quality=85, optimize=True)
        extension = "jpg"
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")


def make_renditions(file) -> tuple[ContentFile, ContentFile]:
    """The display image (JPEG) and the thumbnail (WebP) of an uploaded photo, without
    metadata."""
    image = ImageOps.exif_transpose(open_image(file)).convert("RGB")
    return _encode(image, DISPLAY_SIZE, thumbnail=False), _encode(
        image, THUMBNAIL_SIZE, thumbnail=True
    )
