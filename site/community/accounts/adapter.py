from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.db import transaction

from .models import MembershipStatus


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        data = form.cleaned_data
        user.display_name = data["display_name"].strip()
        user.role = data["role"]
        user.commune = data.get("commune")
        user.organisation = data.get("organisation", "").strip()
        user.application_note = data.get("application_note", "").strip()
        user.membership_status = MembershipStatus.PENDING
        with transaction.atomic():
            user = super().save_user(request, user, form, commit=commit)
            if commit and data.get("cafe") is not None:
                data["cafe"].managers.add(user)
        return user
