"""Where the network works: regions, departments, communes and their cafés."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.lookups import StartsWith
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .normalize import search_key

# Metropolitan departments 01-95 (Corsica is 2A/2B, never 20), overseas 971-976 (3 digits
# of department + 2 of commune). The overseas collectivities share that pattern: 975, 977,
# 978 in the Atlantic, 984-989 in the Pacific and the TAAF; the official list has communes
# in all of them, and nothing in the network's work excludes them.
INSEE_CODE_PATTERN = re.compile(
    r"^(?:(?:0[1-9]|1\d|2[1-9]|[3-8]\d|9[0-5])\d{3}|2[AB]\d{3}|97[1-8]\d{2}|98[4-9]\d{2})$"
)


def validate_insee_code(value: str) -> None:
    if not INSEE_CODE_PATTERN.match(value or ""):
        raise ValidationError(
            _(
                "« %(value)s » n'est pas un code INSEE valide : 5 caractères, par exemple "
                "81004, 2A004 pour la Corse ou 97101 pour l'outre-mer."
            ),
            code="invalid_insee",
            params={"value": value},
        )


POSTAL_CODES_PATTERN = re.compile(r"^\d{5}(?: \d{5})*$")


def validate_postal_codes(value: str) -> None:
    if value and not POSTAL_CODES_PATTERN.match(value):
        raise ValidationError(
            _(
                "« %(value)s » : indiquez des codes postaux de 5 chiffres séparés par une "
                "espace, par exemple « 81120 81140 »."
            ),
            code="invalid_postal_codes",
            params={"value": value},
        )


def review_flag() -> models.BooleanField:
    """ "À vérifier": set on what the import of past programming created from a CSV row alone
    (a commune, a café, a provider, a tour, a fund), so staff find, complete and check it."""
    return models.BooleanField(
        _("à vérifier"),
        default=False,
        help_text=_("Créé par un import : à compléter, puis décocher."),
    )


class Prefix(StartsWith):
    """``startswith`` that an ordinary index answers on both databases.

    SQLite's LIKE ignores case, so it never uses a plain (BINARY) index: on the lowercase
    search key a range is equivalent and indexed. PostgreSQL keeps Django's LIKE, served by
    the ``varchar_pattern_ops`` index Django adds to indexed CharFields.
    """

    lookup_name = "prefix"

    def get_rhs_op(self, connection, rhs: str) -> str:
        return connection.operators["startswith"] % rhs

    def as_sqlite(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        # U+10FFFF sorts after every character in SQLite's byte-wise UTF-8 comparison.
        return (
            f"({lhs} >= %s AND {lhs} < %s)",
            (*lhs_params, self.rhs, *lhs_params, f"{self.rhs}\U0010ffff"),
        )


class SearchKeyField(models.CharField):
    """The normalized spelling of another field (see normalize.py), indexed for prefix search.

    Computed in pre_save, which both Model.save() and QuerySet.bulk_create() call, so the
    key cannot drift from the name it is made from.
    """

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = search_key(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


SearchKeyField.register_lookup(Prefix)


def coordinate_field(label: str, bound: int) -> models.DecimalField:
    """A latitude (bound 90) or longitude (bound 180) in degrees, to about a metre."""
    return models.DecimalField(
        label,
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-bound), MaxValueValidator(bound)],
    )


class Region(models.Model):
    code = models.CharField(_("code"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=100)

    class Meta:
        verbose_name = _("région")
        verbose_name_plural = _("régions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    code = models.CharField(_("code"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=100)
    region = models.ForeignKey(
        Region, verbose_name=_("région"), on_delete=models.PROTECT, related_name="departments"
    )

    class Meta:
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Commune(models.Model):
    insee_code = models.CharField(
        _("code INSEE"), max_length=5, unique=True, validators=[validate_insee_code]
    )
    name = models.CharField(_("nom"), max_length=150, db_index=True)
    # Abbreviations may lengthen the key ("St" → "saint"), hence more room than the name.
    search_name = SearchKeyField(_("nom normalisé"), max_length=200, source="name")
    department = models.ForeignKey(
        Department,
        verbose_name=_("département"),
        on_delete=models.PROTECT,
        related_name="communes",
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    # Space-separated: a commune may have several postal codes, and a postal code several
    # communes. Plain text keeps one schema for SQLite and PostgreSQL.
    postal_codes = models.CharField(
        _("codes postaux"), max_length=200, blank=True, validators=[validate_postal_codes]
    )
    # The commune's centre, its mairie (see importer.read_centres): where the map shows a
    # café not yet placed, or a project before its café exists.
    latitude = coordinate_field(_("latitude du centre"), 90)
    longitude = coordinate_field(_("longitude du centre"), 180)
    needs_review = review_flag()

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name", "insee_code"]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        # An INSEE code starts with its department's code: 81004 is in the Tarn (81).
        department = self.department if self.department_id else None
        if department and self.insee_code and not self.insee_code.startswith(department.code):
            raise ValidationError(
                {
                    "insee_code": _(
                        "Le code INSEE %(code)s n'appartient pas au département %(department)s : "
                        "il devrait commencer par %(prefix)s."
                    )
                    % {"code": self.insee_code, "department": department, "prefix": department.code}
                }
            )

    @property
    def region(self) -> Region:
        return self.department.region

    @property
    def main_postal_code(self) -> str:
        return self.postal_codes.split(" ", 1)[0] if self.postal_codes else ""

    @property
    def label(self) -> str:
        """How the commune is shown and typed in forms: unique enough to pick it back."""
        return f"{self.name} ({self.main_postal_code or self.insee_code})"

    @property
    def centre(self) -> tuple[float, float, bool] | None:
        """(latitude, longitude, approximate=True) of the commune's centre, for what the map
        places there; None when no centre is known."""
        if self.latitude is None or self.longitude is None:
            return None
        return float(self.latitude), float(self.longitude), True

    @property
    def is_rural_target(self) -> bool:
        """The network serves communes under 3,500 inhabitants."""
        return self.population is not None and self.population < 3500


class LegalForm(models.TextChoices):
    MUNICIPAL = "municipal", _("Municipal (régie ou bail communal)")
    ASSOCIATIVE = "associative", _("Associatif")
    PRIVATE = "private", _("Privé")
    COOPERATIVE = "cooperative", _("Coopératif (SCIC, SCOP)")


class Stage(models.TextChoices):
    """The communes' journey, in order: a commune's project and its café speak these words."""

    APPLICATION = "application", _("Candidature")
    PREFIGURATION = "prefiguration", _("Étude de préfiguration")
    DEFINITION = "definition", _("Définition du projet")
    RECRUITMENT = "recruitment", _("Recrutement")
    OPENING = "opening", _("Ouverture")
    OPERATION = "operation", _("Exploitation")

    @classmethod
    def rank(cls, value: str) -> int:
        return cls.values.index(value)


# A café is on the public map from its opening; before, only if its commune agrees.
OPEN_STAGES = (Stage.OPENING, Stage.OPERATION)

# The commune's consent to show its project in progress is held once, by the project of the
# communes' journey (accompaniment.Project.public, reverse accessor « project »): a café
# before its opening is public when its project is, and stops being so when the project is
# stopped. A lookup, not an import: the journey builds on places, not the reverse.
IN_PROGRESS_CONSENT = Q(project__public=True, project__closed_on__isnull=True)


class CafeSlugField(models.SlugField):
    """The café's address on the site (/cafes/<slug>/): its name and commune, made unique.

    Computed in pre_save when empty, as SearchKeyField, so cafés created anywhere (the
    communes' journey, the import, the admin) get one without the creator knowing.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("editable", False)
        kwargs.setdefault("unique", True)
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = getattr(model_instance, self.attname)
        if not value:
            value = self._unique_slug(model_instance)
            setattr(model_instance, self.attname, value)
        return value

    def _unique_slug(self, cafe: models.Model) -> str:
        base = slugify(f"{cafe.name} {cafe.commune.name}")[: self.max_length - 4].strip("-")
        base = base or "cafe"
        taken = set(
            type(cafe)
            ._default_manager.filter(**{f"{self.attname}__startswith": base})
            .exclude(pk=cafe.pk)
            .values_list(self.attname, flat=True)
        )
        number = 1
        slug = base
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        return slug


class ProximityService(models.Model):
    """A service de proximité a café may offer (dépôt de pain, relais colis…): the network's
    team keeps the list, so that cafés name the same service the same way and the map can
    filter on it."""

    name = models.CharField(_("nom"), max_length=80, unique=True)
    slug = models.SlugField(
        _("identifiant"),
        max_length=80,
        unique=True,
        help_text=_("Utilisé dans l'adresse des filtres de la carte, ex. « relais-colis »."),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("service de proximité")
        verbose_name_plural = _("services de proximité")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class CafeQuerySet(models.QuerySet):
    def public(self) -> CafeQuerySet:
        """Cafés the public sees (page, map, search): see Cafe.is_public."""
        return self.filter(is_published=True).filter(Q(stage__in=OPEN_STAGES) | IN_PROGRESS_CONSENT)


class Cafe(models.Model):
    name = models.CharField(_("nom"), max_length=150)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="cafes"
    )
    latitude = coordinate_field(_("latitude"), 90)
    longitude = coordinate_field(_("longitude"), 180)
    legal_form = models.CharField(
        _("forme juridique"), max_length=20, choices=LegalForm.choices, blank=True
    )
    stage = models.CharField(
        _("étape d'accompagnement"),
        max_length=20,
        choices=Stage.choices,
        default=Stage.DEFINITION,
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gérant·es"),
        related_name="managed_cafes",
        blank=True,
    )
    slug = CafeSlugField(_("adresse de la page"))
    is_published = models.BooleanField(
        _("page publiée"),
        default=True,
        help_text=_("Décochez pour retirer la page du café, et son point, de la carte du réseau."),
    )
    description = models.TextField(_("présentation"), max_length=2000, blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    services = models.ManyToManyField(
        ProximityService,
        verbose_name=_("services de proximité"),
        related_name="cafes",
        blank=True,
    )
    # A manager's name is personal data: shown on the public page only with their consent,
    # which each manager gives or withdraws from their own space.
    named_managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gérant·es nommé·es sur la page"),
        related_name="+",
        blank=True,
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    needs_review = review_flag()

    objects = CafeQuerySet.as_manager()

    class Meta:
        verbose_name = _("café")
        verbose_name_plural = _("cafés")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("places:cafe", args=[self.slug])

    def clean(self) -> None:
        # A single coordinate cannot place the café on the map.
        if (self.latitude is None) != (self.longitude is None):
            missing = "longitude" if self.longitude is None else "latitude"
            raise ValidationError(
                {missing: _("Indiquez la latitude et la longitude, ou aucune des deux.")}
            )

    @property
    def label(self) -> str:
        return f"{self.name} – {self.commune.name}"

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def is_public(self) -> bool:
        """Open cafés, and projects whose commune agreed, unless staff unpublished the page."""
        return self.is_published and (self.is_open or self.shown_in_progress)

    @property
    def shown_in_progress(self) -> bool:
        """Whether the commune agreed to show its project before the opening (see
        IN_PROGRESS_CONSENT)."""
        project = getattr(self, "project", None)
        return bool(project and project.public and project.closed_on is None)

    @property
    def is_placed(self) -> bool:
        """Cafés created by the communes' journey have no coordinates until staff place them."""
        return self.latitude is not None and self.longitude is not None

    @property
    def position(self) -> tuple[float, float, bool] | None:
        """(latitude, longitude, approximate) where the map shows the café: its own place, or
        its commune's centre until staff place it; None when neither is known."""
        if self.is_placed:
            return float(self.latitude), float(self.longitude), False
        return self.commune.centre

    def editable_by(self, user) -> bool:
        """Its managers and the network's team edit the café's page."""
        if not (user.is_authenticated and user.is_approved_member):
            return False
        return user.is_network_staff or self.managers.filter(pk=user.pk).exists()

    def visible_to(self, user) -> bool:
        return self.is_public or self.editable_by(user)

    def public_manager_names(self) -> list[str]:
        named = set(self.named_managers.values_list("pk", flat=True))
        return [manager.display_name for manager in self.managers.all() if manager.pk in named]

    def opening_days(self) -> list[tuple[str, list[OpeningHours]]]:
        """[(day, its opening hours)] for the days the café opens, Monday first."""
        days: dict[int, list[OpeningHours]] = {}
        for hours in self.opening_hours.all():
            days.setdefault(hours.weekday, []).append(hours)
        return [(Weekday(day).label, days[day]) for day in sorted(days)]

    def current_exceptions(self) -> list[HoursException]:
        today = timezone.localdate()
        return [e for e in self.hours_exceptions.all() if e.ends_on >= today]


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("lundi")
    TUESDAY = 1, _("mardi")
    WEDNESDAY = 2, _("mercredi")
    THURSDAY = 3, _("jeudi")
    FRIDAY = 4, _("vendredi")
    SATURDAY = 5, _("samedi")
    SUNDAY = 6, _("dimanche")


class OpeningHours(models.Model):
    """One opening of a week day (a café open morning and evening has two)."""

    cafe = models.ForeignKey(Cafe, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    opens = models.TimeField(_("ouverture"))
    closes = models.TimeField(_("fermeture"))

    class Meta:
        verbose_name = _("horaire d'ouverture")
        verbose_name_plural = _("horaires d'ouverture")
        ordering = ["weekday", "opens"]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self) -> None:
        if self.opens is not None and self.closes is not None and self.closes <= self.opens:
            raise ValidationError(
                {"closes": _("L'heure de fermeture doit suivre l'heure d'ouverture.")}
            )


class HoursException(models.Model):
    """A period when the usual hours do not apply: « fermé le lundi l'hiver » (a week day
    over a season), annual leave (every day), or other hours for a while."""

    cafe = models.ForeignKey(Cafe, on_delete=models.CASCADE, related_name="hours_exceptions")
    label = models.CharField(
        _("intitulé"), max_length=120, help_text=_("Par exemple « Fermé le lundi l'hiver ».")
    )
    starts_on = models.DateField(_("du"))
    ends_on = models.DateField(_("au"))
    weekday = models.PositiveSmallIntegerField(
        _("seulement le"),
        choices=Weekday.choices,
        null=True,
        blank=True,
        help_text=_("Laissez vide si l'exception vaut pour tous les jours de la période."),
    )
    opens = models.TimeField(_("ouverture"), null=True, blank=True)
    closes = models.TimeField(_("fermeture"), null=True, blank=True)

    class Meta:
        verbose_name = _("exception aux horaires")
        verbose_name_plural = _("exceptions aux horaires")
        ordering = ["starts_on", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def is_closure(self) -> bool:
        return self.opens is None

    def clean(self) -> None:
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("La fin de la période ne peut pas précéder son début.")
        if (self.opens is None) != (self.closes is None):
            errors["closes"] = _(
                "Indiquez l'ouverture et la fermeture, ou aucune des deux pour une fermeture."
            )
        elif self.opens is not None and self.closes <= self.opens:
            errors["closes"] = _("L'heure de fermeture doit suivre l'heure d'ouverture.")
        if errors:
            raise ValidationError(errors)


class CafePhoto(models.Model):
    """A photo of the café's page: a Wagtail image, so the page shows sized renditions."""

    cafe = models.ForeignKey(Cafe, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), on_delete=models.CASCADE, related_name="+"
    )
    alt_text = models.CharField(
        _("description de la photo"),
        max_length=200,
        help_text=_("Ce que montre la photo, lu aux personnes qui ne la voient pas."),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("photo du café")
        verbose_name_plural = _("photos du café")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.alt_text
