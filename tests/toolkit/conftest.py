from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from community.accounts.audience import Audience
from community.home.models import HomePage
from toolkit.models import Theme, ToolkitIndexPage, ToolkitPage, ensure_themes

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def home(db) -> HomePage:
    return HomePage.objects.get()


@pytest.fixture
def index(home) -> ToolkitIndexPage:
    ensure_themes()
    page = ToolkitIndexPage(title="Boîtes à outils", slug="boites-a-outils")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def make_document(db) -> Callable[..., object]:
    def build(title: str = "Modèle de délibération", filename: str = "modele.pdf"):
        document = get_document_model()(title=title)
        document.file.save(filename, ContentFile(PDF), save=False)
        document._set_document_file_metadata()  # size and hash, as the admin's upload form
        document.save()
        return document

    return build


def document_block(document, title: str = "") -> dict:
    return {
        "type": "document",
        "value": {"document": document.pk, "title": title, "description": ""},
    }


@pytest.fixture
def make_toolkit(index) -> Callable[..., ToolkitPage]:
    def build(
        title: str = "Mener une consultation citoyenne",
        *,
        audience: str = Audience.PUBLIC,
        themes: tuple[str, ...] = ("participation-citoyenne",),
        stage: str = "",
        body: str | list | None = None,
        live: bool = True,
        slug: str | None = None,
        reviewed: datetime.date | None = None,
    ) -> ToolkitPage:
        """A toolkit page under the index; `body` may be a paragraph's text or the blocks."""
        if isinstance(body, str):
            body = [{"type": "paragraph", "value": f"<p>{body}</p>"}]
        page = ToolkitPage(
            title=title,
            slug=slug or "",
            intro=f"Chapô de « {title} ».",
            audience=audience,
            stage=stage,
            body=body or [{"type": "paragraph", "value": "<p>Un texte utile.</p>"}],
            last_reviewed_on=reviewed or datetime.date(2025, 6, 1),
            live=live,
        )
        index.add_child(instance=page)
        page.themes.set(Theme.objects.filter(slug__in=themes))
        revision = page.save_revision()
        if live:
            revision.publish()
        else:
            page.save()
        page.refresh_from_db()
        return page

    return build
