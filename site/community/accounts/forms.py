from __future__ import annotations

from allauth.account.forms import SignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from community.places.forms import CafeField, CommuneField

from .avatars import normalized_avatar
from .models import SIGNUP_ROLES, Role, User


class MemberSignupForm(SignupForm):
    """allauth's sign-up plus what staff need to decide on the membership."""

    display_name = forms.CharField(
        label=_("Nom affiché"),
        max_length=80,
        help_text=_("Prénom et nom, tels que les autres membres les verront."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    role = forms.ChoiceField(label=_("Vous êtes"), choices=SIGNUP_ROLES, widget=forms.RadioSelect)
    commune = CommuneField(required=False)
    cafe = CafeField(
        required=False,
        label=_("Votre café (gérant·es)"),
        help_text=_("Laissez vide si votre café n'est pas encore accompagné par le réseau."),
    )
    organisation = forms.CharField(
        label=_("Votre structure (partenaires)"), max_length=150, required=False
    )
    application_note = forms.CharField(
        label=_("Présentez-vous en quelques mots"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    field_order = [
        "display_name",
        "email",
        "password1",
        "password2",
        "role",
        "commune",
        "cafe",
        "organisation",
        "application_note",
    ]

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        commune = cleaned.get("commune")
        cafe = cleaned.get("cafe")
        if role == Role.MANAGER and cafe is not None:
            if commune is None:
                cleaned["commune"] = commune = cafe.commune
            elif cafe.commune_id != commune.pk:
                self.add_error(
                    "cafe",
                    _("Ce café se trouve à %(commune)s, pas dans la commune indiquée.")
                    % {"commune": cafe.commune.name},
                )
        if (
            role in (Role.ELECTED, Role.MANAGER)
            and commune is None
            and "commune" not in self.errors
        ):
            self.add_error("commune", _("Indiquez votre commune."))
        if role == Role.PARTNER and not cleaned.get("organisation"):
            self.add_error("organisation", _("Indiquez le nom de votre structure."))
        if role != Role.MANAGER:
            cleaned["cafe"] = None
        return cleaned


class ProfileForm(forms.ModelForm):
    # A FileField, not an ImageField: our own checks give precise French messages for
    # decompression bombs and oversized pictures instead of Django's generic one.
    avatar = forms.FileField(
        label=_("Photo de profil"),
        required=False,
        help_text=_("JPEG, PNG, GIF ou WebP, 2 Mo au plus. Elle sera recadrée en carré."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}
        ),
    )

    class Meta:
        model = User
        fields = ["display_name", "avatar"]

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        if avatar and avatar is not self.instance.avatar and hasattr(avatar, "content_type"):
            return normalized_avatar(avatar)
        return avatar
