"""Forms of the events pages: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.lib.formats import euros, french_datetime
from community.places.forms import CommuneField
from community.places.models import Cafe, Department

from .models import (
    DEFAULT_START,
    GUINGUETTE_HOLDING,
    AnimationKind,
    Booking,
    BookingState,
    Fund,
    GuinguetteVehicle,
    GuinguetteVisit,
    Provider,
)
from .permissions import managed_cafes
from .services import MAX_PARTICIPANTS


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault(
            "widget", MultipleImageInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleImageField, self).clean(f, initial) for f in files if f]


def expected_audience_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Public attendu (nombre de personnes)"),
        required=False,
        min_value=1,
        max_value=MAX_PARTICIPANTS,
    )


def notes_for_the_team(help_text: str) -> forms.CharField:
    """What a café or a commune adds to its request (an animation, a Guinguette evening)."""
    return forms.CharField(
        label=_("Précisions pour l'équipe"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=help_text,
    )


class BookingRequestForm(forms.Form):
    cafe = forms.ModelChoiceField(label=_("Café"), queryset=Cafe.objects.none(), empty_label=None)
    kind = forms.ModelChoiceField(
        label=_("Animation"),
        queryset=AnimationKind.objects.filter(is_bookable=True),
        empty_label=_("Choisissez une animation"),
    )
    preferred_1 = forms.DateTimeField(label=_("Date et heure souhaitées"), widget=DateTimeInput())
    preferred_2 = forms.DateTimeField(
        label=_("Autre date possible"), required=False, widget=DateTimeInput()
    )
    preferred_3 = forms.DateTimeField(
        label=_("Troisième date possible"), required=False, widget=DateTimeInput()
    )
    expected_audience = expected_audience_field()
    notes = notes_for_the_team(_("Salle, public visé, matériel disponible, partenaires locaux…"))
    is_public = forms.BooleanField(
        label=_("Annoncer l'animation dans l'agenda public une fois confirmée"), required=False
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cafe"].queryset = managed_cafes(user)

    @property
    def preferred_dates(self) -> list:
        data = self.cleaned_data
        return [data[f] for f in ("preferred_1", "preferred_2", "preferred_3") if data.get(f)]


class ScheduleForm(forms.Form):
    """Staff give the booking its date (one of the café's, or another) and its provider."""

    starts_at = forms.DateTimeField(label=_("Date et heure"), widget=DateTimeInput())
    provider = forms.ModelChoiceField(
        label=_("Prestataire"), queryset=Provider.objects.none(), required=False
    )
    note = forms.CharField(
        label=_("Message au café"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, booking: Booking, confirm: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = booking.kind.providers.all()
        if confirm:
            self.fields["starts_at"] = forms.TypedChoiceField(
                label=_("Date demandée à confirmer"),
                choices=[
                    (timezone.localtime(d).isoformat(), french_datetime(d))
                    for d in booking.preferred_dates
                ],
                coerce=lambda value: forms.DateTimeField().to_python(value),
                widget=forms.RadioSelect,
            )
        else:
            self.fields["starts_at"].label = _("Date et heure proposées")


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ParticipantsForm(forms.Form):
    """The bilan of a Guinguette evening; an animation's (ReportForm) adds photos and a note."""

    participants = forms.IntegerField(
        label=_("Nombre de participants"), min_value=0, max_value=MAX_PARTICIPANTS
    )


class ReportForm(ParticipantsForm):
    photos = MultipleImageField(
        label=_("Photos (facultatif)"),
        required=False,
        help_text=_("JPEG, PNG ou WebP, 5 Mo au plus chacune."),
    )
    caption = forms.CharField(
        label=_("Description des photos"),
        required=False,
        max_length=200,
        help_text=_("Ce que montrent les photos, pour les personnes qui ne les voient pas."),
    )
    note = forms.CharField(
        label=_("Comment cela s'est-il passé ?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FundChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Fund) -> str:
        return f"{obj} – {obj.funder} (reste {euros(obj.remaining)})"


class ClaimForm(forms.Form):
    fund = FundChoiceField(label=_("Fonds"), queryset=Fund.objects.none(), empty_label=None)
    amount = forms.DecimalField(
        label=_("Montant demandé (€)"),
        min_value=0.01,
        max_digits=10,
        decimal_places=2,
        localize=True,
    )
    invoice = forms.FileField(
        label=_("Facture"),
        help_text=_("PDF ou photo de la facture (JPEG, PNG, WebP), 5 Mo au plus."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"}
        ),
    )

    def __init__(self, *args, booking: Booking, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        year = timezone.localtime(booking.starts_at).year if booking.starts_at else None
        self.fields["fund"].queryset = (
            Fund.objects.with_totals()
            .select_related("funder")
            .reaching(booking.cafe)
            .filter(pk__in=booking.kind.funds.values("pk"), year=year)
        )


class DecisionForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Montant accordé (€)"),
        required=False,
        localize=True,
        min_value=0.01,
        max_digits=10,
        decimal_places=2,
    )
    note = forms.CharField(
        label=_("Message au café"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, approving: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Granting needs an amount; refusing does not.
        self.fields["amount"].required = approving
        self.fields["amount"].error_messages["required"] = _("Indiquez le montant accordé.")


class BookingFilterForm(forms.Form):
    """Staff filters on the bookings list; every field optional."""

    state = forms.ChoiceField(
        label=_("État"), required=False, choices=[("", _("Tous"))] + BookingState.choices
    )
    kind = forms.ModelChoiceField(
        label=_("Animation"),
        required=False,
        queryset=AnimationKind.objects.all(),
        empty_label=_("Toutes"),
    )
    department = forms.ModelChoiceField(
        label=_("Département"),
        required=False,
        queryset=Department.objects.filter(communes__cafes__bookings__isnull=False).distinct(),
        empty_label=_("Tous"),
    )
    date_from = forms.DateField(
        label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def filter(self, bookings):
        if not self.is_valid():
            return bookings.none()
        data = self.cleaned_data
        if data["state"]:
            bookings = bookings.filter(state=data["state"])
        if data["kind"]:
            bookings = bookings.filter(kind=data["kind"])
        if data["department"]:
            bookings = bookings.filter(cafe__commune__department=data["department"])
        # Undated requests are matched on the first date the café asked for.
        bookings = bookings.annotate(day=Coalesce("starts_at", "preferred_1"))
        if data["date_from"]:
            bookings = bookings.filter(day__date__gte=data["date_from"])
        if data["date_to"]:
            bookings = bookings.filter(day__date__lte=data["date_to"])
        return bookings


class HostApplicationForm(forms.Form):
    cafe = forms.ModelChoiceField(label=_("Café"), queryset=Cafe.objects.none(), empty_label=None)
    preferred_dates = forms.CharField(
        label=_("Dates possibles"),
        max_length=300,
        help_text=_("Par exemple « les samedis de juillet, ou le 14 août »."),
    )
    message = forms.CharField(
        label=_("Message à l'équipe"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Lieu en plein air, salle de repli en cas de pluie, associations partenaires…"),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cafe"].queryset = managed_cafes(user)


class TourStopForm(forms.Form):
    cafe = forms.ModelChoiceField(
        label=_("Café"), queryset=Cafe.objects.select_related("commune"), empty_label=None
    )
    starts_at = forms.DateTimeField(label=_("Date et heure"), widget=DateTimeInput())
    show = forms.CharField(label=_("Spectacle ou film"), max_length=200)
    provider = forms.ModelChoiceField(
        label=_("Prestataire"), queryset=Provider.objects.none(), required=False
    )
    application = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, tour, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = tour.kind.providers.all()


class GuinguetteRequestForm(forms.Form):
    day = forms.DateField(label=_("Date souhaitée"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("Heure d'arrivée"),
        required=False,
        initial=DEFAULT_START,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("La Guinguette reste environ cinq heures."),
    )
    place = forms.CharField(
        label=_("Lieu"),
        max_length=200,
        help_text=_("Place du village, salle des fêtes, pré communal…"),
    )
    expected_audience = expected_audience_field()
    notes = notes_for_the_team(
        _("Associations qui s'associent à la soirée, électricité, repli en cas de pluie…")
    )
    programme = forms.CharField(
        label=_("Programme de la soirée"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Annoncé dans l'agenda public et la recherche du site : concert, bal, jeux pour "
            "les enfants… Vous pourrez le préciser avec l'équipe."
        ),
    )


class StaffGuinguetteForm(GuinguetteRequestForm):
    """Staff request an evening on a commune's behalf (any commune, with or without a café
    or members), and confirm it at once by choosing a vehicle, or leave it pending."""

    commune = CommuneField()
    vehicle = forms.ModelChoiceField(
        label=_("Véhicule"),
        queryset=GuinguetteVehicle.objects.filter(is_active=True),
        required=False,
        empty_label=_("Aucun pour l'instant : la demande reste à traiter"),
        help_text=_("Choisir un véhicule confirme la date ; la commune est prévenue."),
    )
    field_order = ["commune"]


class VehicleChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, taken: dict[int, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.taken = taken

    def label_from_instance(self, obj: GuinguetteVehicle) -> str:
        if obj.pk in self.taken:
            return _("%(vehicle)s (déjà à %(commune)s ce jour-là)") % {
                "vehicle": obj.name,
                "commune": self.taken[obj.pk],
            }
        return obj.name


class VehicleForm(forms.Form):
    """Staff confirm a commune's request by sending one of the vehicles; the list says which
    are already elsewhere that day (the service refuses them)."""

    def __init__(self, *args, visit: GuinguetteVisit, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        taken = dict(
            GuinguetteVisit.objects.filter(date=visit.date, state__in=GUINGUETTE_HOLDING)
            .exclude(pk=visit.pk)
            .values_list("vehicle_id", "commune__name")
        )
        self.fields = {
            "vehicle": VehicleChoiceField(
                label=_("Véhicule"),
                queryset=GuinguetteVehicle.objects.filter(is_active=True),
                empty_label=None,
                taken=taken,
            ),
            **self.fields,
        }

    note = forms.CharField(
        label=_("Message à la commune"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
