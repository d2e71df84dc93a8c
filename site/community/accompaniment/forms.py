"""The public application form of a commune, and the forms of the project space."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from community.lib.public_forms import PublicForm
from community.places.forms import CommuneField
from community.places.models import Stage

from .models import (
    Applicant,
    ApplicantFunction,
    Application,
    Premises,
    Prestation,
    ProjectAccess,
    ProjectMessage,
    Situation,
)
from .services import AccompanimentError
from .services.applications import ApplicationForm, check_commune_may_apply


class CommuneApplicationForm(PublicForm):
    commune = CommuneField(
        help_text=_("Tapez le nom de votre commune ou son code postal, puis choisissez.")
    )
    name = forms.CharField(
        label=Applicant._meta.get_field("name").verbose_name.capitalize(),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    function = forms.ChoiceField(
        label=_("Votre fonction à la mairie"),
        choices=ApplicantFunction.choices,
        widget=forms.RadioSelect,
    )
    phone = forms.CharField(
        label=_("Téléphone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    situation = forms.ChoiceField(
        label=_("La situation du café dans votre commune"),
        choices=Situation.choices,
        widget=forms.RadioSelect,
    )
    premises = forms.ChoiceField(
        label=_("La commune dispose-t-elle d'un local pour le café ?"),
        choices=Premises.choices,
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label=_("Votre projet en quelques lignes"),
        max_length=Application._meta.get_field("description").max_length,
        help_text=_("Ce que vous imaginez, où en est la réflexion au conseil, vos questions."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    heard_from = forms.CharField(
        label=_("Comment avez-vous connu le réseau 1000 cafés ?"),
        max_length=255,
        required=False,
    )
    field_order = ["commune", "name", "function", "email"]
    too_large = False

    def clean_commune(self):
        commune = self.cleaned_data["commune"]
        try:
            check_commune_may_apply(commune)
        except AccompanimentError as error:
            self.too_large = not commune.is_rural_target
            raise forms.ValidationError(str(error)) from error
        return commune

    def application(self) -> ApplicationForm:
        data = self.cleaned_data
        return ApplicationForm(
            commune=data["commune"],
            name=data["name"].strip(),
            function=data["function"],
            email=data["email"],
            phone=data["phone"].strip(),
            situation=data["situation"],
            premises=data["premises"],
            description=data["description"].strip(),
            heard_from=data["heard_from"].strip(),
        )


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Nouvelle étape"), choices=Stage.choices)
    entered_on = forms.DateField(
        label=_("Entrée le"),
        required=False,
        help_text=_("Aujourd'hui si vide."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        help_text=_("Obligatoire pour revenir à une étape antérieure : dites pourquoi."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    cafe_name = forms.CharField(
        label=_("Nom du café (à l'ouverture)"),
        required=False,
        max_length=150,
        help_text=_("L'ouverture ajoute le café à la carte du réseau."),
    )


class PrestationForm(forms.ModelForm):
    class Meta:
        model = Prestation
        fields = ["date", "kind", "duration_hours", "note"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Votre message"),
        max_length=ProjectMessage._meta.get_field("body").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=255)
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_(
            "PDF, traitement de texte, tableur (Word, Excel, LibreOffice) ou image ; 20 Mo au plus."
        ),
    )


class MemberForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse e-mail du membre"),
        help_text=_("Un·e élu·e de la commune ou le gérant, la gérante recruté·e, déjà membre."),
    )
    access = forms.ChoiceField(label=_("Accès"), choices=ProjectAccess.choices)

    def clean_email(self):
        from community.accounts.models import User

        email = self.cleaned_data["email"]
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(
                _(
                    "Aucun membre du réseau n'a l'adresse %(email)s : invitez cette personne à "
                    "adhérer."
                )
                % {"email": email}
            )
        return user


class ChecklistItemForm(forms.Form):
    done = forms.TypedChoiceField(
        choices=[("1", _("faite")), ("0", _("à faire"))], coerce=lambda value: value == "1"
    )


class MapVisibilityForm(forms.Form):
    public = forms.TypedChoiceField(
        choices=[("1", _("montrer")), ("0", _("ne pas montrer"))], coerce=lambda value: value == "1"
    )


class TransferForm(forms.Form):
    new_team = forms.ModelMultipleChoiceField(
        label=_("Élu·es de la nouvelle équipe"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )
    previous_keep_read = forms.TypedChoiceField(
        label=_("L'équipe précédente"),
        choices=[("1", _("garde un accès en lecture")), ("0", _("perd l'accès"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, project, **kwargs):
        from community.accounts.models import Role, User

        super().__init__(*args, **kwargs)
        self.fields["new_team"].queryset = User.objects.reachable().filter(
            role=Role.ELECTED, commune=project.commune_id
        )
        self.fields["new_team"].label_from_instance = lambda user: (
            f"{user.display_name} ({user.email})"
        )
