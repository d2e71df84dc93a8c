from __future__ import annotations

import pytest
from wagtail.blocks.struct_block import StructBlockValidationError

from toolkit.blocks import VideoBlock, video_player_url

from .conftest import document_block

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "player"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://youtu.be/dQw4w9WgXcQ?t=3", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://example.org/video.mp4", None),
        ("https://www.youtube.com/watch?v=<script>", None),
        ("javascript:alert(1)", None),
    ],
)
def test_video_player_url(url, player):
    assert video_player_url(url) == player


def test_unsupported_video_is_refused_in_french():
    block = VideoBlock()
    value = block.to_python({"url": "https://example.org/film.mp4", "title": "Film"})
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    assert "Seules les vidéos YouTube et Vimeo" in str(error.value.block_errors["url"])


def test_every_block_renders_accessibly(make_toolkit, make_document, client_for):
    document = make_document("Modèle de convention", "convention.pdf")
    text = "<p>Texte.</p>"
    body = [
        {"type": "heading", "value": "Préparer le projet"},
        {"type": "paragraph", "value": text},
        {
            "type": "steps",
            "value": {"title": "Étapes", "steps": [{"title": "Réunir", "text": text}]},
        },
        {"type": "checklist", "value": {"title": "À vérifier", "items": ["Salle", "Affiches"]}},
        {"type": "key_point", "value": {"title": "À retenir", "text": text}},
        {"type": "key_point", "value": {"title": "À retenir", "text": text}},
        document_block(document),
        {
            "type": "video",
            "value": {"url": "https://vimeo.com/1", "title": "Reportage", "transcript": "Bonjour."},
        },
        {
            "type": "faq",
            "value": {"title": "FAQ", "questions": [{"question": "Pourquoi ?", "answer": text}]},
        },
        {
            "type": "testimonial",
            "value": {"quote": "Merci.", "author": "Jeanne", "context": "maire"},
        },
    ]
    content = client_for("anonymous").get(make_toolkit(body=body).url).content.decode()
    assert '<h2 id="preparer-le-projet">Préparer le projet</h2>' in content
    assert "<ol>" in content and "<h3>Réunir</h3>" in content
    assert f'<a href="{document.url}">Modèle de convention</a>' in content
    assert "(PDF, " in content
    assert 'title="Reportage"' in content and "player.vimeo.com/video/1" in content
    assert "<summary>Pourquoi ?</summary>" in content
    assert "<blockquote>" in content and "Jeanne, <span>maire</span>" in content
    # Two callouts with the same title still get distinct ids for their aria-labelledby.
    ids = [part.split('"')[0] for part in content.split('<h2 id="')[1:]]
    assert len(ids) == len(set(ids))
