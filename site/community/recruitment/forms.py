"""The public application form and the publishing form of an offer."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from community.lib.public_forms import PublicForm
from community.places.forms import CafeField
from community.places.models import Region

from .models import Candidacy, ContractType, JobOffer
from .services import MAX_CV_BYTES, CandidacyDetails, OfferDetails, validate_cv


def _max_length(model, field: str) -> int:
    return model._meta.get_field(field).max_length


class OfferFilterForm(forms.Form):
    """The public list's filters (a GET form that works without JavaScript)."""

    region = forms.ModelChoiceField(
        label=_("Région"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("Toutes les régions"),
    )
    contract_type = forms.ChoiceField(
        label=_("Contrat"),
        choices=[("", _("Tous les contrats")), *ContractType.choices],
        required=False,
    )
    housing = forms.BooleanField(label=_("Avec logement"), required=False)

    def filter(self, offers: QuerySet[JobOffer]) -> QuerySet[JobOffer]:
        if not self.is_valid():
            return offers
        data = self.cleaned_data
        if region := data["region"]:
            offers = offers.filter(
                Q(project__commune__department__region=region)
                | Q(cafe__commune__department__region=region)
            )
        if data["contract_type"]:
            offers = offers.filter(contract_type=data["contract_type"])
        if data["housing"]:
            offers = offers.filter(housing=True)
        return offers


class CandidacyForm(PublicForm):
    name = forms.CharField(
        label=_("Nom et prénom"),
        max_length=_max_length(Candidacy, "name"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Téléphone"),
        max_length=_max_length(Candidacy, "phone"),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    message = forms.CharField(
        label=_("Votre motivation"),
        max_length=_max_length(Candidacy, "message"),
        help_text=_("Votre parcours, ce qui vous attire dans ce café et ce village."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    cv = forms.FileField(
        label=_("Votre CV"),
        help_text=_("Un fichier PDF de %(max)s Mo au plus.") % {"max": MAX_CV_BYTES // 2**20},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    field_order = ["name", "email"]

    def clean_cv(self):
        cv = self.cleaned_data["cv"]
        validate_cv(cv)
        return cv

    def details(self) -> CandidacyDetails:
        data = self.cleaned_data
        return CandidacyDetails(
            name=data["name"].strip(),
            email=data["email"],
            phone=data["phone"].strip(),
            message=data["message"].strip(),
            cv=data["cv"],
        )


class OfferForm(forms.Form):
    title = forms.CharField(
        label=_("Intitulé"),
        max_length=_max_length(JobOffer, "title"),
        help_text=_("Par exemple : « Gérant·e du café-épicerie de la place »."),
    )
    contract_type = forms.ChoiceField(label=_("Type de contrat"), choices=ContractType.choices)
    description = forms.CharField(
        label=_("Description"),
        max_length=_max_length(JobOffer, "description"),
        help_text=_(
            "Le lieu, le village, les services attendus (épicerie, dépôt de pain…), le loyer ou "
            "la rémunération, le profil recherché."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    starts_on = forms.DateField(
        label=_("Prise de poste"), widget=forms.DateInput(attrs={"type": "date"})
    )
    closes_on = forms.DateField(
        label=_("Candidatures jusqu'au"), widget=forms.DateInput(attrs={"type": "date"})
    )
    housing = forms.BooleanField(label=_("Un logement est proposé"), required=False)
    housing_description = forms.CharField(
        label=_("Le logement"),
        max_length=_max_length(JobOffer, "housing_description"),
        required=False,
        help_text=_("Surface, loyer, situation (à l'étage du café…)."),
    )

    def details(self) -> OfferDetails:
        data = self.cleaned_data
        return OfferDetails(
            title=" ".join(data["title"].split()),
            contract_type=data["contract_type"],
            starts_on=data["starts_on"],
            housing=data["housing"],
            housing_description=data["housing_description"],
            description=data["description"].strip(),
            closes_on=data["closes_on"],
        )


class CafeOfferForm(OfferForm):
    """Staff, or a commune's elected members, publish for a café of the network."""

    cafe = CafeField(label=_("Le café qui cherche son gérant ou sa gérante"))

    field_order = ["cafe"]
