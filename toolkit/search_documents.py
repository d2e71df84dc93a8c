"""Toolkit pages in the site search (see community/lib/searchable.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from community.lib.searchable import Document, DocumentType, register

from .models import ToolkitPage


def _strings(value) -> list[str]:
    """Every text of a StreamField's raw data (paragraphs, headings, captions…)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [
            s for key, item in value.items() if key not in ("type", "id") for s in _strings(item)
        ]
    if isinstance(value, Sequence):
        return [s for item in value for s in _strings(item)]
    return []


def toolkit_document(page: ToolkitPage) -> Document:
    return Document(
        title=page.title,
        url=page.url or "",
        text=" ".join([page.intro, *_strings(page.body.raw_data)]),
        themes=[theme.name for theme in page.themes.all()],
        date=page.last_published_at or page.last_reviewed_on,
        access={"audience": page.audience},
    )


register(
    DocumentType(
        name="toolkit",
        label="Boîte à outils",
        model=ToolkitPage,
        to_document=toolkit_document,
        queryset=lambda: ToolkitPage.objects.live().prefetch_related("themes"),
    )
)
