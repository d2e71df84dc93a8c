from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from community.fragments import cached_fragment

from .decorators import member_required
from .forms import ProfileForm
from .mfa import has_authenticator_app, requires_mfa
from .models import MembershipStatus, Role, User


@member_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user

    # Only this member's own space: their role, commune and cafés (any change to one is a
    # write, which outdates it), and no form.
    def render_space() -> str:
        return render_to_string("accounts/_dashboard.html", {"user": user})

    parts = ("dashboard", user.pk, user.role, user.is_network_staff, user.commune_id)
    space = cached_fragment(request, parts, render_space)
    return render(request, "accounts/dashboard.html", {"dashboard": space})


@login_required
def mfa_required(request: HttpRequest) -> HttpResponse:
    """Where the admin sends staff who have no authenticator app yet: how to add one."""
    return render(
        request,
        "accounts/mfa_required.html",
        {
            "required": requires_mfa(request.user),
            "enrolled": has_authenticator_app(request.user),
        },
    )


@login_required
def membership_status(request: HttpRequest) -> HttpResponse:
    if request.user.is_approved_member:
        return redirect("accounts:dashboard")
    decision = request.user.decisions.first()
    return render(request, "accounts/membership_status.html", {"decision": decision})


@member_required
def member_directory(request: HttpRequest) -> HttpResponse:
    members = (
        User.objects.filter(membership_status=MembershipStatus.APPROVED, is_active=True)
        .select_related("commune__department")
        .prefetch_related("managed_cafes__commune")
        .order_by("display_name", "pk")
    )
    role = request.GET.get("role", "")
    if role in Role.values:
        members = members.filter(role=role)
    page = Paginator(members, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/member_directory.html",
        {"page": page, "roles": Role.choices, "selected_role": role},
    )


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("Votre profil est enregistré."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})
