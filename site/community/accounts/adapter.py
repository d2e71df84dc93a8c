from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.utils.translation import gettext_lazy as _

from community.mail import send_message_after_commit

from .mfa import requires_mfa
from .models import MembershipStatus


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # Shown while an address or an account is locked (settings' "login_failed" limits),
        # to the member too: the way out must be in the message.
        "too_many_login_attempts": _(
            "Trop de tentatives de connexion ont échoué : la connexion à ce compte est "
            "bloquée quelques minutes, plus longtemps si les échecs continuent. Pour la "
            "débloquer tout de suite, réinitialisez votre mot de passe (« Mot de passe "
            "oublié ? »)."
        ),
    }

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's e-mails (address confirmation, password reset, security notices) go
        through the task worker like every other: a slow or failing SMTP server never fails
        the request (it answered 500 in the production smoke test), and a failed send is
        retried."""
        message = self.render_mail(template_prefix, email, context)
        send_message_after_commit(message.subject, message.body, [email])

    def save_user(self, request, user, form, commit=True):
        data = form.cleaned_data
        user.display_name = data["display_name"].strip()
        user.role = data["role"]
        user.commune = data.get("commune")
        user.organisation = data.get("organisation", "").strip()
        user.application_note = data.get("application_note", "").strip()
        user.membership_status = MembershipStatus.PENDING
        # Only a claim: staff make the applicant a manager of the café when they approve the
        # membership (services.approve_member), never an unverified sign-up.
        user.claimed_cafe = data.get("cafe")
        return super().save_user(request, user, form, commit=commit)


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _(
            "Les membres de l'équipe ne peuvent pas désactiver la double authentification : "
            "elle protège l'administration du site."
        ),
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # Staff must keep the authenticator app the admin requires (middleware.py); they
        # could otherwise switch it off right after passing it.
        return authenticator.type != Authenticator.Type.TOTP or not requires_mfa(authenticator.user)
