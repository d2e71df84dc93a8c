"""Cafés' public pages in the site search: found by everyone while the page is public (see
Cafe.is_public); an unpublished café leaves the index."""

from __future__ import annotations

from community.accounts.audience import Audience
from community.lib.searchable import Document, DocumentType, register

from .models import Cafe, Commune


def cafe_document(cafe: Cafe) -> Document:
    commune = cafe.commune
    department = commune.department
    return Document(
        title=f"{cafe.name}, {commune.name}",
        url=cafe.get_absolute_url(),
        text=" ".join(
            [
                commune.name,
                str(department),
                department.region.name,
                cafe.get_stage_display(),
                cafe.description,
                *(service.name for service in cafe.services.all()),
            ]
        ),
        date=cafe.updated_at,
        access={"audience": Audience.PUBLIC},
        published=cafe.is_public,
    )


register(
    DocumentType(
        name="cafe",
        label="Café du réseau",
        model=Cafe,
        to_document=cafe_document,
        queryset=lambda: Cafe.objects.select_related(
            "commune__department__region"
        ).prefetch_related("services"),
        depends_on={Commune: lambda commune: commune.cafes.all()},
    )
)
