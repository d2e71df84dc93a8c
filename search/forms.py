"""Validation of the search parameters, shared by the page and the API."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from community.lib import searchable

from .query import MAX_PAGE

MAX_QUERY = 200


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Rechercher dans les ressources du réseau"),
        max_length=MAX_QUERY,
        required=False,
        strip=True,
        error_messages={"max_length": _("La recherche est limitée à %(limit_value)d caractères.")},
    )
    type = forms.CharField(required=False, max_length=40)
    theme = forms.CharField(required=False, max_length=100)
    audience = forms.CharField(required=False, max_length=40)
    page = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PAGE,
        error_messages={
            "invalid": _("Le numéro de page doit être un nombre entier."),
            "min_value": _("Le numéro de page commence à 1."),
            "max_value": _("Le numéro de page ne peut dépasser %(limit_value)s."),
        },
    )

    def clean_type(self) -> str:
        value = self.cleaned_data["type"]
        if value and value not in searchable.groups():
            known = ", ".join(sorted(searchable.groups()))
            raise forms.ValidationError(
                _("Type inconnu « %(value)s » : choisissez parmi %(known)s."),
                params={"value": value, "known": known},
            )
        return value

    def clean_page(self) -> int:
        return self.cleaned_data["page"] or 1

    def first_error(self) -> str:
        for errors in self.errors.values():
            return str(errors[0])
        return ""
