"""What the managers of a café and the network's team change on the café's public page."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps
from wagtail.images import get_image_model

from community import uploads
from community.lib.refusals import DomainError

from .models import Cafe, CafePhoto, HoursException, OpeningHours, ProximityService

MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PHOTOS = 12
# Stored size: renditions are made from it, a camera's 6000 px original is never needed.
STORED_PHOTO_SIZE = (2400, 2400)


class PlacesError(DomainError):
    """A change of a café's page that cannot be made; the message says why, in French."""


@dataclass(frozen=True)
class Hours:
    weekday: int
    opens: time
    closes: time


@dataclass(frozen=True)
class ExceptionPeriod:
    label: str
    starts_on: date
    ends_on: date
    weekday: int | None = None
    opens: time | None = None
    closes: time | None = None


def _locked_cafe(cafe: Cafe, by) -> Cafe:
    """The café's row, locked so that two edits of its page apply one after the other."""
    locked = Cafe.objects.select_for_update().get(pk=cafe.pk)
    if not locked.editable_by(by):
        raise PlacesError(
            _("Seul·es les gérant·es du café et l'équipe du réseau modifient sa page.")
        )
    return locked


def _validated(instance: OpeningHours | HoursException) -> None:
    try:
        instance.full_clean(exclude=["cafe"])
    except ValidationError as error:
        raise PlacesError(" ".join(error.messages)) from None


@transaction.atomic
def update_cafe_page(
    cafe: Cafe,
    *,
    by,
    description: str,
    phone: str,
    services: Iterable[ProximityService],
    hours: Iterable[Hours],
    exceptions: Iterable[ExceptionPeriod],
    show_my_name: bool | None = None,
) -> Cafe:
    """Replace what the page says: presentation, services, weekly hours and exceptions.

    show_my_name is the consent of `by`, a manager of the café, to see their display name on
    the page; None leaves it (staff editing someone else's café give no consent for them).
    """
    cafe = _locked_cafe(cafe, by)
    cafe.description = description.strip()
    cafe.phone = " ".join(phone.split())
    new_hours = [OpeningHours(cafe=cafe, **vars(item)) for item in hours]
    new_exceptions = [HoursException(cafe=cafe, **vars(item)) for item in exceptions]
    for instance in (*new_hours, *new_exceptions):
        _validated(instance)
    edited = {"description", "phone"}
    try:
        cafe.full_clean(
            exclude=[f.name for f in Cafe._meta.fields if f.name not in edited],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        raise PlacesError(" ".join(error.messages)) from None
    cafe.opening_hours.all().delete()
    OpeningHours.objects.bulk_create(new_hours)
    cafe.hours_exceptions.all().delete()
    HoursException.objects.bulk_create(new_exceptions)
    cafe.services.set(services)
    if show_my_name is not None and cafe.managers.filter(pk=by.pk).exists():
        if show_my_name:
            cafe.named_managers.add(by)
        else:
            cafe.named_managers.remove(by)
    # Saved last: the search index and the map's cache refresh from this save, once all of
    # the above is in place.
    cafe.save(update_fields=["description", "phone", "updated_at"])
    return cafe


def _stored_photo(upload) -> ContentFile:
    """The upload checked by content, turned upright and re-encoded: no camera metadata
    (a photo's EXIF may hold where it was taken) reaches the public page."""
    try:
        uploads.check_size(upload, MAX_PHOTO_BYTES)
        image = uploads.open_image(upload)
    except ValidationError as error:
        raise PlacesError(" ".join(error.messages)) from None
    image = ImageOps.exif_transpose(image).convert("RGB")
    image.thumbnail(STORED_PHOTO_SIZE, Image.Resampling.LANCZOS)
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=85, optimize=True)
    return ContentFile(output.getvalue(), name=f"cafe-{uuid.uuid4().hex}.jpg")


@transaction.atomic
def add_cafe_photo(cafe: Cafe, *, by, upload, alt_text: str) -> CafePhoto:
    cafe = _locked_cafe(cafe, by)
    alt_text = " ".join(alt_text.split())
    if not alt_text:
        raise PlacesError(_("Décrivez la photo en quelques mots pour qui ne la voit pas."))
    count = cafe.photos.count()
    if count >= MAX_PHOTOS:
        raise PlacesError(
            _("La page montre %(max)s photos au plus : retirez-en une d'abord.")
            % {"max": MAX_PHOTOS}
        )
    image = get_image_model().objects.create(
        title=f"{cafe.name} – {alt_text}"[:255], file=_stored_photo(upload)
    )
    photo = CafePhoto.objects.create(cafe=cafe, image=image, alt_text=alt_text, position=count)
    cafe.save(update_fields=["updated_at"])
    return photo


@transaction.atomic
def remove_cafe_photo(photo: CafePhoto, *, by) -> None:
    cafe = _locked_cafe(photo.cafe, by)
    image = photo.image
    photo.delete()
    # The image was made for this page only.
    image.delete()
    cafe.save(update_fields=["updated_at"])
