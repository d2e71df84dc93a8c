"""Invoices and photos of bookings move from the public media folder to the private storage.

Each file is copied, its row updated, and the public copy deleted only once the migration's
transaction has committed: a failure half-way leaves every row pointing at a file that
exists. Invoices also get the extension of their detected type, as new uploads do (a
".html" invoice becomes ".pdf" if it is a sound PDF, ".bin" if it fails today's checks).
"""

from __future__ import annotations

import posixpath

from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import migrations, models, transaction

import community.media
import events.models
import events.uploads


def _invoice_extension(handle) -> str:
    """The detected type of a file that passes today's checks; "bin" (always downloaded,
    never shown) for one that does not, kept so that nothing is lost."""
    try:
        events.uploads.validate_invoice(handle)
    except ValidationError:
        return "bin"
    return events.uploads.detected_extension(handle)


def _move(model, field: str, source, target, *, retype: bool) -> None:
    moved = []
    for pk, name in model.objects.exclude(**{field: ""}).values_list("pk", field):
        if not source.exists(name):
            continue  # already moved by an earlier run, or lost before
        with source.open(name, "rb") as handle:
            new_name = name
            if retype:
                new_name = f"{posixpath.splitext(name)[0]}.{_invoice_extension(handle)}"
            new_name = target.save(new_name, handle)
        model.objects.filter(pk=pk).update(**{field: new_name})
        moved.append(name)
    transaction.on_commit(lambda: [source.delete(name) for name in moved])


def _move_all(apps, source, target, *, retype: bool) -> None:
    _move(apps.get_model("events", "Reimbursement"), "invoice", source, target, retype=retype)
    for field in ("image", "thumbnail"):
        _move(apps.get_model("events", "BookingPhoto"), field, source, target, retype=False)


def to_private(apps, schema_editor) -> None:
    _move_all(apps, storages["default"], storages["private"], retype=True)


def to_public(apps, schema_editor) -> None:
    _move_all(apps, storages["private"], storages["default"], retype=False)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_import_review_flags"),
    ]

    operations = [
        migrations.AlterField(
            model_name="bookingphoto",
            name="image",
            field=models.ImageField(
                storage=community.media.private_storage,
                upload_to="animations/photos/",
                validators=[events.uploads.validate_photo],
                verbose_name="photo",
            ),
        ),
        migrations.AlterField(
            model_name="bookingphoto",
            name="thumbnail",
            field=models.ImageField(
                editable=False,
                storage=community.media.private_storage,
                upload_to="animations/thumbs/",
                verbose_name="vignette",
            ),
        ),
        migrations.AlterField(
            model_name="reimbursement",
            name="invoice",
            field=models.FileField(
                blank=True,
                storage=community.media.private_storage,
                upload_to=events.models.invoice_path,
                validators=[events.uploads.validate_invoice],
                verbose_name="facture",
            ),
        ),
        migrations.RunPython(to_private, to_public),
    ]
