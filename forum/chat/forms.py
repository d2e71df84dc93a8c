from __future__ import annotations

from django import forms

from community.accounts.models import MembershipStatus, User

from .services import MAX_LENGTH


class MessageForm(forms.Form):
    # Length and emptiness are checked by the services, with the same messages as the
    # websocket; the browser's maxlength only spares a round trip.
    body = forms.CharField(
        label="Votre message",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_LENGTH}),
        help_text=f"Texte simple, {MAX_LENGTH} caractères au plus.",
    )


class DirectConversationForm(forms.Form):
    member = forms.ModelChoiceField(
        label="Écrire à un membre",
        queryset=User.objects.none(),
        empty_label="Choisissez un membre",
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = (
            User.objects.filter(membership_status=MembershipStatus.APPROVED, is_active=True)
            .exclude(pk=user.pk)
            .only("pk", "display_name")
        )
        self.fields["member"].label_from_instance = lambda member: member.display_name
