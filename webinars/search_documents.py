"""Webinar pages in the site search (see community/lib/searchable.py).

Only live pages are searchable, and pages behind a Wagtail view restriction never are
(search.indexing.page_is_searchable, as for toolkits); the audience attribute hides a
members-only or elected-only webinar from those outside its audience.
"""

from __future__ import annotations

from community.lib.searchable import Document, DocumentType, register

from .models import WebinarPage


def webinar_document(page: WebinarPage) -> Document:
    return Document(
        title=page.title,
        url=page.url or "",
        text=" ".join([page.description, page.speakers]),
        date=page.start,
        access={"audience": page.audience},
    )


register(
    DocumentType(
        name="webinar",
        label="Webinaire",
        model=WebinarPage,
        to_document=webinar_document,
        queryset=lambda: WebinarPage.objects.live(),
    )
)
