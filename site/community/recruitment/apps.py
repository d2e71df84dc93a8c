from __future__ import annotations

from django.apps import AppConfig


class RecruitmentConfig(AppConfig):
    name = "community.recruitment"
    label = "recruitment"
    verbose_name = "Offres de gérance"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from allauth.account.signals import user_signed_up

        from community.accounts.roles import STAFF_PERMISSIONS
        from community.accounts.services import member_approved

        from .services import link_invited_account, welcome_chosen_manager

        # The chosen candidate signs up through the invitation, then staff approve them:
        # the account is tied to the candidacy at sign-up, to the café and project at approval.
        user_signed_up.connect(
            lambda sender, request, user, **kwargs: link_invited_account(request, user),
            dispatch_uid="recruitment.link_invited_account",
            weak=False,
        )
        member_approved.connect(
            lambda sender, member, **kwargs: welcome_chosen_manager(member),
            dispatch_uid="recruitment.welcome_chosen_manager",
            weak=False,
        )

        # Staff list the offers in the admin (« Offres de gérance »).
        if (self.label, "view_joboffer") not in STAFF_PERMISSIONS:
            STAFF_PERMISSIONS.append((self.label, "view_joboffer"))
