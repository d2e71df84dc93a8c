"""Avatar uploads: real images only, within size and pixel limits, re-encoded small.

Re-encoding drops whatever the file carried besides pixels (EXIF with GPS positions,
appended payloads) and keeps every avatar a small square.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from community.uploads import open_image

FORMATS = ("JPEG", "PNG", "GIF", "WEBP")


def _open_checked(file) -> Image.Image:
    max_bytes = settings.AVATAR_MAX_BYTES
    if file.size is not None and file.size > max_bytes:
        raise ValidationError(
            _("L'image dépasse %(max)s Mo : choisissez une image plus légère.")
            % {"max": max_bytes // (1024 * 1024)},
            code="avatar_too_large",
        )
    return open_image(file, formats=FORMATS, max_pixels=settings.AVATAR_MAX_PIXELS)


def validate_avatar(file) -> None:
    _open_checked(file)


def normalized_avatar(file) -> SimpleUploadedFile:
    """A square PNG of AVATAR_SIZE pixels made from an uploaded image (validated first)."""
    image = _open_checked(file)
    image = ImageOps.exif_transpose(image).convert("RGBA")
    size = settings.AVATAR_SIZE
    image = ImageOps.fit(image, (size, size), Image.Resampling.LANCZOS)
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return SimpleUploadedFile("avatar.png", output.getvalue(), content_type="image/png")
