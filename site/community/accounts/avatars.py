"""Avatar uploads: real images only, within size and pixel limits, re-encoded small.

Re-encoding drops whatever the file carried besides pixels (EXIF with GPS positions,
appended payloads) and keeps every avatar a small square.
"""

from __future__ import annotations

import io
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


def _open_checked(file) -> Image.Image:
    max_bytes = settings.AVATAR_MAX_BYTES
    if file.size is not None and file.size > max_bytes:
        raise ValidationError(
            _("L'image dépasse %(max)s Mo : choisissez une image plus légère.")
            % {"max": max_bytes // (1024 * 1024)},
            code="avatar_too_large",
        )
    file.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that; make it an error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(file)
            image_format = image.format
            width, height = image.size
            if width * height > settings.AVATAR_MAX_PIXELS:
                raise ValidationError(
                    _(
                        "L'image mesure %(width)s × %(height)s pixels : c'est trop grand "
                        "(%(max)s millions de pixels au plus)."
                    )
                    % {
                        "width": width,
                        "height": height,
                        "max": settings.AVATAR_MAX_PIXELS // 1_000_000,
                    },
                    code="avatar_too_many_pixels",
                )
            if image_format not in ALLOWED_FORMATS:
                raise ValidationError(
                    _("Format d'image non accepté : utilisez JPEG, PNG, GIF ou WebP."),
                    code="avatar_format",
                )
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("Cette image est refusée : elle se décompresse en une taille démesurée."),
            code="avatar_bomb",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("Ce fichier n'est pas une image lisible (JPEG, PNG, GIF ou WebP)."),
            code="avatar_not_image",
        ) from None
    finally:
        file.seek(0)
    return image


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
