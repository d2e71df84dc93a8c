"""Manager job offers (« offres de gérance »): a commune's project in the recrutement stage,
or a café of the network, looks for its manager; candidates apply without an account, staff
shortlist, and the commune's elected members choose."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.accompaniment.models import Project, ProjectAccess
from community.media import private_storage
from community.places.models import Cafe, Commune

# Candidacies nobody confirmed by e-mail within this delay are deleted with their CV.
CONFIRMATION_DAYS = 14
# Candidates not chosen are forgotten, with their CV, a year after the offer ended.
RETENTION_DAYS = 365


class ContractType(models.TextChoices):
    GERANCE = "gerance", _("Gérance")
    LOCATION_GERANCE = "location_gerance", _("Location-gérance")
    SALARIAT = "salariat", _("Salariat")
    ASSOCIATION = "association", _("Association (salarié·e ou bénévole)")
    COMMERCIAL_LEASE = "bail_commercial", _("Bail commercial")


class OfferState(models.TextChoices):
    OPEN = "open", _("Ouverte")
    FILLED = "filled", _("Pourvue")
    CLOSED = "closed", _("Fermée")


class JobOfferQuerySet(models.QuerySet):
    def public(self, today: datetime.date | None = None) -> JobOfferQuerySet:
        """Offers a visitor may read and answer: open, and not past their closing date."""
        return self.filter(state=OfferState.OPEN, closes_on__gte=today or timezone.localdate())


class JobOffer(models.Model):
    project = models.ForeignKey(
        Project,
        verbose_name=_("projet de café"),
        on_delete=models.PROTECT,
        related_name="job_offers",
        null=True,
        blank=True,
    )
    cafe = models.ForeignKey(
        Cafe,
        verbose_name=_("café"),
        on_delete=models.PROTECT,
        related_name="job_offers",
        null=True,
        blank=True,
    )
    title = models.CharField(_("intitulé"), max_length=150)
    contract_type = models.CharField(
        _("type de contrat"), max_length=20, choices=ContractType.choices
    )
    starts_on = models.DateField(_("prise de poste"))
    housing = models.BooleanField(_("logement proposé"), default=False)
    housing_description = models.CharField(_("le logement"), max_length=300, blank=True)
    description = models.TextField(_("description"), max_length=6000)
    closes_on = models.DateField(_("candidatures jusqu'au"))
    state = models.CharField(
        _("état"), max_length=10, choices=OfferState.choices, default=OfferState.OPEN
    )
    published_at = models.DateTimeField(_("publiée le"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("publiée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # When staff last sent the shortlist to the commune's elected members.
    shortlist_presented_at = models.DateTimeField(
        _("présélection présentée le"), null=True, blank=True
    )
    ended_at = models.DateTimeField(_("pourvue ou fermée le"), null=True, blank=True)

    objects = JobOfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("offre de gérance")
        verbose_name_plural = _("offres de gérance")
        ordering = ["closes_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(project__isnull=False) | Q(cafe__isnull=False),
                name="job_offer_for_a_project_or_a_cafe",
            ),
            # Two people publishing at once for one place end with one open offer.
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(state="open", project__isnull=False),
                name="one_open_offer_per_project",
            ),
            models.UniqueConstraint(
                fields=["cafe"],
                condition=Q(state="open", cafe__isnull=False),
                name="one_open_offer_per_cafe",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.commune.name})"

    def get_absolute_url(self) -> str:
        return reverse("recruitment:offer", args=[self.pk])

    @property
    def commune(self) -> Commune:
        return self.project.commune if self.project_id else self.cafe.commune

    @property
    def is_public(self) -> bool:
        return self.state == OfferState.OPEN and self.closes_on >= timezone.localdate()

    @property
    def is_expired(self) -> bool:
        return self.state == OfferState.OPEN and self.closes_on < timezone.localdate()

    @property
    def public_until(self) -> datetime.datetime:
        """The midnight (local time) after its closing date, when an open offer leaves the
        public pages: cached pages listing it are not served from then on."""
        day_after = self.closes_on + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(day_after, datetime.time.min))

    @property
    def is_open(self) -> bool:
        """Open to candidacies in its state, whatever its closing date."""
        return self.state == OfferState.OPEN

    def commune_elected(self) -> QuerySet:
        """Who speaks for the commune: the approved elected members who take part in the
        project (read-only former teams do not), or, for a café without a project, the
        approved elected members of its commune."""
        from community.accounts.models import Role, User

        elected = User.objects.reachable().filter(role=Role.ELECTED)
        if self.project_id:
            return elected.filter(
                project_memberships__project=self.project_id,
                project_memberships__access=ProjectAccess.FULL,
            )
        return elected.filter(commune=self.cafe.commune_id)

    def is_commune_elected(self, user) -> bool:
        return user.is_authenticated and self.commune_elected().filter(pk=user.pk).exists()

    def may_manage(self, user) -> bool:
        """Staff and the commune's elected members see the candidates (staff all of them,
        the elected members the shortlist)."""
        return getattr(user, "is_network_staff", False) or self.is_commune_elected(user)


def cv_path(candidacy: Candidacy, filename: str) -> str:
    # Never the uploaded name: the CV is checked to be a PDF, and stored as one.
    return f"recruitment/cv/{uuid.uuid4().hex}.pdf"


class CandidacyQuerySet(models.QuerySet):
    def confirmed(self) -> CandidacyQuerySet:
        return self.filter(confirmed_at__isnull=False)

    def expired(self, now: datetime.datetime | None = None) -> CandidacyQuerySet:
        now = now or timezone.now()
        return self.filter(
            confirmed_at__isnull=True,
            created_at__lt=now - datetime.timedelta(days=CONFIRMATION_DAYS),
        )

    def past(self, now: datetime.datetime | None = None) -> CandidacyQuerySet:
        """Candidacies not chosen, a year after their offer was filled or closed, or after
        its closing date when nobody closed it."""
        now = now or timezone.now()
        limit = now - datetime.timedelta(days=RETENTION_DAYS)
        return self.filter(chosen_at__isnull=True).filter(
            Q(offer__ended_at__lt=limit)
            | Q(offer__state=OfferState.OPEN, offer__closes_on__lt=timezone.localdate(limit))
        )


class Candidacy(models.Model):
    offer = models.ForeignKey(
        JobOffer, verbose_name=_("offre"), on_delete=models.CASCADE, related_name="candidacies"
    )
    name = models.CharField(_("nom et prénom"), max_length=150)
    email = models.EmailField(_("adresse e-mail"))
    phone = models.CharField(_("téléphone"), max_length=30)
    message = models.TextField(_("votre motivation"), max_length=5000)
    cv = models.FileField(_("CV"), upload_to=cv_path, storage=private_storage, max_length=200)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    shortlisted_at = models.DateTimeField(_("présélectionnée le"), null=True, blank=True)
    shortlisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("présélectionnée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    chosen_at = models.DateTimeField(_("choisie le"), null=True, blank=True)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("choisie par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The account the chosen candidate created from the invitation (approved by staff later).
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte créé"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidacies",
    )
    created_at = models.DateTimeField(_("envoyée le"), default=timezone.now)

    objects = CandidacyQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidature à une offre")
        verbose_name_plural = _("candidatures aux offres")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "email"], name="one_candidacy_per_email"),
            models.UniqueConstraint(
                fields=["offer"],
                condition=Q(chosen_at__isnull=False),
                name="one_chosen_candidacy_per_offer",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_shortlisted(self) -> bool:
        return self.shortlisted_at is not None

    @property
    def is_chosen(self) -> bool:
        return self.chosen_at is not None

    def may_read_cv(self, user) -> bool:
        """Staff read every confirmed candidate's CV; the commune's elected members those of
        the shortlist, which is what staff present to them."""
        if self.confirmed_at is None:
            return False
        if getattr(user, "is_network_staff", False):
            return True
        return self.is_shortlisted and self.offer.is_commune_elected(user)
