"""Membership: the writes that change who belongs to the network."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from community.lib.refusals import DomainError
from community.mail import send_email_after_commit

from .models import MembershipDecision, MembershipStatus, Role, User
from .roles import sync_role_groups

# Sent inside approve_member's transaction, so what modules do on it commits with it.
member_approved = Signal()


class MembershipError(DomainError):
    """A membership action that cannot be done; the message is shown to the user."""


def _lock_member(member_id: int) -> User:
    return User.objects.select_for_update().get(pk=member_id)


def _check_reviewer(reviewer: User) -> None:
    if not (reviewer.is_approved_member and reviewer.has_perm("accounts.review_membership")):
        raise MembershipError(_("Seule l'équipe du réseau peut examiner les adhésions."))


@transaction.atomic
def approve_member(member: User, *, by: User) -> MembershipDecision:
    _check_reviewer(by)
    member = _lock_member(member.pk)
    if member.membership_status == MembershipStatus.APPROVED:
        raise MembershipError(
            _("L'adhésion de %(name)s est déjà validée.") % {"name": member.display_name}
        )
    member.membership_status = MembershipStatus.APPROVED
    if member.claimed_cafe_id is not None and member.role == Role.MANAGER:
        member.claimed_cafe.managers.add(member)
    member.claimed_cafe = None
    member.save(update_fields=["membership_status", "claimed_cafe"])
    sync_role_groups(member)
    decision = MembershipDecision.objects.create(
        member=member, status=MembershipStatus.APPROVED, decided_by=by, decided_at=timezone.now()
    )
    member_approved.send(sender=User, member=member)
    send_email_after_commit("membership_approved", [member.email], {"member": member})
    return decision


@transaction.atomic
def refuse_member(member: User, *, by: User, reason: str = "") -> MembershipDecision:
    _check_reviewer(by)
    member = _lock_member(member.pk)
    if member.membership_status != MembershipStatus.PENDING:
        raise MembershipError(
            _("La demande de %(name)s a déjà été traitée.") % {"name": member.display_name}
        )
    if member.pk == by.pk:
        raise MembershipError(_("Vous ne pouvez pas refuser votre propre adhésion."))
    member.membership_status = MembershipStatus.REFUSED
    # The claim goes with the application: a later approval must not make them its manager.
    member.claimed_cafe = None
    member.save(update_fields=["membership_status", "claimed_cafe"])
    sync_role_groups(member)
    decision = MembershipDecision.objects.create(
        member=member,
        status=MembershipStatus.REFUSED,
        decided_by=by,
        decided_at=timezone.now(),
        reason=reason.strip(),
    )
    send_email_after_commit(
        "membership_refused", [member.email], {"member": member, "reason": decision.reason}
    )
    return decision


def notify_reviewers_of_application(member: User) -> None:
    """Tell staff that an applicant confirmed their address and awaits a decision."""
    if not member.is_pending_member:
        return
    if reviewers := User.objects.network_staff().emails():
        send_email_after_commit("membership_application", reviewers, {"member": member})
