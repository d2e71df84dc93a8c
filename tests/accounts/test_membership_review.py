from __future__ import annotations

import pytest
from django.core import mail

from community.accounts.models import MembershipDecision, MembershipStatus


@pytest.mark.django_db
def test_staff_sees_pending_applications_with_what_they_need_to_decide(client_for, pending_user):
    page = client_for("staff").get("/admin/adhesions/").content.decode()

    assert "Demandes en attente (1)" in page
    assert "Camille Candidate" in page
    assert pending_user.email in page
    assert f"Valider l'adhésion de {pending_user.display_name}" in page


@pytest.mark.django_db
def test_staff_approves_from_the_review_screen(
    client_for, staff_user, pending_user, django_capture_on_commit_callbacks
):
    client = client_for("staff")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/adhesions/{pending_user.pk}/valider/", follow=True)

    assert "Adhésion de Camille Candidate validée" in response.content.decode()
    pending_user.refresh_from_db()
    assert pending_user.is_approved_member
    assert len(mail.outbox) == 1
    assert "Dernières décisions" in response.content.decode()


@pytest.mark.django_db
def test_staff_refuses_with_a_reason(client_for, pending_user):
    response = client_for("staff").post(
        f"/admin/adhesions/{pending_user.pk}/refuser/",
        {"reason": "Commune de plus de 3 500 habitants."},
        follow=True,
    )

    assert "Demande de Camille Candidate refusée" in response.content.decode()
    decision = MembershipDecision.objects.get(member=pending_user)
    assert decision.reason == "Commune de plus de 3 500 habitants."


@pytest.mark.django_db
def test_a_too_long_reason_is_refused_and_nothing_changes(client_for, pending_user):
    response = client_for("staff").post(
        f"/admin/adhesions/{pending_user.pk}/refuser/", {"reason": "x" * 2001}, follow=True
    )

    assert "ne doit pas dépasser 2 000 caractères" in response.content.decode()
    pending_user.refresh_from_db()
    assert pending_user.membership_status == MembershipStatus.PENDING


@pytest.mark.django_db
def test_approving_twice_says_so_in_french(client_for, elected_user):
    response = client_for("staff").post(f"/admin/adhesions/{elected_user.pk}/valider/", follow=True)

    assert "est déjà validée" in response.content.decode()
    assert not MembershipDecision.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "pending", "elected", "manager", "partner"])
@pytest.mark.parametrize("action", ["valider", "refuser"])
def test_nobody_but_staff_can_decide(client_for, pending_user, role, action):
    response = client_for(role).post(f"/admin/adhesions/{pending_user.pk}/{action}/")

    assert response.status_code in (302, 403)
    pending_user.refresh_from_db()
    assert pending_user.membership_status == MembershipStatus.PENDING
    assert not MembershipDecision.objects.exists()


@pytest.mark.django_db
def test_unknown_application_is_a_404(client_for):
    assert client_for("staff").post("/admin/adhesions/999999/valider/").status_code == 404
