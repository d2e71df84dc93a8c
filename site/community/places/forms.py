"""Form fields that find a commune or a café from what a person types.

They work without JavaScript: one types a name, a postal code or an INSEE code, and the
field resolves it or says precisely what to add. With JavaScript the input offers
suggestions from the autocomplete endpoints (static/js/autocomplete.js), whose labels are
exactly what these fields resolve.
"""

from __future__ import annotations

import re

from django import forms
from django.db.models import F, Q, QuerySet
from django.forms.widgets import Script
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from .models import INSEE_CODE_PATTERN, Cafe, Commune, ProximityService, Weekday
from .normalize import search_key, search_prefixes

LABEL_PATTERN = re.compile(r"^(?P<name>.+?)\s*\((?P<code>[0-9AB]{5})\)\s*$")
MAX_LISTED = 5
BY_SIZE = (F("population").desc(nulls_last=True), "name", "insee_code")


def find_communes(text: str) -> QuerySet[Commune]:
    """Communes matching a typed label, name, postal code or INSEE code (largest first)."""
    text = " ".join(text.split())
    communes = Commune.objects.select_related("department").order_by(*BY_SIZE)
    match = LABEL_PATTERN.match(text)
    if match:
        code = match["code"]
        return communes.filter(search_name=search_key(match["name"])).filter(
            Q(postal_codes__contains=code) | Q(insee_code=code)
        )
    if INSEE_CODE_PATTERN.match(text.upper()):
        by_insee = communes.filter(insee_code=text.upper())
        if by_insee.exists():
            return by_insee
    if re.fullmatch(r"\d{5}", text):
        return communes.filter(postal_codes__contains=text)
    return communes.filter(search_name=search_key(text))


def search_communes(text: str, limit: int = 10) -> list[Commune]:
    """Suggestions while typing: names starting with the text, or postal codes (digits)."""
    # A label picked earlier and then edited ("Albi (81000") searches by its name part.
    text = " ".join(text.split("(", 1)[0].split())
    if len(text) < 2:
        return []
    if text.isdigit():
        query = Q(postal_codes__startswith=text) | Q(postal_codes__contains=f" {text}")
    else:
        query = Q()
        for prefix in search_prefixes(text):
            query |= Q(search_name__prefix=prefix)
        if not query:
            return []
    communes = Commune.objects.select_related("department").filter(query)
    return list(communes.order_by(*BY_SIZE)[:limit])


class PlaceInput(forms.TextInput):
    """A text input that suggests places from an autocomplete endpoint (labels only)."""

    def __init__(self, url: str, attrs: dict | None = None):
        super().__init__(
            {
                "autocomplete": "off",
                "data-autocomplete-url": url,
                "spellcheck": "false",
                **(attrs or {}),
            }
        )

    class Media:
        css = {"all": ["css/autocomplete.css"]}
        js = [Script("js/autocomplete.js", defer=True)]


class PlaceField(forms.Field):
    """A place typed as text and resolved on the server; subclasses say how to find it."""

    model: type[Commune | Cafe]

    def find(self, text: str) -> QuerySet:
        raise NotImplementedError

    def to_python(self, value: object) -> Commune | Cafe | None:
        if isinstance(value, self.model):
            return value
        text = " ".join(str(value or "").split())
        if not text:
            return None
        found = list(self.find(text)[: MAX_LISTED + 1])
        if not found:
            raise forms.ValidationError(
                self.error_messages["not_found"], code="not_found", params={"text": text}
            )
        if len(found) > 1:
            listed = ", ".join(f"« {place.label} »" for place in found[:MAX_LISTED])
            raise forms.ValidationError(
                self.error_messages["ambiguous"],
                code="ambiguous",
                params={"text": text, "choices": listed, "example": found[0].label},
            )
        return found[0]

    def prepare_value(self, value: object) -> object:
        return value.label if isinstance(value, self.model) else value


class CommuneField(PlaceField):
    """A commune typed as its label "Name (postal code)", name, postal code or INSEE code."""

    model = Commune
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
        kwargs.setdefault("widget", PlaceInput(reverse_lazy("places:commune_autocomplete")))
        super().__init__(**kwargs)

    def find(self, text: str) -> QuerySet[Commune]:
        return find_communes(text)


class CommuneChoiceField(CommuneField):
    """CommuneField for a model form's ForeignKey (the Wagtail back office).

    The only difference: an unbound model form starts from the primary key (model_to_dict),
    which is shown as the commune's label. Submitted text is always resolved as typed, so an
    INSEE code like 81004 can never be mistaken for a primary key.
    """

    def prepare_value(self, value: object) -> object:
        if isinstance(value, int):
            value = Commune.objects.filter(pk=value).first()
        return super().prepare_value(value)


def cafes_matching(text: str) -> QuerySet[Cafe]:
    text = " ".join(text.split())
    cafes = Cafe.objects.select_related("commune")
    if " – " in text:
        name, commune = text.rsplit(" – ", 1)
        return cafes.filter(name__iexact=name.strip(), commune__name__iexact=commune.strip())
    return cafes.filter(name__iexact=text)


class CafeField(PlaceField):
    """A café typed as its label "Name – Commune" or its name."""

    model = Cafe
    default_error_messages = {
        "not_found": _(
            "Aucun café du réseau ne s'appelle « %(text)s ». Choisissez-le dans la liste, ou "
            "laissez ce champ vide et présentez votre café dans votre message."
        ),
        "ambiguous": _(
            "Plusieurs cafés s'appellent « %(text)s » : %(choices)s. Précisez la commune."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Café"))
        kwargs.setdefault("help_text", _("Tapez le nom du café, puis choisissez."))
        kwargs.setdefault("widget", PlaceInput(reverse_lazy("places:cafe_autocomplete")))
        super().__init__(**kwargs)

    def find(self, text: str) -> QuerySet[Cafe]:
        return cafes_matching(text)


# ---------------------------------------------------------------- the café's page, by its managers


class CafePageForm(forms.Form):
    description = forms.CharField(
        label=_("Présentation du café"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Ce que le café propose, ce qui s'y passe : 2 000 signes au plus."),
    )
    phone = forms.CharField(label=_("Téléphone"), required=False, max_length=20)
    services = forms.ModelMultipleChoiceField(
        label=_("Services de proximité"),
        queryset=ProximityService.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Il en manque un ? Écrivez à l'équipe du réseau, qui tient la liste."),
    )
    show_my_name = forms.BooleanField(
        label=_("Afficher mon nom sur la page du café"),
        required=False,
        help_text=_("Votre nom affiché, tel qu'il figure dans votre profil."),
    )

    def __init__(self, *args, manager: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not manager:  # staff give no consent on a manager's behalf
            del self.fields["show_my_name"]


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self) -> None:
        super().__init__(format="%H:%M")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class HoursForm(forms.Form):
    # A blank first choice, so that an unused row of the formset stays unchanged (skipped).
    weekday = forms.TypedChoiceField(
        label=_("Jour"), choices=[("", "—")] + Weekday.choices, coerce=int
    )
    opens = forms.TimeField(label=_("Ouverture"), widget=TimeInput())
    closes = forms.TimeField(label=_("Fermeture"), widget=TimeInput())


class ExceptionForm(forms.Form):
    label = forms.CharField(
        label=_("Intitulé"), max_length=120, help_text=_("Par exemple « Fermé le lundi l'hiver ».")
    )
    starts_on = forms.DateField(label=_("Du"), widget=DateInput())
    ends_on = forms.DateField(label=_("Au"), widget=DateInput())
    weekday = forms.TypedChoiceField(
        label=_("Seulement le"),
        choices=[("", _("tous les jours"))] + Weekday.choices,
        coerce=int,
        empty_value=None,
        required=False,
    )
    opens = forms.TimeField(
        label=_("Ouverture"),
        required=False,
        widget=TimeInput(),
        help_text=_("Vide : fermé."),
    )
    closes = forms.TimeField(label=_("Fermeture"), required=False, widget=TimeInput())


HoursFormSet = forms.formset_factory(HoursForm, extra=3, can_delete=True, max_num=21)
ExceptionFormSet = forms.formset_factory(ExceptionForm, extra=1, can_delete=True, max_num=20)


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"),
        help_text=_("JPEG, PNG ou WebP, 8 Mo au plus."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    alt_text = forms.CharField(
        label=_("Ce que montre la photo"),
        max_length=200,
        help_text=_("Lu aux personnes qui ne voient pas l'image, par exemple « La terrasse »."),
    )
