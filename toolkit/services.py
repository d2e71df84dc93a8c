"""Writes of the toolkit app: the page → document links and the download tallies."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from wagtail.documents import get_document_model
from wagtail.documents.models import AbstractDocument

from .models import DocumentDownloads, ToolkitDocumentLink, ToolkitPage


def referenced_document_ids(page: ToolkitPage) -> set[int]:
    """Every document the page's body offers, wherever a block nests it."""
    document_model = get_document_model()
    body_field = ToolkitPage._meta.get_field("body")
    return {
        int(object_id)
        for model, object_id, _path, _content_path in body_field.extract_references(page.body)
        if issubclass(model, document_model) and object_id
    }


@transaction.atomic
def sync_document_links(page: ToolkitPage) -> None:
    wanted = referenced_document_ids(page)
    existing = set(
        ToolkitDocumentLink.objects.filter(page=page).values_list("document_id", flat=True)
    )
    ToolkitDocumentLink.objects.filter(page=page, document_id__in=existing - wanted).delete()
    # A document deleted since the body was written is skipped, not an integrity error.
    still_there = get_document_model().objects.filter(pk__in=wanted - existing)
    ToolkitDocumentLink.objects.bulk_create(
        [ToolkitDocumentLink(page=page, document=document) for document in still_there],
        ignore_conflicts=True,
    )


def record_download(document: AbstractDocument) -> None:
    """Add one download, atomically: concurrent downloads never lose a count."""
    tally = DocumentDownloads.objects.filter(document_id=document.pk)
    if tally.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            DocumentDownloads.objects.create(document_id=document.pk, count=1)
    except IntegrityError:
        # Another request created the row first; ours is one more.
        tally.update(count=F("count") + 1)
