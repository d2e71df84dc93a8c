"""The catalogue's demo illustrations: one drawing per kind, no flat placeholder, light
enough for a rural connection."""

from __future__ import annotations

import pytest
from PIL import Image

from events.demo import DATA, OLD_PLACEHOLDER_ALT, _seed_photos
from events.models import AnimationKind, KindPhoto

from .conftest import kind
from .files import jpeg_with_exif

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_roots")]


def test_every_kind_gets_a_light_illustration_once():
    _seed_photos()
    _seed_photos()
    assert (
        KindPhoto.objects.count()
        == AnimationKind.objects.count()
        == len(DATA.read("events")["pictures"])
    )
    for photo in KindPhoto.objects.select_related("kind"):
        assert photo.alt_text and photo.kind.name not in photo.alt_text
        assert photo.image.size < 80_000, photo.kind.slug
        assert photo.thumbnail.size < 25_000, photo.kind.slug
        with Image.open(photo.image.path) as image:
            assert image.size == (1200, 900)
            # A drawing, not a flat colour: many colours over the whole picture.
            assert len(image.getcolors(maxcolors=1 << 20)) > 1000


def test_the_old_flat_placeholders_are_replaced(client):
    chess = kind("chess-workshop")
    KindPhoto.objects.create(
        kind=chess, image=jpeg_with_exif(), alt_text=OLD_PLACEHOLDER_ALT.format(name=chess.name)
    )
    _seed_photos()
    assert list(chess.photos.values_list("alt_text", flat=True)) == [
        "Un échiquier en pleine partie et une tasse de café sur une table"
    ]
    assert chess.photos.get().thumbnail.url in client.get("/animations/").content.decode()
