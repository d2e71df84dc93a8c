from __future__ import annotations

from django import forms

from .models import EmailFrequency
from .services import REPORT_REASON_MAX


class ReportForm(forms.Form):
    reason = forms.CharField(
        label="Qu'est-ce qui pose problème ?",
        help_text="Propos injurieux, données personnelles, publicité… L'équipe lira votre motif.",
        max_length=REPORT_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Dites en quelques mots ce qui pose problème."},
    )


class PreferencesForm(forms.Form):
    email_frequency = forms.ChoiceField(
        label="E-mails pour les sujets et forums que vous suivez",
        choices=EmailFrequency.choices,
        widget=forms.RadioSelect,
    )
