from __future__ import annotations

from functools import partial

from allauth.account.models import EmailAddress
from django.contrib.auth.middleware import auser, get_user
from django.shortcuts import redirect
from django.utils.functional import SimpleLazyObject

from .mfa import has_authenticator_app, requires_mfa


class AuthenticationMiddleware:
    """Django's, except that once loaded the member is `request.user` itself rather than
    behind the lazy proxy: each read through the proxy costs a microsecond, and a forum
    page reads it more than a hundred times (templates, permission checks)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        def load():
            request.user = get_user(request)
            return request.user

        request.user = SimpleLazyObject(load)
        request.auser = partial(auser, request)
        return self.get_response(request)


class AdminRequiresMembershipMiddleware:
    """Keep the Wagtail admin for approved members with a verified e-mail address, signed
    in with a second factor.

    Permissions already come only with approval (see roles.py); this also covers
    superusers, whom Django grants every permission regardless of groups.
    """

    prefix = "/admin/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if request.path.startswith(self.prefix) and user.is_authenticated:
            if not (
                user.is_approved_member
                and EmailAddress.objects.filter(user=user, verified=True).exists()
            ):
                return redirect("accounts:membership_status")
            if requires_mfa(user) and not has_authenticator_app(user):
                return redirect("accounts:mfa_required")
        return self.get_response(request)
