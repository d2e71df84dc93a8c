from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect


def member_required(view):
    """Approved members only: others go to the login page or see their application status."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.is_approved_member:
            return redirect("accounts:membership_status")
        return view(request, *args, **kwargs)

    return wrapped
