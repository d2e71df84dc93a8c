"""Who must sign in with a second factor, and whether they can."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled


def requires_mfa(user) -> bool:
    """Every account that may enter the Wagtail admin (staff, superusers) needs an
    authenticator app before it does."""
    return user.is_authenticated and user.has_perm("wagtailadmin.access_admin")


def has_authenticator_app(user) -> bool:
    """Signing in asks such accounts for a code, so a session of theirs has passed it."""
    return is_mfa_enabled(user, [Authenticator.Type.TOTP])
