"""Page types, validation, French dates, the listing and the webinar page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents.models import Document

from community.accounts.audience import Audience
from community.home.models import StandardPage
from community.lib.formats import PARIS, french_datetime
from tests.matrix import AUDIENCES
from webinars.models import WebinarIndexPage, WebinarPage

from .conftest import START

pytestmark = pytest.mark.django_db


def test_index_lives_under_the_home_page_only_once(home):
    assert WebinarIndexPage.parent_page_types == ["home.HomePage"]
    assert WebinarIndexPage.can_create_at(home)


def test_index_cannot_be_created_twice(index, home):
    assert not WebinarIndexPage.can_create_at(home)


def test_webinars_live_under_the_index_only(index, home):
    assert WebinarPage.can_create_at(index)
    assert not WebinarPage.can_create_at(home)
    assert WebinarIndexPage.allowed_subpage_models() == [WebinarPage]
    assert WebinarPage.allowed_subpage_models() == []
    assert not StandardPage.can_create_at(index)


def test_index_is_served_at_webinaires(client, index):
    assert index.url == "/webinaires/"
    assert client.get("/webinaires/").status_code == 200


def test_end_must_follow_start(index):
    page = WebinarPage(title="À l'envers", slug="envers", start=START, end=START)
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert error.value.message_dict["end"] == ["La fin doit être après le début."]


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 12, 3, 18, 0, tzinfo=PARIS), "jeudi 3 décembre 2026 à 18 h 00"),
        (datetime(2026, 6, 1, 7, 5, tzinfo=PARIS), "lundi 1er juin 2026 à 7 h 05"),
        # Stored in UTC, shown in Paris time (UTC+2 in summer, UTC+1 in winter).
        (datetime(2026, 7, 2, 16, 30, tzinfo=UTC), "jeudi 2 juillet 2026 à 18 h 30"),
        (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), "vendredi 1er janvier 2027 à 0 h 30"),
    ],
)
def test_dates_read_in_french_and_in_paris_time(moment, expected):
    assert french_datetime(moment) == expected


def test_webinar_page_shows_its_details_in_french(client, make_webinar):
    page = make_webinar(
        "aides",
        title="Financer la réouverture du café : les aides",
        start=datetime(2030, 12, 5, 18, 0, tzinfo=PARIS),
        audience=Audience.PUBLIC,
    )
    html = client.get(page.url).content.decode()
    assert "Financer la réouverture du café : les aides" in html
    assert "jeudi 5 décembre 2030 à 18 h 00" in html
    assert "19 h 30" in html
    assert 'datetime="2030-12-05T18:00:00+01:00"' in html
    assert "Camille Roux, équipe 1000 cafés" in html
    assert "<b>rouvrir</b>" in html
    assert "Se connecter pour s'inscrire" in html
    # Nobody but a registered member sees the room, whatever the time.
    assert "visio.example.org" not in html


def test_listing_puts_upcoming_first_then_past_ones_with_a_replay(client, make_webinar):
    now = timezone.now()
    public = {"audience": Audience.PUBLIC}
    make_webinar("plus-tard", title="Plus tard", start=now + timedelta(days=20), **public)
    make_webinar("bientot", title="Bientôt", start=now + timedelta(days=2), **public)
    make_webinar(
        "passe-replay",
        title="Passé avec replay",
        start=now - timedelta(days=30),
        recording_url="https://video.example.org/w/replay",
        **public,
    )
    make_webinar(
        "passe-support",
        title="Passé avec support",
        start=now - timedelta(days=10),
        slides=Document.objects.create(title="Support"),
        **public,
    )
    make_webinar("passe-sans", title="Passé sans rien", start=now - timedelta(days=5), **public)
    response = client.get("/webinaires/")
    assert [w.title for w in response.context["upcoming"]] == ["Bientôt", "Plus tard"]
    assert [w.title for w in response.context["replays"]] == [
        "Passé avec support",
        "Passé avec replay",
    ]
    html = response.content.decode()
    assert html.index("Bientôt") < html.index("Plus tard") < html.index("Passé avec support")
    assert "Passé sans rien" not in html


@pytest.mark.parametrize(("role", "visible"), AUDIENCES.items())
def test_listing_shows_only_the_webinars_of_ones_audiences(client_for, make_webinar, role, visible):
    titles = {
        Audience.PUBLIC: "Pour tous",
        Audience.MEMBERS: "Pour les membres",
        Audience.ELECTED: "Pour les élus",
        Audience.MANAGERS: "Pour les gérants",
    }
    for audience, title in titles.items():
        make_webinar(audience, title=title, audience=audience)
    html = client_for(role).get("/webinaires/").content.decode()
    for audience, title in titles.items():
        assert (title in html) == (audience in visible), title


def test_unpublished_webinars_are_not_listed(client, make_webinar):
    page = make_webinar("brouillon", title="Brouillon", audience=Audience.PUBLIC)
    page.unpublish()
    assert "Brouillon" not in client.get("/webinaires/").content.decode()
    assert client.get("/webinaires/brouillon/").status_code == 404


def test_wrong_role_sees_a_french_refusal(client_for, make_webinar):
    page = make_webinar("elus", audience=Audience.ELECTED)
    response = client_for("manager").get(page.url)
    assert response.status_code == 403
    assert "Ce webinaire est réservé aux élu·es." in response.content.decode()


def test_past_webinar_shows_its_replay_and_slides(client, make_webinar):
    document = Document.objects.create(title="Support")
    page = make_webinar(
        "replay",
        start=timezone.now() - timedelta(days=3),
        audience=Audience.PUBLIC,
        recording_url="https://video.example.org/w/replay",
        slides=document,
    )
    html = client.get(page.url).content.decode()
    assert "Webinaire terminé" in html
    assert "https://video.example.org/w/replay" in html
    assert "Télécharger le support de présentation" in html
    assert "S'inscrire" not in html


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("pending", 302),
        ("manager", 403),
        ("partner", 403),
        ("elected", 200),
        ("staff", 200),
    ],
)
def test_slides_follow_the_webinar_audience(client_for, make_webinar, role, expected):
    document = Document(title="Support")
    document.file.save("support-recrutement.pdf", ContentFile(b"%PDF-1.4 support"), save=True)
    make_webinar(
        "elus-passe",
        audience=Audience.ELECTED,
        start=timezone.now() - timedelta(days=3),
        slides=document,
    )
    response = client_for(role).get(document.url)
    assert response.status_code == expected
