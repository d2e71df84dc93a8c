"""Who may see a piece of content: the audiences every module filters by."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Role


class Audience(models.TextChoices):
    PUBLIC = "public", _("Tout public")
    MEMBERS = "members", _("Membres du réseau")
    ELECTED = "elected", _("Élu·es")
    MANAGERS = "managers", _("Gérant·es de café")


ROLE_AUDIENCE = {Role.ELECTED: Audience.ELECTED, Role.MANAGER: Audience.MANAGERS}


def audiences_for(user) -> set[str]:
    """Every audience whose content the user may see; staff see everything."""
    if not (user.is_authenticated and user.is_approved_member):
        return {Audience.PUBLIC}
    if user.role == Role.STAFF:
        return set(Audience.values)
    audiences = {Audience.PUBLIC, Audience.MEMBERS}
    if user.role in ROLE_AUDIENCE:
        audiences.add(ROLE_AUDIENCE[user.role])
    return audiences


def can_see(user, audience: str) -> bool:
    return audience in audiences_for(user)
