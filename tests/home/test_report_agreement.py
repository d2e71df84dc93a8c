"""What the demo platform says agrees with the association's 2025 activity report
(shared/reference/rapport-activite-2025.md): each test names the contradiction it keeps away.

The demo is loaded once per test through `seed_demo`, as a visitor of `make run` meets it;
texts are read from every place the demo writes them (pages and their revisions, toolkits,
forum, chat, catalogue, funds, tours, webinars).
"""

from __future__ import annotations

import html
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from machina.apps.forum_conversation.models import Post, Topic
from wagtail.models import Revision

from community.accounts.models import User
from community.places.models import Cafe
from events.demo import _seasons
from events.impact import year_impact
from events.models import AnimationKind, Fund, Provider, Tour
from forum.chat.models import Message
from forum.services import forum_url
from forum.tree import THEMES, area, theme
from toolkit.models import ToolkitPage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_roots")]

# Phrases the report contradicts, with the reason.
CONTRADICTIONS = {
    "mutuelle": "KLESIA is an insurer (« l'assureur KLESIA »), not a mutuelle",
    "pôle emploi": "Pôle emploi has been France Travail since 2024",
    "pole emploi": "Pôle emploi has been France Travail since 2024",
    "dQw4w9WgXcQ": "a prank video stood in for a Concert de Poche",
    "youtube.com/watch": "no video of the network is named by the report",
    "Relais de l'Abbaye": "Saint-Sever-de-Rustan's abbey is a tiers-lieu, not a café",
}
FREE_OFFER = ["chess-workshop", "concert-de-poche", "first-aid-training"]


@pytest.fixture
def demo(db) -> None:
    call_command("seed_demo", stdout=StringIO())


def demo_texts() -> list[str]:
    """Everything the demo wrote that a visitor may read."""
    texts = [str(revision.content) for revision in Revision.objects.all()]
    texts += [str(page.specific.intro) for page in ToolkitPage.objects.all()]
    texts += list(Post.objects.values_list("content", flat=True))
    texts += list(Topic.objects.values_list("subject", flat=True))
    texts += list(Message.objects.values_list("body", flat=True))
    for model in (AnimationKind, Provider, Fund, Tour, Cafe):
        texts += [str(row) for row in model.objects.values()]
    texts += [str(user) for user in User.objects.values("display_name", "organisation")]
    return texts


def test_no_text_of_the_demo_contradicts_the_report(demo, client):
    texts = "\n".join(demo_texts()).lower()
    found = {phrase: why for phrase, why in CONTRADICTIONS.items() if phrase.lower() in texts}
    assert found == {}
    # « L'assureur KLESIA » funds the Bien vieillir programme.
    assert set(Fund.objects.values_list("funder__name", flat=True)) == {"KLESIA"}
    page = html.unescape(client.get("/animations/nutrition-workshop/").content.decode())
    assert "Fonds Bien vieillir" in page and "(KLESIA)" in page
    toolkit = ToolkitPage.objects.get(slug="bien-vieillir-au-cafe")
    assert "KLESIA, assureur partenaire" in str(toolkit.body.raw_data)
    # Saint-Sever-de-Rustan's abbey is a tiers-lieu: no café of the network there.
    assert not Cafe.objects.filter(commune__insee_code="65397").exists()
    # The Guinguettes in 2025: 64 dates in Grand Est, 19 in the Aisne.
    home = html.unescape(client.get("/").content.decode())
    assert "64 en Grand Est, 19 dans l'Aisne" in home


def test_the_free_offer_reads_offered_by_the_network_and_no_price_is_invented(demo, client):
    catalogue = html.unescape(client.get("/animations/").content.decode())
    for slug in FREE_OFFER:
        kind = AnimationKind.objects.get(slug=slug)
        assert kind.offered_by_network and kind.price is None
        page = html.unescape(client.get(kind.get_absolute_url()).content.decode())
        assert "<dt>Prix</dt><dd>offert par le réseau</dd>" in page
    assert catalogue.count("<dd>offert par le réseau</dd>") == len(FREE_OFFER)
    # No catalogue of the network states a price: the migrations set none, so none shows.
    assert not AnimationKind.objects.filter(price__isnull=False).exists()
    assert "€</dd>" not in catalogue
    assert "<dd>sur devis</dd>" in catalogue
    # A price staff really set is shown.
    AnimationKind.objects.filter(slug="nutrition-workshop").update(price=Decimal("240.00"))
    page = html.unescape(client.get("/animations/nutrition-workshop/").content.decode())
    assert "<dt>Prix</dt><dd>240,00\u00a0€</dd>" in page


def test_an_offered_kind_cannot_carry_a_price(db):
    chess = AnimationKind.objects.get(slug="chess-workshop")
    chess.price = Decimal("180.00")
    with pytest.raises(ValidationError, match="offerte par le réseau"):
        chess.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        chess.save()


def test_last_summer_had_the_reports_three_tournees_des_villages(demo):
    past, _next = _seasons()
    figures = year_impact(past)
    # 2025: « 3 tournées, 450 participant-e-s, 11 cafés et communes ».
    assert len(figures.tours) == 3
    assert sum(tour.participants for tour in figures.tours) == 450
    assert figures.tour_stops == 11
    tours = Tour.objects.filter(season_start__year=past)
    cafes = {stop.booking.cafe_id for tour in tours for stop in tour.stops.all()}
    assert len(cafes) == 11
    # « 2 compagnies de théâtre et 1 structure associative ».
    providers = Provider.objects.filter(
        bookings__tour_stop__tour__in=tours, bookings__state="held"
    ).distinct()
    assert sorted(providers.values_list("type", flat=True)) == [
        Provider.Type.ASSOCIATION,
        Provider.Type.COMPANY,
        Provider.Type.COMPANY,
    ]


def links_in(text: str) -> set[str]:
    return set(re.findall(r'href="(/[^"#?]*)', text)) | set(re.findall(r"\]\((/[^)#?]*)\)", text))


def test_links_lead_to_pages_and_the_forum_is_alive(demo, client):
    """The toolkits « Étude de préfiguration » and « Définir le projet » exist (forum and chat
    point to them), the network's map is linked by its path; each themed area of the forum
    holds conversations and the public area is the busiest."""
    staff = Client()
    staff.force_login(User.objects.get(email="equipe@example.org"))
    chat = " ".join(Message.objects.values_list("body", flat=True))
    for title in ("Étude de préfiguration", "Définir le projet"):
        toolkit = ToolkitPage.objects.live().get(title=title)
        assert staff.get(toolkit.url).status_code == 200
        assert f"« {title} »" in chat
    written = "\n".join(
        [str(page.body.raw_data) for page in ToolkitPage.objects.live()]
        + list(Post.objects.values_list("content", flat=True))
    )
    links = links_in(written)
    assert "/boites-a-outils/etude-de-prefiguration/" in links
    assert reverse("places:map") in links
    for path in sorted(links):
        assert staff.get(path).status_code == 200, path

    for name, _description in THEMES:
        topics = Topic.objects.filter(forum=theme(name))
        assert topics.count() >= 2, name
        assert all(topic.posts_count >= 2 for topic in topics), name
    assert Topic.objects.filter(forum=area("public")).count() >= 5
    # Dated over weeks like a real forum, not all « il y a une minute ».
    assert len({post.created.date() for post in Post.objects.all()}) >= 10
    page = html.unescape(client.get(forum_url(area("public"))).content.decode())
    assert "La Guinguette mobile peut-elle venir dans notre village ?" in page
