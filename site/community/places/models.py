"""Where the network works: regions, departments, communes and their cafés."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.lookups import StartsWith
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


class Cafe(models.Model):
    name = models.CharField(_("nom"), max_length=150)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="cafes"
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
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
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    needs_review = review_flag()

    class Meta:
        verbose_name = _("café")
        verbose_name_plural = _("cafés")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.label

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
