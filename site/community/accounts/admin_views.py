"""The back-office screen where staff approve or refuse membership applications."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from community.lib.admin_screens import AdminScreen
from community.lib.refusals import refusal_as_message

from .models import MembershipDecision, MembershipStatus, User
from .services import approve_member, refuse_member

REVIEW_PERMISSION = "accounts.review_membership"


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Motif du refus (envoyé au demandeur)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MembershipReviewView(AdminScreen):
    permission_required = REVIEW_PERMISSION
    template_name = "accounts/admin/membership_review.html"
    page_title = gettext_lazy("Adhésions")
    header_icon = "group"

    def get_context_data(self, **kwargs):
        pending = (
            User.objects.filter(membership_status=MembershipStatus.PENDING, is_active=True)
            .select_related("commune__department", "claimed_cafe__commune")
            .prefetch_related("claimed_cafe__managers", "emailaddress_set")
            .order_by("date_joined", "pk")
        )
        decisions = MembershipDecision.objects.select_related("member", "decided_by")[:50]
        return super().get_context_data(
            pending=pending, decisions=decisions, refusal_form=RefusalForm(), **kwargs
        )


@require_POST
@permission_required(REVIEW_PERMISSION, raise_exception=True)
def approve(request, member_id: int):
    member = get_object_or_404(User, pk=member_id)
    with refusal_as_message(request):
        approve_member(member, by=request.user)
        messages.success(
            request,
            _("Adhésion de %(name)s validée ; un e-mail lui a été envoyé.")
            % {"name": member.display_name},
        )
    return redirect("accounts_admin:review")


@require_POST
@permission_required(REVIEW_PERMISSION, raise_exception=True)
def refuse(request, member_id: int):
    member = get_object_or_404(User, pk=member_id)
    form = RefusalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Le motif ne doit pas dépasser 2 000 caractères."))
        return redirect("accounts_admin:review")
    with refusal_as_message(request):
        refuse_member(member, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            _("Demande de %(name)s refusée ; un e-mail lui a été envoyé.")
            % {"name": member.display_name},
        )
    return redirect("accounts_admin:review")
