"""Form fields that find a commune or a café from what a person types.

They work without JavaScript: one types a name, a postal code or an INSEE code, and the
field resolves it or says precisely what to add. With JavaScript the input offers
suggestions from the autocomplete endpoints (static/js/autocomplete.js), whose labels are
exactly what these fields resolve.
"""

from __future__ import annotations

import re

from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from .models import INSEE_CODE_PATTERN, Cafe, Commune

LABEL_PATTERN = re.compile(r"^(?P<name>.+?)\s*\((?P<code>[0-9AB]{5})\)\s*$")
MAX_LISTED = 5


def find_communes(text: str) -> QuerySet[Commune]:
    """Communes matching a typed label, name, postal code or INSEE code (best first)."""
    text = " ".join(text.split())
    match = LABEL_PATTERN.match(text)
    communes = Commune.objects.select_related("department")
    if match:
        name, code = match["name"], match["code"]
        return communes.filter(name__iexact=name).filter(
            Q(postal_codes__contains=code) | Q(insee_code=code)
        )
    if re.fullmatch(r"\d{5}", text) or INSEE_CODE_PATTERN.match(text.upper()):
        by_insee = communes.filter(insee_code=text.upper())
        if by_insee.exists():
            return by_insee
        return communes.filter(postal_codes__contains=text)
    return communes.filter(name__iexact=text)


def search_communes(text: str, limit: int = 10) -> list[Commune]:
    """Suggestions while typing: names starting with the text, or by postal code."""
    text = " ".join(text.split())
    if len(text) < 2:
        return []
    communes = Commune.objects.select_related("department")
    if text.isdigit():
        found = communes.filter(postal_codes__contains=text)
    else:
        found = communes.filter(name__istartswith=text)
    return list(found.order_by("-population", "name")[:limit])


class PlaceInput(forms.TextInput):
    """A text input that suggests places from an autocomplete endpoint."""

    def __init__(self, url: str, attrs: dict | None = None):
        super().__init__(
            {
                "autocomplete": "off",
                "data-autocomplete-url": url,
                "spellcheck": "false",
                **(attrs or {}),
            }
        )

    def format_value(self, value):
        if isinstance(value, Commune | Cafe):
            return value.label
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            model = self.attrs.get("data-model")
            if model == "cafe":
                place = Cafe.objects.select_related("commune").filter(pk=value).first()
            else:
                place = Commune.objects.filter(pk=value).first()
            return place.label if place else value
        return super().format_value(value)

    class Media:
        js = ["js/autocomplete.js"]


class CommuneField(forms.Field):
    default_error_messages = {
        "not_found": _(
            "Aucune commune ne correspond à « %(text)s ». Tapez le nom exact ou le code postal."
        ),
        "ambiguous": _(
            "Plusieurs communes correspondent à « %(text)s » : %(choices)s. "
            "Précisez le code postal, par exemple « %(example)s »."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Commune"))
        kwargs.setdefault(
            "help_text", _("Tapez le nom de la commune ou son code postal, puis choisissez.")
        )
        kwargs.setdefault(
            "widget",
            PlaceInput(reverse_lazy("places:commune_autocomplete"), {"data-model": "commune"}),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, Commune):
            return value
        text = " ".join(str(value or "").split())
        if not text:
            return None
        found = list(find_communes(text)[: MAX_LISTED + 1])
        if not found:
            raise forms.ValidationError(
                self.error_messages["not_found"], code="not_found", params={"text": text}
            )
        if len(found) > 1:
            listed = ", ".join(f"« {commune.label} »" for commune in found[:MAX_LISTED])
            raise forms.ValidationError(
                self.error_messages["ambiguous"],
                code="ambiguous",
                params={"text": text, "choices": listed, "example": found[0].label},
            )
        return found[0]

    def prepare_value(self, value):
        return value.label if isinstance(value, Commune) else value


class CommuneChoiceField(forms.ModelChoiceField):
    """CommuneField for model forms (Wagtail back office): same input, a ForeignKey value."""

    widget = PlaceInput(reverse_lazy("places:commune_autocomplete"), {"data-model": "commune"})

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Commune.objects.all())
        kwargs.setdefault(
            "help_text", _("Tapez le nom de la commune ou son code postal, puis choisissez.")
        )
        super().__init__(**kwargs)
        self._resolver = CommuneField(required=self.required)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            commune = Commune.objects.filter(pk=value).first()
            if commune is not None and not INSEE_CODE_PATTERN.match(str(value)):
                return commune
        return self._resolver.to_python(value)


def cafes_matching(text: str) -> QuerySet[Cafe]:
    text = " ".join(text.split())
    cafes = Cafe.objects.select_related("commune")
    if " – " in text:
        name, commune = text.rsplit(" – ", 1)
        return cafes.filter(name__iexact=name.strip(), commune__name__iexact=commune.strip())
    return cafes.filter(name__iexact=text)


class CafeField(forms.Field):
    default_error_messages = {
        "not_found": _(
            "Aucun café du réseau ne s'appelle « %(text)s ». Choisissez-le dans la liste, ou "
            "laissez ce champ vide et présentez votre café dans votre message."
        ),
        "ambiguous": _("Plusieurs cafés s'appellent « %(text)s » : %(choices)s. Précisez la commune."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Café"))
        kwargs.setdefault("help_text", _("Tapez le nom du café, puis choisissez."))
        kwargs.setdefault(
            "widget", PlaceInput(reverse_lazy("places:cafe_autocomplete"), {"data-model": "cafe"})
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, Cafe):
            return value
        text = " ".join(str(value or "").split())
        if not text:
            return None
        found = list(cafes_matching(text)[: MAX_LISTED + 1])
        if not found:
            raise forms.ValidationError(
                self.error_messages["not_found"], code="not_found", params={"text": text}
            )
        if len(found) > 1:
            listed = ", ".join(f"« {cafe.label} »" for cafe in found[:MAX_LISTED])
            raise forms.ValidationError(
                self.error_messages["ambiguous"],
                code="ambiguous",
                params={"text": text, "choices": listed},
            )
        return found[0]

    def prepare_value(self, value):
        return value.label if isinstance(value, Cafe) else value
