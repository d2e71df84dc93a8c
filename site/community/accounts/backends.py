"""How the signed-in member is loaded on each request."""

from __future__ import annotations

from functools import cache

from allauth.account.auth_backends import AuthenticationBackend
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest

from .models import User


@cache
def _select_by_pk() -> str:
    """The member's row by id, written once from the model: the ORM compiles `get(pk=…)`
    anew on each request, about 60 % of what loading a member costs (bench/inprocess.py)."""
    quote = connection.ops.quote_name
    meta = User._meta
    columns = ", ".join(quote(field.column) for field in meta.concrete_fields)
    # Names from the model, the id a parameter.
    return f"SELECT {columns} FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} = %s"


class MemberBackend(AuthenticationBackend):
    """allauth's backend (e-mail login), with the member loaded by one prepared query.

    Sessions opened under allauth's own backend still name it, so it stays listed after
    this one in AUTHENTICATION_BACKENDS: nobody is signed out when this one is deployed.
    """

    def authenticate(self, request: HttpRequest | None, **credentials: object) -> User | None:
        user = super().authenticate(request, **credentials)
        if user is None:
            # Ends Django's loop over the backends: allauth's, listed after for old sessions
            # only, would check the same credentials again and double a failed login's cost.
            raise PermissionDenied
        return user

    def get_user(self, user_id: object) -> User | None:
        # The id comes from the session, already converted by django.contrib.auth.
        user = next(iter(User._default_manager.raw(_select_by_pk(), [user_id])), None)
        return user if user is not None and self.user_can_authenticate(user) else None
