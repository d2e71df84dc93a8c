from __future__ import annotations

import pytest
from wagtail.documents import get_document_model
from wagtail.models import Page, Revision

from community.accounts.audience import Audience
from tests.documents import pdf_lines
from toolkit import demo
from toolkit.models import ToolkitDocumentLink, ToolkitIndexPage, ToolkitPage
from toolkit.workflow import WORKFLOW_NAME

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Page, Revision, ToolkitPage, ToolkitDocumentLink, get_document_model())
    }


def test_seed_is_idempotent_and_realistic(home, client_for):
    messages: list[str] = []
    demo.seed(messages.append)
    first = counts()
    demo.seed(messages.append)
    assert counts() == first
    assert messages[-1] == "Boîtes à outils : 14 fiches, dont 0 nouvelles."

    index = ToolkitIndexPage.objects.get()
    assert index.url == "/boites-a-outils/"
    assert index.show_in_menus
    assert index.get_workflow().name == WORKFLOW_NAME
    toolkits = ToolkitPage.objects.live().child_of(index)
    assert toolkits.count() == 14
    assert set(toolkits.values_list("audience", flat=True)) == set(Audience.values)
    assert len(set(toolkits.values_list("stage", flat=True))) == 6  # five stages and none
    block_types = {block.block_type for toolkit in toolkits for block in toolkit.body}
    assert len(block_types) >= 8
    assert all(toolkit.themes.exists() for toolkit in toolkits)

    # The lease template belongs to an elected officials' toolkit, and downloads as a PDF.
    document = get_document_model().objects.get(title="Modèle de bail de gérance commentée")
    assert client_for("anonymous").get(document.url).status_code == 302
    response = client_for("elected").get(document.url)
    assert response.status_code == 200
    lines = pdf_lines(b"".join(response.streaming_content))
    assert lines[0] == "Réseau 1000 cafés - Modèle de bail de gérance commenté"
    assert "Article 3 - Redevance : progressive la première année." in lines


def test_seed_without_home_page_says_so(db):
    Page.objects.filter(depth__gt=1).delete()
    messages: list[str] = []
    demo.seed(messages.append)
    assert messages == ["Boîtes à outils : pas de page d'accueil, rien à créer."]
    assert not ToolkitIndexPage.objects.exists()
