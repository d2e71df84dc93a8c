"""Animation catalogue, bookings, tours, partner funds and calendar feeds.

The records the impact figures are computed from: a held animation is a `Booking` in state
HELD (its `starts_at`, `kind`, `cafe` and `participants`); a tour is held when one of its
`TourStop` bookings is; reimbursed amounts are `Reimbursement` rows in state APPROVED.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.lib.formats import day_month
from community.media import private_storage
from community.places.models import Cafe, Commune, Region, review_flag

from .uploads import detected_extension, make_renditions, validate_invoice, validate_photo

# Path segments under /animations/ that a kind's slug must not shadow.
RESERVED_SLUGS = {
    "agenda",
    "reservations",
    "tournees",
    "fonds",
    "calendrier",
    "prestataires",
    "impact",
    "guinguette",
    "financeurs",
}


def validate_kind_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("« %(value)s » est réservé par le site : choisissez un autre identifiant."),
            params={"value": value},
        )


def invoice_path(instance: Reimbursement, filename: str) -> str:
    # A random name in the private storage, served only through a view that checks who asks;
    # its extension says what the content is (the uploaded name may say ".html").
    return f"animations/factures/{secrets.token_hex(16)}.{detected_extension(instance.invoice)}"


def photo_field(**options) -> models.ImageField:
    return models.ImageField(
        _("photo"), upload_to="animations/photos/", validators=[validate_photo], **options
    )


def thumbnail_field(**options) -> models.ImageField:
    return models.ImageField(
        _("vignette"), upload_to="animations/thumbs/", editable=False, **options
    )


class Photo(models.Model):
    """An uploaded photo kept as two Pillow renditions, never as the original file.

    Re-encoding drops EXIF (GPS positions of participants' homes) and anything appended to
    the image, and bounds what pages download.
    """

    image = photo_field()
    thumbnail = thumbnail_field()
    alt_text = models.CharField(
        _("description de la photo"),
        max_length=200,
        help_text=_("Ce que montre la photo, pour les personnes qui ne la voient pas."),
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.alt_text

    def save(self, *args, **kwargs) -> None:
        # A new upload is an UploadedFile not yet committed to storage: replace it by its
        # renditions (the admin and the services both go through here).
        if self.image and not getattr(self.image, "_committed", True):
            self.image, self.thumbnail = make_renditions(self.image)
        super().save(*args, **kwargs)


class Provider(models.Model):
    class Type(models.TextChoices):
        COMPANY = "company", _("Compagnie artistique")
        TRAINER = "trainer", _("Formateur·rice")
        ASSOCIATION = "association", _("Association")
        NETWORK = "network", _("Équipe 1000 cafés")

    name = models.CharField(_("nom"), max_length=150, unique=True)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    description = models.TextField(_("présentation"), blank=True)
    email = models.EmailField(_("e-mail de contact"), blank=True)
    website = models.URLField(_("site web"), blank=True)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte partenaire"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="providers",
        limit_choices_to={"role": "partner"},
        help_text=_("Le compte partenaire qui voit les engagements et le calendrier."),
    )
    needs_review = review_flag()

    class Meta:
        verbose_name = _("prestataire")
        verbose_name_plural = _("prestataires")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProviderUnavailability(models.Model):
    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, related_name="unavailabilities"
    )
    start = models.DateField(_("du"))
    end = models.DateField(_("au (inclus)"))
    reason = models.CharField(_("motif"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("indisponibilité")
        verbose_name_plural = _("indisponibilités")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="events_unavailability_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} : {self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"


class AnimationKind(models.Model):
    slug = models.SlugField(_("identifiant"), unique=True, validators=[validate_kind_slug])
    name = models.CharField(_("nom"), max_length=150)
    summary = models.CharField(_("résumé"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    duration = models.DurationField(_("durée"), default=timedelta(hours=2))
    audience = models.CharField(
        _("public"), max_length=200, help_text=_("Par exemple « Tout public, 8 à 15 personnes »")
    )
    price = models.DecimalField(
        _("prix indicatif (€ TTC)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Laisser vide pour « sur devis »."),
    )
    offered_by_network = models.BooleanField(
        _("offert par le réseau"),
        default=False,
        help_text=_(
            "L'offre gratuite du réseau (ateliers d'échecs, Concerts de Poche, formations aux "
            "premiers secours) : les cafés n'ont rien à payer, aucun prix n'est affiché."
        ),
    )
    providers = models.ManyToManyField(
        Provider, verbose_name=_("prestataires"), related_name="kinds", blank=True
    )
    is_bookable = models.BooleanField(
        _("réservable par les cafés"),
        default=True,
        help_text=_("Décocher pour les programmes construits par l'équipe (tournées)."),
    )
    position = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)

    class Meta:
        verbose_name = _("type d'animation")
        verbose_name_plural = _("types d'animation")
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(offered_by_network=False) | Q(price__isnull=True),
                name="events_offered_kind_has_no_price",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("events:kind", args=[self.slug])

    def clean(self) -> None:
        if self.offered_by_network and self.price is not None:
            raise ValidationError(
                {"price": _("Une animation offerte par le réseau n'a pas de prix : videz-le.")}
            )


class KindPhoto(Photo):
    kind = models.ForeignKey(AnimationKind, on_delete=models.CASCADE, related_name="photos")
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("photo du type d'animation")
        verbose_name_plural = _("photos du type d'animation")
        ordering = ["position", "pk"]


class BookingState(models.TextChoices):
    REQUESTED = "requested", _("Demandée")
    PROPOSED = "proposed", _("Date proposée")
    CONFIRMED = "confirmed", _("Confirmée")
    HELD = "held", _("Réalisée")
    CANCELLED = "cancelled", _("Annulée")
    DECLINED = "declined", _("Déclinée")


# States that hold the café and the provider for [starts_at, ends_at).
BLOCKING_STATES = (BookingState.PROPOSED, BookingState.CONFIRMED, BookingState.HELD)


class Actor(models.TextChoices):
    MANAGER = "manager", _("gérant·e du café")
    STAFF = "staff", _("équipe")


@dataclass(frozen=True)
class Transition:
    label: str
    # The subject of the e-mail telling the parties of the step (its text is
    # emails/booking_steps/<step>.txt).
    headline: str
    sources: frozenset[str]
    target: str
    actors: frozenset[str]


def _transition(
    label: str, headline: str, sources: list[str], target: str, actors: list[str]
) -> Transition:
    return Transition(label, headline, frozenset(sources), target, frozenset(actors))


S = BookingState
# The one place that says which step may follow which, and who may take it.
TRANSITIONS: dict[str, Transition] = {
    "request": _transition(
        "demande", "Nouvelle demande", [], S.REQUESTED, [Actor.MANAGER, Actor.STAFF]
    ),
    "confirm": _transition(
        "confirmation", "Animation confirmée", [S.REQUESTED], S.CONFIRMED, [Actor.STAFF]
    ),
    "propose": _transition(
        "proposition de date",
        "Nouvelle date proposée",
        [S.REQUESTED, S.PROPOSED, S.CONFIRMED],
        S.PROPOSED,
        [Actor.STAFF],
    ),
    "accept": _transition(
        "acceptation", "Date acceptée", [S.PROPOSED], S.CONFIRMED, [Actor.MANAGER]
    ),
    "decline": _transition(
        "refus", "Demande déclinée", [S.REQUESTED, S.PROPOSED], S.DECLINED, [Actor.STAFF]
    ),
    "report": _transition(
        "bilan", "Bilan enregistré", [S.CONFIRMED], S.HELD, [Actor.MANAGER, Actor.STAFF]
    ),
    # Staff put a café on a tour: the stop is confirmed from the start.
    "plan": _transition(
        "programmation dans une tournée",
        "Étape de tournée programmée",
        [],
        S.CONFIRMED,
        [Actor.STAFF],
    ),
    "cancel": _transition(
        "annulation",
        "Animation annulée",
        [S.REQUESTED, S.PROPOSED, S.CONFIRMED],
        S.CANCELLED,
        [Actor.MANAGER, Actor.STAFF],
    ),
}
del S

# Steps recorded in a booking's history that are not transitions of the workflow: nobody can
# take them from a booking's page.
IMPORT_ACTION = "import"
RECORD_LABELS = {IMPORT_ACTION: _("import de la programmation passée")}

# A manager may cancel a dated booking until this long before it starts; staff any time.
MANAGER_CANCELLATION_DEADLINE = timedelta(days=7)


class Booking(models.Model):
    cafe = models.ForeignKey(
        Cafe, verbose_name=_("café"), on_delete=models.PROTECT, related_name="bookings"
    )
    kind = models.ForeignKey(
        AnimationKind,
        verbose_name=_("animation"),
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    provider = models.ForeignKey(
        Provider,
        verbose_name=_("prestataire"),
        on_delete=models.PROTECT,
        related_name="bookings",
        null=True,
        blank=True,
    )
    state = models.CharField(
        _("état"), max_length=20, choices=BookingState.choices, default=BookingState.REQUESTED
    )
    preferred_1 = models.DateTimeField(_("date souhaitée"))
    preferred_2 = models.DateTimeField(_("deuxième date possible"), null=True, blank=True)
    preferred_3 = models.DateTimeField(_("troisième date possible"), null=True, blank=True)
    # Set once staff confirm or propose a date; the slot the café and provider are held for.
    starts_at = models.DateTimeField(_("début"), null=True, blank=True, db_index=True)
    ends_at = models.DateTimeField(_("fin"), null=True, blank=True)
    expected_audience = models.PositiveIntegerField(_("public attendu"), null=True, blank=True)
    notes = models.TextField(_("précisions"), blank=True, max_length=3000)
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    is_public = models.BooleanField(_("annoncée dans l'agenda public"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    # RFC 5545 SEQUENCE: bumped whenever the date changes, so calendar apps update it.
    calendar_sequence = models.PositiveIntegerField(default=0, editable=False)
    # What identifies a row of imported past programming ("2024-06-14:chess-workshop:<café
    # id>", the café standing for café and commune): importing a file again finds its rows
    # through this unique index instead of creating them twice. NULL, not "", for bookings made
    # here: a unique index allows any number of NULLs on both databases.
    import_key = models.CharField(  # noqa: DJ001
        max_length=80, unique=True, null=True, editable=False
    )

    class Meta:
        verbose_name = _("réservation")
        verbose_name_plural = _("réservations")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.kind} – {self.cafe.name}"

    def get_absolute_url(self) -> str:
        return reverse("events:booking", args=[self.pk])

    @property
    def preferred_dates(self) -> list[datetime]:
        return [d for d in (self.preferred_1, self.preferred_2, self.preferred_3) if d]

    @property
    def manager_cancellation_deadline(self) -> datetime | None:
        return self.starts_at - MANAGER_CANCELLATION_DEADLINE if self.starts_at else None

    def allows(self, action: str) -> bool:
        return self.state in TRANSITIONS[action].sources

    @property
    def is_past(self) -> bool:
        return self.starts_at is not None and self.starts_at <= timezone.now()

    @property
    def is_held(self) -> bool:
        return self.state == BookingState.HELD


class BookingEvent(models.Model):
    """One step of a booking's life: who took it, when, from which state to which."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="history")
    action = models.CharField(_("étape"), max_length=20)
    from_state = models.CharField(
        _("avant"), max_length=20, choices=BookingState.choices, blank=True
    )
    to_state = models.CharField(_("après"), max_length=20, choices=BookingState.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("le"), default=timezone.now)
    starts_at = models.DateTimeField(_("date prévue"), null=True, blank=True)
    note = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("étape de réservation")
        verbose_name_plural = _("étapes de réservation")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.booking} : {self.label}"

    @property
    def label(self) -> str:
        if self.action in RECORD_LABELS:
            return str(RECORD_LABELS[self.action])
        return TRANSITIONS[self.action].label


class BookingPhoto(Photo):
    """A photo of a booking's report: seen by those who see the booking, so stored privately."""

    image = photo_field(storage=private_storage)
    thumbnail = thumbnail_field(storage=private_storage)
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="photos")

    class Meta:
        verbose_name = _("photo de l'animation")
        verbose_name_plural = _("photos de l'animation")
        ordering = ["pk"]


class Tour(models.Model):
    name = models.CharField(_("nom"), max_length=150, unique=True)
    slug = models.SlugField(_("identifiant"), unique=True)
    kind = models.ForeignKey(
        AnimationKind,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="tours",
    )
    description = models.TextField(_("présentation"), blank=True)
    season_start = models.DateField(_("début de la saison"))
    season_end = models.DateField(_("fin de la saison"))
    applications_open = models.BooleanField(_("candidatures ouvertes"), default=True)
    needs_review = review_flag()

    class Meta:
        verbose_name = _("tournée")
        verbose_name_plural = _("tournées")
        ordering = ["-season_start", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("events:tour", args=[self.slug])


class TourStop(models.Model):
    """A stop is a booking of the tour's programme, so it is held, counted, locked against
    double booking and put in calendars like any other animation."""

    tour = models.ForeignKey(Tour, on_delete=models.CASCADE, related_name="stops")
    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="tour_stop")
    show = models.CharField(_("spectacle"), max_length=200)

    class Meta:
        verbose_name = _("étape de tournée")
        verbose_name_plural = _("étapes de tournée")
        ordering = ["booking__starts_at"]

    def __str__(self) -> str:
        return f"{self.tour} : {self.booking.cafe.name}"


class HostApplication(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("En attente")
        ACCEPTED = "accepted", _("Retenue")
        REJECTED = "rejected", _("Non retenue")

    tour = models.ForeignKey(Tour, on_delete=models.CASCADE, related_name="applications")
    cafe = models.ForeignKey(Cafe, on_delete=models.CASCADE, related_name="tour_applications")
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    preferred_dates = models.CharField(_("dates possibles"), max_length=300)
    message = models.TextField(_("message"), blank=True, max_length=2000)
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("candidature d'étape")
        verbose_name_plural = _("candidatures d'étape")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["tour", "cafe"], name="events_one_application_per_cafe")
        ]

    def __str__(self) -> str:
        return f"{self.tour} : {self.cafe.name}"

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING


# ---------------------------------------------------------------------------- Guinguette


# The catalogue kind the Guinguette mobile is listed under: its held visits count there.
GUINGUETTE_KIND = "guinguette-mobile"
GUINGUETTE_TITLE = _("Guinguette mobile")
# The Guinguette tours from May to September unless staff set another season for a year.
DEFAULT_SEASON = ((5, 1), (9, 30))
# An evening on the village square: when a visit starts unless the commune says otherwise.
DEFAULT_START = time(18, 0)
GUINGUETTE_DURATION = timedelta(hours=5)


class GuinguetteVehicle(models.Model):
    """One of the Guinguette's vehicles: it can be at one place per date."""

    name = models.CharField(_("nom"), max_length=150, unique=True)
    territory = models.CharField(
        _("territoire"), max_length=150, help_text=_("Où il circule, par exemple « Aisne ».")
    )
    is_active = models.BooleanField(_("en service"), default=True)

    class Meta:
        verbose_name = _("véhicule de la Guinguette")
        verbose_name_plural = _("véhicules de la Guinguette")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GuinguetteSeason(models.Model):
    """The season of a year when staff change it; other years run DEFAULT_SEASON."""

    year = models.PositiveSmallIntegerField(_("année"), unique=True)
    starts_on = models.DateField(_("début de la saison"))
    ends_on = models.DateField(_("fin de la saison"))

    class Meta:
        verbose_name = _("saison de la Guinguette")
        verbose_name_plural = _("saisons de la Guinguette")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="events_season_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} : {self.starts_on:%d/%m} – {self.ends_on:%d/%m}"

    def clean(self) -> None:
        for field in ("starts_on", "ends_on"):
            day = getattr(self, field)
            if day and self.year and day.year != self.year:
                raise ValidationError(
                    {field: _("Choisissez une date de l'année %(year)s.") % {"year": self.year}}
                )

    @classmethod
    def label(cls, year: int) -> str:
        """« du 1er mai au 30 septembre 2026 »."""
        start, end = (day_month(day) for day in cls.bounds(year))
        return f"du {start} au {end} {year}"

    @classmethod
    def bounds(cls, year: int) -> tuple[date, date]:
        season = cls.objects.filter(year=year).first()
        if season is not None:
            return season.starts_on, season.ends_on
        (start_month, start_day), (end_month, end_day) = DEFAULT_SEASON
        return date(year, start_month, start_day), date(year, end_month, end_day)


class GuinguetteState(models.TextChoices):
    REQUESTED = "requested", _("Demandée")
    CONFIRMED = "confirmed", _("Confirmée")
    HELD = "held", _("Réalisée")
    REFUSED = "refused", _("Refusée")
    CANCELLED = "cancelled", _("Annulée")


# States in which a vehicle is taken for the date.
GUINGUETTE_HOLDING = (GuinguetteState.CONFIRMED, GuinguetteState.HELD)
# States in which a commune's request for a date is alive.
GUINGUETTE_LIVE = (GuinguetteState.REQUESTED, *GUINGUETTE_HOLDING)


class GuinguetteVisit(models.Model):
    """A commune's request for an evening of the Guinguette mobile, and once staff confirm
    it, the vehicle's date there. Communes ask, with or without a café: the Guinguette goes
    where there is none."""

    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="guinguette_visits",
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("heure d'arrivée"), default=DEFAULT_START)
    place = models.CharField(
        _("lieu"), max_length=200, help_text=_("Place du village, salle des fêtes, pré…")
    )
    expected_audience = models.PositiveIntegerField(_("public attendu"), null=True, blank=True)
    notes = models.TextField(_("précisions"), blank=True, max_length=3000)
    # Public, unlike the notes to the team: the agenda and the site search show it.
    programme = models.TextField(
        _("programme de la soirée"),
        blank=True,
        max_length=1000,
        help_text=_("Annoncé dans l'agenda public : concert, bal, jeux pour les enfants…"),
    )
    state = models.CharField(
        _("état"),
        max_length=20,
        choices=GuinguetteState.choices,
        default=GuinguetteState.REQUESTED,
        db_index=True,
    )
    vehicle = models.ForeignKey(
        GuinguetteVehicle,
        verbose_name=_("véhicule"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
    )
    is_public = models.BooleanField(_("annoncée dans l'agenda public"), default=True)
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("demandée le"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("traitée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("traitée le"), null=True, blank=True)
    decision_note = models.TextField(_("message de l'équipe"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("date de la Guinguette mobile")
        verbose_name_plural = _("dates de la Guinguette mobile")
        ordering = ["date", "pk"]
        constraints = [
            # A vehicle is at one place per date: the database refuses a second.
            models.UniqueConstraint(
                fields=["vehicle", "date"],
                condition=Q(state__in=["confirmed", "held"]),
                name="events_guinguette_vehicle_once_a_day",
            ),
            models.UniqueConstraint(
                fields=["commune", "date"],
                condition=Q(state__in=["requested", "confirmed", "held"]),
                name="events_guinguette_commune_once_a_day",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["requested", "refused", "cancelled"])
                | Q(vehicle__isnull=False),
                name="events_guinguette_dated_has_vehicle",
            ),
        ]

    def __str__(self) -> str:
        return f"Guinguette mobile – {self.commune.name}, {self.date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("events:guinguette_visit", args=[self.pk])

    @property
    def agenda_anchor(self) -> str:
        return f"guinguette-{self.pk}"

    def get_agenda_url(self) -> str:
        """Where the public reads of the evening (its own page is the commune's and staff's)."""
        return f"{reverse('events:agenda')}#{self.agenda_anchor}"

    @property
    def starts_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date, self.start_time))

    @property
    def is_past(self) -> bool:
        return self.date < timezone.localdate()


class Funder(models.Model):
    """An organisation that funds the network's programming (KLESIA, the ANCT…): its partner
    accounts see its funds' figures, and nothing else of the funds."""

    class Type(models.TextChoices):
        INSURER = "insurer", _("Assureur")
        PUBLIC_BODY = "public_body", _("Établissement ou agence publique")
        LOCAL_AUTHORITY = "local_authority", _("Collectivité territoriale")
        FOUNDATION = "foundation", _("Fondation")
        COMPANY = "company", _("Entreprise")

    name = models.CharField(_("nom"), max_length=150, unique=True)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    accounts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("comptes partenaires"),
        related_name="funders",
        blank=True,
        limit_choices_to={"role": "partner"},
        help_text=_("Les comptes partenaires qui voient les chiffres des fonds de ce financeur."),
    )

    class Meta:
        verbose_name = _("financeur")
        verbose_name_plural = _("financeurs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FundQuerySet(models.QuerySet):
    def reaching(self, cafe: Cafe) -> FundQuerySet:
        """Funds that may pay for the café's animations (see Fund.refusal_for); through a
        subquery, so that the many-to-many joins never multiply the sums of with_totals."""
        region = cafe.commune.department.region_id
        reach = Fund.objects.filter(Q(cafes__isnull=True) | Q(cafes=cafe)).filter(
            Q(regions__isnull=True) | Q(regions=region)
        )
        return self.filter(pk__in=reach.values("pk"))

    def with_totals(self) -> FundQuerySet:
        """Each fund with `paid` (approved claims) and `pending` (claims awaiting a decision)
        summed by the database in the same query, instead of one aggregate per fund."""
        zero = Value(Decimal("0.00"), output_field=DecimalField(max_digits=12, decimal_places=2))
        return self.annotate(
            paid=Coalesce(
                Sum(
                    "reimbursements__approved_amount",
                    filter=Q(reimbursements__state=Reimbursement.State.APPROVED),
                ),
                zero,
            ),
            pending=Coalesce(
                Sum(
                    "reimbursements__requested_amount",
                    filter=Q(reimbursements__state=Reimbursement.State.CLAIMED),
                ),
                zero,
            ),
        )


class Fund(models.Model):
    name = models.CharField(_("nom du fonds"), max_length=150)
    # Required in forms; empty only on a fund an import created from a bare name (flagged
    # needs_review), until staff say whose it is.
    funder = models.ForeignKey(
        Funder,
        verbose_name=_("financeur"),
        on_delete=models.PROTECT,
        null=True,
        related_name="funds",
        help_text=_(
            "Son nom est affiché aux cafés ; ses comptes partenaires voient les chiffres de ce "
            "fonds."
        ),
    )
    year = models.PositiveSmallIntegerField(_("année"))
    budget = models.DecimalField(
        _("budget (€)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    cap_per_cafe = models.DecimalField(
        _("plafond par café (€)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Laisser vide s'il n'y a pas de plafond par café."),
    )
    eligible_kinds = models.ManyToManyField(
        AnimationKind, verbose_name=_("animations éligibles"), related_name="funds"
    )
    cafes = models.ManyToManyField(
        Cafe,
        verbose_name=_("cafés éligibles"),
        related_name="funds",
        blank=True,
        help_text=_("Laisser vide si le fonds n'est pas réservé à certains cafés."),
    )
    regions = models.ManyToManyField(
        Region,
        verbose_name=_("régions éligibles"),
        related_name="funds",
        blank=True,
        help_text=_("Laisser vide si le fonds n'est pas réservé à certaines régions."),
    )
    description = models.TextField(_("conditions"), blank=True)
    needs_review = review_flag()

    objects = FundQuerySet.as_manager()

    class Meta:
        verbose_name = _("fonds partenaire")
        verbose_name_plural = _("fonds partenaires")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "year"], name="events_fund_name_year")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"

    def approved_total(self, cafe: Cafe | None = None) -> Decimal:
        rows = self.reimbursements.filter(state=Reimbursement.State.APPROVED)
        if cafe is not None:
            rows = rows.filter(booking__cafe=cafe)
        return rows.aggregate(total=Sum("approved_amount"))["total"] or Decimal("0")

    # `paid` and `pending` come from FundQuerySet.with_totals(): a fund read without them is
    # an error to fix (one query per fund), not something to compute quietly here.
    @property
    def committed(self) -> Decimal:
        """Granted, plus what claims awaiting a decision ask for."""
        return self.paid + self.pending

    @property
    def remaining(self) -> Decimal:
        """What can still be granted."""
        return self.budget - self.paid

    def refusal_for(self, cafe: Cafe) -> str:
        """Why this fund cannot pay for an animation of the café ("" when it can)."""
        cafe_ids = {c.pk for c in self.cafes.all()}
        if cafe_ids and cafe.pk not in cafe_ids:
            return _(
                "Le %(fund)s est réservé à une liste de cafés dont %(cafe)s ne fait pas partie."
            ) % {
                "fund": self,
                "cafe": cafe.name,
            }
        regions = list(self.regions.all())
        if regions and cafe.commune.department.region_id not in {r.pk for r in regions}:
            return _("Le %(fund)s finance seulement les cafés de %(regions)s.") % {
                "fund": self,
                "regions": " et ".join(", ".join(r.name for r in regions).rsplit(", ", 1)),
            }
        return ""


class Reimbursement(models.Model):
    class State(models.TextChoices):
        CLAIMED = "claimed", _("Demandé")
        APPROVED = "approved", _("Accordé")
        REFUSED = "refused", _("Refusé")

    booking = models.ForeignKey(
        Booking,
        verbose_name=_("animation"),
        on_delete=models.PROTECT,
        related_name="reimbursements",
    )
    fund = models.ForeignKey(
        Fund, verbose_name=_("fonds"), on_delete=models.PROTECT, related_name="reimbursements"
    )
    state = models.CharField(
        _("état"), max_length=20, choices=State.choices, default=State.CLAIMED, db_index=True
    )
    requested_amount = models.DecimalField(
        _("montant demandé (€)"), max_digits=10, decimal_places=2
    )
    approved_amount = models.DecimalField(
        _("montant accordé (€)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    # Empty only for reimbursements imported from past programming, paid before the platform.
    invoice = models.FileField(
        _("facture"),
        upload_to=invoice_path,
        storage=private_storage,
        validators=[validate_invoice],
        blank=True,
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    claimed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("motif"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("remboursement")
        verbose_name_plural = _("remboursements")
        ordering = ["-claimed_at", "-pk"]
        constraints = [
            # A refused claim may be made again; a pending or paid one may not be doubled.
            models.UniqueConstraint(
                fields=["booking", "fund"],
                condition=~Q(state="refused"),
                name="events_one_live_claim_per_fund",
            )
        ]

    def __str__(self) -> str:
        return f"{self.fund} – {self.booking}"
