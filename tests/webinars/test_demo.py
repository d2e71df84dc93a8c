"""webinars.demo.seed: realistic demo webinars, idempotent, quiet."""

from __future__ import annotations

import pytest
from django.core import mail
from wagtail.models import Site

from community.accounts.models import Role
from community.home.models import HomePage
from tests.factories import make_member
from webinars import demo
from webinars.models import Registration, RegistrationStatus, WebinarIndexPage, WebinarPage

pytestmark = pytest.mark.django_db


def test_seed_without_the_demo_accounts_still_creates_the_webinars(home, client):
    messages: list[str] = []
    demo.seed(messages.append)
    index = WebinarIndexPage.objects.get()
    assert index.url == "/webinaires/"
    assert WebinarPage.objects.live().count() == len(demo.DATA.read("webinars")["webinars"])
    assert not Registration.objects.exists()
    assert messages and messages[0].startswith("Webinaires : ")
    html = client.get("/webinaires/").content.decode()
    assert "Découvrir le réseau 1000 cafés" in html  # the public one
    assert "Trouver et recruter" not in html  # for elected officials only


def test_seed_is_idempotent_and_registers_the_demo_accounts(home, client_for):
    mayor = make_member(Role.ELECTED, email="maire@example.org")
    make_member(Role.ELECTED, email="adjointe@example.org")
    make_member(Role.MANAGER, email="gerant@example.org")
    make_member(Role.MANAGER, email="gerante@example.org")
    demo.seed(lambda message: None)
    counts = (WebinarPage.objects.count(), Registration.objects.count())
    sequences = list(WebinarPage.objects.values_list("calendar_sequence", flat=True))
    demo.seed(lambda message: None)
    assert (WebinarPage.objects.count(), Registration.objects.count()) == counts
    assert list(WebinarPage.objects.values_list("calendar_sequence", flat=True)) == sequences
    assert mail.outbox == []

    audiences = set(WebinarPage.objects.values_list("audience", flat=True))
    assert audiences == {"public", "members", "elected", "managers"}
    past = [w for w in WebinarPage.objects.all() if w.is_over()]
    assert past and all(w.recording_url for w in past)
    assert Registration.objects.filter(member=mayor, attended=True).exists()
    # The small workshop shows the waiting list.
    assert Registration.objects.filter(status=RegistrationStatus.WAITING).count() == 1


def test_seed_without_a_home_page_says_so(db):
    Site.objects.all().delete()
    HomePage.objects.all().delete()
    messages: list[str] = []
    demo.seed(messages.append)
    assert messages == ["Webinaires : pas de page d'accueil, rien à créer."]
