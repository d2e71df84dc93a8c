from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from community.accounts.models import MembershipDecision, MembershipStatus, Role
from community.accounts.roles import MEMBERS_GROUP, ROLE_GROUPS
from community.accounts.services import MembershipError, approve_member, refuse_member
from tests.concurrency import run_at_once
from tests.factories import make_cafe, make_member


def group_names(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


@pytest.mark.django_db
def test_approval_grants_role_groups_records_the_decision_and_emails_the_member(
    staff_user, pending_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        approve_member(pending_user, by=staff_user)

    pending_user.refresh_from_db()
    assert pending_user.membership_status == MembershipStatus.APPROVED
    assert group_names(pending_user) == {MEMBERS_GROUP, ROLE_GROUPS[Role.ELECTED]}
    decision = pending_user.decisions.get()
    assert (decision.status, decision.decided_by) == (MembershipStatus.APPROVED, staff_user)
    assert [message.to for message in mail.outbox] == [[pending_user.email]]
    assert mail.outbox[0].subject == "[1000 cafés] Votre adhésion au réseau est validée"
    assert "/espace/" in mail.outbox[0].body


@pytest.mark.django_db
def test_refusal_records_the_reason_releases_the_cafe_and_emails_the_applicant(
    staff_user, django_capture_on_commit_callbacks
):
    cafe = make_cafe("Le Relais")
    applicant = make_member(Role.MANAGER, status=MembershipStatus.PENDING, claimed_cafe=cafe)

    with django_capture_on_commit_callbacks(execute=True):
        refuse_member(applicant, by=staff_user, reason="Ce café n'est pas accompagné.")

    applicant.refresh_from_db()
    assert applicant.membership_status == MembershipStatus.REFUSED
    assert group_names(applicant) == set()
    assert applicant.claimed_cafe is None
    assert not cafe.managers.exists()
    decision = applicant.decisions.get()
    assert decision.reason == "Ce café n'est pas accompagné."
    assert "Ce café n'est pas accompagné." in mail.outbox[0].body


@pytest.mark.django_db
def test_a_refused_applicant_can_be_approved_later_and_both_decisions_are_kept(
    staff_user, refused_user
):
    approve_member(refused_user, by=staff_user)

    statuses = list(refused_user.decisions.values_list("status", flat=True))
    assert statuses == [MembershipStatus.APPROVED]
    refused_user.refresh_from_db()
    assert refused_user.is_approved_member


@pytest.mark.django_db
@pytest.mark.parametrize("reviewer", ["elected_user", "manager_user", "partner_user"])
def test_only_staff_may_decide(request, reviewer, pending_user):
    with pytest.raises(MembershipError, match="Seule l'équipe"):
        approve_member(pending_user, by=request.getfixturevalue(reviewer))

    pending_user.refresh_from_db()
    assert pending_user.membership_status == MembershipStatus.PENDING
    assert not MembershipDecision.objects.exists()


@pytest.mark.django_db
def test_a_second_decision_on_a_processed_application_changes_nothing(staff_user, elected_user):
    with pytest.raises(MembershipError, match="déjà validée"):
        approve_member(elected_user, by=staff_user)
    with pytest.raises(MembershipError, match="déjà été traitée"):
        refuse_member(elected_user, by=staff_user)
    assert not MembershipDecision.objects.exists()
    assert group_names(elected_user) == {MEMBERS_GROUP, ROLE_GROUPS[Role.ELECTED]}


@pytest.mark.django_db
def test_staff_group_can_use_the_wagtail_admin_and_review_memberships():
    staff = Group.objects.get(name=ROLE_GROUPS[Role.STAFF])
    codenames = set(staff.permissions.values_list("codename", flat=True))
    assert {"access_admin", "review_membership"} <= codenames
    for role in (Role.ELECTED, Role.MANAGER, Role.PARTNER):
        assert not Group.objects.get(name=ROLE_GROUPS[role]).permissions.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("decide", [approve_member, refuse_member])
def test_two_staff_deciding_at_once_record_exactly_one_decision(staff_user, pending_user, decide):
    other_staff = make_member(Role.STAFF)
    outcomes = [
        "refused" if isinstance(outcome, MembershipError) else "done"
        for outcome in run_at_once(
            [lambda who=who: decide(pending_user, by=who) for who in (staff_user, other_staff)],
            refused=MembershipError,
            timeout=30,
        )
    ]

    assert sorted(outcomes) == ["done", "refused"]
    decision = MembershipDecision.objects.get(member=pending_user)
    pending_user.refresh_from_db()
    assert pending_user.membership_status == decision.status
    assert len(mail.outbox) == 1
