"""From the sign-up form to the member area, through e-mail confirmation and staff approval,
in a real browser against the live server."""

from __future__ import annotations

import re

from django.core import mail

from community.accounts.models import MembershipStatus, Role, User
from tests.factories import make_commune, make_member

from .helpers import BROWSER_TEST, log_in, path_of

pytestmark = BROWSER_TEST

APPLICANT_EMAIL = "nouvelle.elue@example.org"
APPLICANT_PASSWORD = "Un-cafe-pour-Lagrasse-2025"
APPLICANT_NAME = "Noémie Nouvelle"
WAGTAIL_SIDEBAR = "#wagtail-sidebar"


def sign_up(page, commune_name: str) -> None:
    page.goto("/comptes/signup/")
    page.fill("input[name=display_name]", APPLICANT_NAME)
    page.fill("input[name=email]", APPLICANT_EMAIL)
    page.fill("input[name=password1]", APPLICANT_PASSWORD)
    page.fill("input[name=password2]", APPLICANT_PASSWORD)
    page.check("input[name=role][value=elected]")
    page.fill("input[name=commune]", commune_name)
    page.keyboard.press("Escape")  # close the suggestions, if any
    page.fill(
        "textarea[name=application_note]",
        "Maire depuis 2020, nous voulons rouvrir le café de la place.",
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer ma demande d'adhésion").click()


def confirmation_link() -> str:
    messages = [m for m in mail.outbox if APPLICANT_EMAIL in m.to]
    assert messages, f"no e-mail to {APPLICANT_EMAIL}; outbox: {[m.to for m in mail.outbox]}"
    match = re.search(r"https?://\S+/comptes/confirm-email/\S+/", messages[-1].body)
    assert match, messages[-1].body
    return match.group(0)


def test_sign_up_confirm_approve_and_enter_the_member_area(new_page, live_server):
    commune = make_commune(name="Lagrasse", department_code="11", postal_codes="11220")
    staff = make_member(Role.STAFF, display_name="Édith Équipe")

    # 1. A visitor applies.
    visitor = new_page()
    sign_up(visitor, "Lagrasse")
    # allauth's "verification sent" page, worded by the site: "Confirmez votre adresse e-mail".
    assert path_of(visitor) == "/comptes/confirm-email/"
    assert visitor.locator("h1").inner_text() == "Confirmez votre adresse e-mail"
    applicant = User.objects.get(email=APPLICANT_EMAIL)
    assert applicant.membership_status == MembershipStatus.PENDING
    assert applicant.commune == commune
    assert applicant.role == Role.ELECTED

    # 2. The link in the e-mail opens a confirmation page; confirming takes a POST.
    link = confirmation_link()
    visitor.goto(link.replace(re.match(r"https?://[^/]+", link).group(0), live_server.url))
    assert APPLICANT_EMAIL in visitor.locator("main").inner_text()
    with visitor.expect_navigation():
        visitor.get_by_role("button", name="Confirmer", exact=True).click()
    assert path_of(visitor) == "/comptes/login/"
    assert f"Vous avez confirmé {APPLICANT_EMAIL}" in visitor.locator("main").inner_text()
    assert applicant.emailaddress_set.get(email=APPLICANT_EMAIL).verified

    # 3. Logging in leads to the application's status page, not to the member area.
    log_in(visitor, APPLICANT_EMAIL, APPLICANT_PASSWORD)
    assert path_of(visitor) == "/adhesion/"
    assert "en cours d'examen" in visitor.locator("h1").inner_text()
    visitor.goto("/espace/")
    assert path_of(visitor) == "/adhesion/"

    # 4. Staff approve the application from the Wagtail admin.
    reviewer = new_page()
    log_in(reviewer, staff.email, next_url="/admin/adhesions/")
    if path_of(reviewer) != "/admin/adhesions/":
        reviewer.goto("/admin/adhesions/")
    assert path_of(reviewer) == "/admin/adhesions/"
    assert reviewer.locator(WAGTAIL_SIDEBAR).count() == 1  # the real Wagtail admin
    assert APPLICANT_NAME in reviewer.content()
    outbox_before = len(mail.outbox)
    with reviewer.expect_navigation():
        reviewer.get_by_role("button", name=re.compile(rf"Valider.*{APPLICANT_NAME}")).click()
    applicant.refresh_from_db()
    assert applicant.membership_status == MembershipStatus.APPROVED
    assert any(APPLICANT_EMAIL in m.to for m in mail.outbox[outbox_before:]), (
        "the applicant was not told by e-mail"
    )

    # 5. The new member logs in again and reaches the member area.
    member = new_page()
    log_in(member, APPLICANT_EMAIL, APPLICANT_PASSWORD)
    assert path_of(member) == "/espace/"
    assert APPLICANT_NAME in member.locator("h1").inner_text()
    assert "Lagrasse" in member.content()


def test_pending_member_does_not_get_the_wagtail_admin(page):
    # Even a superuser flag grants nothing before the membership is approved.
    pending = make_member(Role.STAFF, status=MembershipStatus.PENDING, is_superuser=True)
    log_in(page, pending.email)
    for url in ("/admin/", "/admin/adhesions/", "/admin/pages/"):
        response = page.goto(url)
        assert response.ok
        assert path_of(page) == "/adhesion/", f"{url} led to {path_of(page)}"
        assert page.locator(WAGTAIL_SIDEBAR).count() == 0
        assert "en cours d'examen" in page.locator("h1").inner_text()
