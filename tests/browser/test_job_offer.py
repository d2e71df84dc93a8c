"""A mayor publishes the commune's job offer from the project space, a candidate applies
with a PDF CV and confirms by e-mail, staff shortlist them and present the shortlist, the
mayor picks them, who is then invited to create a manager account: in a real browser, every
page passing axe with no violation and never scrolling sideways from 320 to 1440 px."""

from __future__ import annotations

import datetime
import re

from django.core import mail
from django.utils import timezone

from community.accounts.models import Role
from community.lib.demo import pdf
from community.places.models import Stage
from community.recruitment.models import Candidacy, JobOffer, OfferState
from tests.accompaniment.factories import make_project
from tests.factories import make_commune, make_member

from .helpers import BROWSER_TEST, audit, log_in, path_of

pytestmark = BROWSER_TEST

CANDIDATE = "claire.fontaine@example.org"


def link_in_mail(to: str, pattern: str) -> str:
    [message] = [m for m in mail.outbox if to in m.to and re.search(pattern, m.body)]
    return re.search(rf"https?://[^/\s]+({pattern})", message.body)[1]


def test_a_candidate_applies_and_the_mayor_picks_them(new_page, media_roots):
    vaour = make_commune(name="Vaour", department_code="81", postal_codes="81140", population=330)
    staff = make_member(Role.STAFF, display_name="Camille Roux")
    mayor = make_member(Role.ELECTED, display_name="Jeanne Maire", commune=vaour)
    project = make_project(vaour, stage=Stage.RECRUITMENT, members=[mayor])
    today = timezone.localdate()

    # 1. The mayor publishes the offer from the project space.
    mayor_page = new_page()
    log_in(mayor_page, mayor.email, next_url=project.get_absolute_url())
    mayor_page.goto(project.get_absolute_url())
    with mayor_page.expect_navigation():
        mayor_page.get_by_role("link", name="publier une offre de gérance").click()
    audit(mayor_page, "the publishing form")
    mayor_page.fill("input[name=title]", "Gérant·e du café multiservice de Vaour")
    mayor_page.get_by_label("Type de contrat").select_option("location_gerance")
    mayor_page.fill("textarea[name=description]", "Bar, épicerie de dépannage, dépôt de pain.")
    mayor_page.fill("input[name=starts_on]", (today + datetime.timedelta(days=60)).isoformat())
    mayor_page.fill("input[name=closes_on]", (today + datetime.timedelta(days=20)).isoformat())
    mayor_page.get_by_label("Un logement est proposé").check()
    mayor_page.fill("input[name=housing_description]", "T3 au-dessus du café")
    with mayor_page.expect_navigation():
        mayor_page.get_by_role("button", name="Publier l'offre").click()
    offer = JobOffer.objects.get()
    assert path_of(mayor_page) == offer.get_absolute_url()

    # 2. A candidate finds it in the public list and applies without an account.
    visitor = new_page()
    visitor.goto("/offres-de-gerance/")
    audit(visitor, "the public list of offers")
    with visitor.expect_navigation():
        visitor.get_by_role("link", name="Gérant·e du café multiservice de Vaour").click()
    assert "T3 au-dessus du café" in visitor.locator("main").inner_text()
    audit(visitor, "an offer")
    with visitor.expect_navigation():
        visitor.get_by_role("link", name="Candidater à cette offre").click()
    audit(visitor, "the application form")
    visitor.fill("input[name=name]", "Claire Fontaine")
    visitor.fill("input[name=email]", CANDIDATE)
    visitor.fill("input[name=phone]", "06 12 34 56 78")
    visitor.fill("textarea[name=message]", "Dix ans de restauration, l'envie d'un village.")
    visitor.set_input_files(
        "input[name=cv]",
        {
            "name": "cv.pdf",
            "mimeType": "application/pdf",
            "buffer": pdf("Claire - Curriculum vitae"),
        },
    )
    with visitor.expect_navigation():
        visitor.get_by_role("button", name="Envoyer ma candidature").click()
    assert visitor.locator("h1").inner_text() == "Confirmez votre adresse e-mail"
    audit(visitor, "the page after applying")

    # 3. The e-mail's link confirms the candidacy.
    visitor.goto(link_in_mail(CANDIDATE, r"/offres-de-gerance/confirmer/\S+/"))
    audit(visitor, "the confirmation page")
    with visitor.expect_navigation():
        visitor.get_by_role("button", name="Confirmer").click()
    assert visitor.locator("h1").inner_text() == "Candidature confirmée"

    # 4. Staff, told by e-mail, shortlist the candidate.
    candidates = link_in_mail(staff.email, rf"/offres-de-gerance/{offer.pk}/candidatures/")
    team = new_page()
    log_in(team, staff.email, next_url=candidates)
    if path_of(team) != candidates:
        team.goto(candidates)
    audit(team, "the candidates as staff")
    with team.expect_navigation():
        team.get_by_role("button", name="Présélectionner Claire Fontaine").click()
    assert "Claire Fontaine est présélectionné·e." in team.locator("main").inner_text()
    with team.expect_navigation():
        team.get_by_role("button", name="Présenter la présélection aux élu·es").click()
    assert "La présélection est envoyée aux élu·es de Vaour." in team.locator("main").inner_text()
    assert link_in_mail(mayor.email, rf"/offres-de-gerance/{offer.pk}/candidatures/")

    # 5. The mayor sees the shortlist from the project space, reads the CV and picks her.
    mayor_page.goto(project.get_absolute_url())
    with mayor_page.expect_navigation():
        mayor_page.get_by_role("link", name=re.compile("candidatures à l'offre")).click()
    audit(mayor_page, "the shortlist as the mayor")
    cv = mayor_page.request.get(
        mayor_page.get_by_role("link", name=re.compile("CV de Claire Fontaine")).get_attribute(
            "href"
        )
    )
    assert cv.status == 200 and cv.body().startswith(b"%PDF-")
    with mayor_page.expect_navigation():
        mayor_page.get_by_role("button", name="Choisir Claire Fontaine").click()
    assert "Vous avez choisi Claire Fontaine" in mayor_page.locator("main").inner_text()
    audit(mayor_page, "the filled offer as the mayor")
    assert Candidacy.objects.get().chosen_by == mayor
    offer.refresh_from_db()
    assert offer.state == OfferState.FILLED

    # 6. The offer left the public list; the chosen candidate is invited to sign up.
    visitor.goto("/offres-de-gerance/")
    assert "Vaour" not in visitor.locator("main").inner_text()
    visitor.goto(link_in_mail(CANDIDATE, r"/offres-de-gerance/invitation/\S+/"))
    assert "Vaour vous a choisi·e" in visitor.locator("main").inner_text()
    audit(visitor, "the invitation")
