"""The catalogue: seeded kinds, public pages, photos kept as Pillow renditions."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from events.models import AnimationKind, KindPhoto, Provider

from .conftest import CATALOGUE, html_of, kind
from .files import jpeg_with_exif

pytestmark = pytest.mark.django_db


def test_the_migration_seeds_every_kind_with_its_exact_slug():
    assert list(AnimationKind.objects.values_list("slug", flat=True)) == CATALOGUE
    assert not kind("tournee-des-villages").is_bookable
    assert kind("chess-workshop").duration.total_seconds() == 2 * 3600


def test_catalogue_lists_kinds_with_duration_audience_and_price(client):
    response = client.get("/animations/")
    assert response.status_code == 200
    html = html_of(response)
    for name in ("Atelier d'initiation aux échecs", "Concert de Poche", "Guinguette mobile"):
        assert name in html
    assert "offert par le réseau" in html and "sur devis" in html and "1 h 30" in html
    assert 'href="/animations/chess-workshop/"' in html
    assert "Demander une animation" not in html


def test_kind_page_shows_providers_and_funds(client, provider, fund):
    response = client.get("/animations/chess-workshop/")
    html = html_of(response)
    assert response.status_code == 200
    assert "Échiquier Tarnais" in html
    assert "Fonds Bien vieillir" in html and "600,00\u00a0€ par café" in html
    assert f"Fonds Bien vieillir {fund.year} (Mutuelle partenaire), jusqu'à" in html


def test_unknown_kind_is_a_404(client):
    assert client.get("/animations/karaoke/").status_code == 404


def test_managers_are_offered_to_request_it(client_for, manager_user):
    html = html_of(client_for("manager").get("/animations/chess-workshop/"))
    assert "/animations/reservations/nouvelle/?animation=chess-workshop" in html
    tour_html = html_of(client_for("manager").get("/animations/tournee-des-villages/"))
    assert "nouvelle/?animation" not in tour_html
    assert "candidatent pour accueillir une étape" in tour_html


def test_a_kind_slug_cannot_shadow_a_page():
    with pytest.raises(ValidationError, match="réservé"):
        AnimationKind(slug="agenda", name="Agenda", summary="x", audience="x").full_clean()


def test_photos_are_stored_as_renditions_without_metadata(client, media_roots):
    photo = KindPhoto.objects.create(
        kind=kind("chess-workshop"), image=jpeg_with_exif(), alt_text="Partie au café"
    )
    with Image.open(photo.image.path) as image:
        assert max(image.size) == 1600
        assert not image.getexif()
    with Image.open(photo.thumbnail.path) as thumb:
        assert thumb.size[0] <= 480 and thumb.size[1] <= 360
    assert photo.thumbnail.url in client.get("/animations/").content.decode()


def test_providers_can_be_linked_to_a_partner_account(provider, partner_user):
    assert list(partner_user.providers.all()) == [provider]
    assert list(provider.kinds.all()) == [kind("chess-workshop")]
    assert Provider.objects.get(account=partner_user).name == "Échiquier Tarnais"
