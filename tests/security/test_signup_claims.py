"""Finding 2: a sign-up that names an existing café is a claim that staff check, not a place
among its managers; and every e-mail recipient list holds approved, active members only."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps
from django.core import mail

from community.accounts.models import MembershipStatus, Role, User
from community.accounts.services import notify_reviewers_of_application
from events.services import request_booking
from forum.services import report_post
from forum.tree import theme
from tests.events.conftest import at, kind
from tests.factories import make_member
from tests.forum.conftest import make_topic

pytestmark = pytest.mark.django_db

PASSWORD = "un-cafe-au-village-2026"


@pytest.fixture
def chess(db):
    return kind("chess-workshop")


def recipients() -> set[str]:
    return {address for message in mail.outbox for address in message.to}


@pytest.fixture
def applicant(client, cafe):
    """Someone signs up through the real form, saying they run the café."""
    response = client.post(
        "/comptes/signup/",
        {
            "display_name": "Ivan Intrus",
            "email": "ivan@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "role": Role.MANAGER,
            "commune": "",
            "cafe": cafe.label,
            "organisation": "",
            "application_note": "Je reprends le café.",
        },
    )
    assert response.status_code == 302
    return User.objects.get(email="ivan@example.org")


def test_a_signup_naming_a_cafe_is_not_its_manager_and_gets_none_of_its_mail(
    applicant, cafe, manager_user, chess, django_capture_on_commit_callbacks
):
    assert applicant.claimed_cafe == cafe
    assert list(cafe.managers.all()) == [manager_user]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        request_booking(
            by=manager_user, cafe=cafe, kind=chess, preferred_dates=[at(20)], notes="Code: 1234"
        )

    assert manager_user.email in recipients()
    assert applicant.email not in recipients()


def test_the_review_screen_names_the_cafes_managers_and_approval_applies_the_claim(
    applicant, cafe, manager_user, client_for, django_capture_on_commit_callbacks
):
    staff = client_for("staff")
    page = staff.get("/admin/adhesions/").content.decode()
    assert "Se dit gérant·e de <strong>Le Café du Village</strong>" in page
    assert "Ce café a déjà 1 gérant·e : Gaston Gérant." in page

    with django_capture_on_commit_callbacks(execute=True):
        staff.post(f"/admin/adhesions/{applicant.pk}/valider/")

    applicant.refresh_from_db()
    assert applicant.is_approved_member
    assert applicant.claimed_cafe is None
    assert set(cafe.managers.all()) == {manager_user, applicant}


def test_a_refused_claim_is_dropped(applicant, cafe, client_for):
    client_for("staff").post(f"/admin/adhesions/{applicant.pk}/refuser/", {"reason": "Inconnu"})

    applicant.refresh_from_db()
    assert applicant.membership_status == MembershipStatus.REFUSED
    assert applicant.claimed_cafe is None
    assert not cafe.managers.filter(pk=applicant.pk).exists()


@pytest.fixture
def unreachable(cafe):
    """A pending, a refused and a deactivated account of each kind that receives e-mail."""
    accounts = []
    for role in (Role.STAFF, Role.MANAGER):
        cafe_kw = {"cafe": cafe} if role == Role.MANAGER else {}
        accounts += [
            make_member(role, status=MembershipStatus.PENDING, **cafe_kw),
            make_member(role, status=MembershipStatus.REFUSED, **cafe_kw),
            make_member(role, is_active=False, **cafe_kw),
        ]
    return accounts


def test_booking_mail_reaches_only_approved_active_managers_and_staff(
    unreachable, staff_user, manager_user, cafe, chess, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request_booking(by=manager_user, cafe=cafe, kind=chess, preferred_dates=[at(20)])

    assert recipients() == {manager_user.email, staff_user.email}


def test_staff_queues_reach_only_approved_active_staff(
    unreachable, staff_user, elected_user, pending_user, django_capture_on_commit_callbacks
):
    topic = make_topic(theme("Gestion du café"), staff_user, subject="Un sujet")
    with django_capture_on_commit_callbacks(execute=True):
        notify_reviewers_of_application(pending_user)
        report_post(elected_user, topic.first_post, "Propos déplacés")
    assert recipients() == {staff_user.email}
    assert len(mail.outbox) == 2


def test_the_migration_turns_existing_unapproved_managers_into_claims(cafe, manager_user):
    pending = make_member(Role.MANAGER, status=MembershipStatus.PENDING, cafe=cafe)
    refused = make_member(Role.MANAGER, status=MembershipStatus.REFUSED, cafe=cafe)
    migration = import_module("community.accounts.migrations.0003_user_claimed_cafe")

    migration.pending_managers_become_claims(apps, None)

    assert list(cafe.managers.all()) == [manager_user]
    pending.refresh_from_db()
    refused.refresh_from_db()
    assert (pending.claimed_cafe, refused.claimed_cafe) == (cafe, None)
