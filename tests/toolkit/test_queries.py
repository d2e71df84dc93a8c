"""Pages cost the same number of queries whatever the number of toolkits and blocks.

Internal page links inside rich text are the one known exception: Wagtail resolves them per
rich-text block. The demo and these tests use external links in rich text.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from community.accounts.audience import Audience

from .conftest import document_block

pytestmark = pytest.mark.django_db


def count_queries(client, url: str) -> int:
    client.get(url)  # warm up: renditions, site root paths
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def every_block(n: int, make_document) -> list[dict]:
    """One of each block type, every chooser pointing at a distinct document or image."""
    image = get_image_model().objects.create(
        title=f"Terrasse {n}", file=get_test_image_file(f"terrasse-{n}.png")
    )
    document = make_document(f"Modèle {n}", f"modele-{n}.pdf")
    text = "<p>Un <b>texte</b> avec un <a href='https://www.service-public.fr/'>lien</a>.</p>"
    return [
        {"type": "heading", "value": f"Partie {n}"},
        {"type": "paragraph", "value": text},
        {
            "type": "steps",
            "value": {"title": f"Étapes {n}", "steps": [{"title": "Un", "text": text}]},
        },
        {"type": "checklist", "value": {"title": f"Liste {n}", "items": ["a", "b"]}},
        {"type": "key_point", "value": {"title": "À retenir", "text": text}},
        document_block(document),
        {"type": "image", "value": {"image": image.pk, "alt_text": "Une terrasse", "caption": ""}},
        {
            "type": "video",
            "value": {"url": "https://vimeo.com/76979871", "title": f"Vidéo {n}", "transcript": ""},
        },
        {
            "type": "faq",
            "value": {"title": f"FAQ {n}", "questions": [{"question": "Q ?", "answer": text}]},
        },
        {"type": "testimonial", "value": {"quote": "Super.", "author": "Jeanne", "context": ""}},
    ]


@pytest.mark.parametrize("role", ["anonymous", "manager", "staff"])
def test_listing_queries_do_not_grow_with_toolkits(index, make_toolkit, client_for, role):
    client = client_for(role)
    themes = ("financements", "animations")
    for n in range(3):
        make_toolkit(f"Fiche {n}", themes=themes, audience=Audience.PUBLIC)
    few = count_queries(client, index.url)
    for n in range(3, 30):
        audience = Audience.values[n % len(Audience.values)]
        make_toolkit(f"Fiche {n}", themes=themes, audience=audience)
    many = count_queries(client, index.url)
    assert many == few, f"{few} queries for 3 toolkits, {many} for 30"
    # Read again: a visitor gets the kept page, a member pays only their own row (route,
    # listing and header kept), staff also the userbar and the download totals read each time.
    assert many <= {"anonymous": 0, "manager": 1, "staff": 10}[role], many


@pytest.mark.parametrize("role", ["anonymous", "staff"])
def test_toolkit_page_queries_do_not_grow_with_blocks(
    make_toolkit, make_document, client_for, role
):
    client = client_for(role)
    small = make_toolkit("Petite fiche", body=every_block(0, make_document))
    big_body = [block for n in range(1, 11) for block in every_block(n, make_document)]
    big = make_toolkit("Grande fiche", body=big_body)
    for n in range(8):
        make_toolkit(f"Voisine {n}")  # related toolkits (same theme)
    few, many = count_queries(client, small.url), count_queries(client, big.url)
    assert many == few, f"{few} queries for 10 blocks, {many} for 100"
    assert many <= {"anonymous": 2, "staff": 9}[role], many
