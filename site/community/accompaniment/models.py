"""The communes' journey: a commune applies, staff decide, and the accepted project goes
from préfiguration to an open café in a space shared by the mairie, its manager and the team."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.places.models import Cafe, Commune, Stage

# Applications nobody confirmed by e-mail within this delay are deleted.
CONFIRMATION_DAYS = 14


class ApplicantFunction(models.TextChoices):
    MAYOR = "mayor", _("Maire")
    DEPUTY = "deputy", _("Adjoint·e")
    COUNCILLOR = "councillor", _("Conseiller·ère municipal·e")
    SECRETARY = "secretary", _("Secrétaire de mairie")
    OTHER = "other", _("Autre")


class Situation(models.TextChoices):
    CLOSED = "closed", _("Le café est fermé depuis plus d'un an")
    NEVER = "never", _("La commune n'a jamais eu de café")
    AT_RISK = "at_risk", _("Le café risque de fermer")
    OTHER = "other", _("Autre situation")


class Premises(models.TextChoices):
    YES = "yes", _("Oui")
    NO = "no", _("Non")
    UNSURE = "unsure", _("Je ne sais pas")


class ApplicationStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("À confirmer par e-mail")
    RECEIVED = "received", _("Reçue")
    STUDYING = "studying", _("En étude")
    WAITING = "waiting", _("En attente")
    ACCEPTED = "accepted", _("Acceptée")
    REFUSED = "refused", _("Refusée")


# A commune has at most one application in these statuses at a time.
OPEN_STATUSES = (
    ApplicationStatus.UNCONFIRMED,
    ApplicationStatus.RECEIVED,
    ApplicationStatus.STUDYING,
    ApplicationStatus.WAITING,
)
DECIDED_STATUSES = (ApplicationStatus.ACCEPTED, ApplicationStatus.REFUSED)


class ApplicationQuerySet(models.QuerySet):
    def open(self) -> ApplicationQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def confirmed(self) -> ApplicationQuerySet:
        return self.exclude(status=ApplicationStatus.UNCONFIRMED)

    def expired(self, now: datetime.datetime | None = None) -> ApplicationQuerySet:
        now = now or timezone.now()
        return self.filter(
            status=ApplicationStatus.UNCONFIRMED,
            created_at__lt=now - datetime.timedelta(days=CONFIRMATION_DAYS),
        )


class Application(models.Model):
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(
        _("statut"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.UNCONFIRMED,
        db_index=True,
    )
    situation = models.CharField(_("situation"), max_length=20, choices=Situation.choices)
    premises = models.CharField(
        _("local communal disponible"), max_length=10, choices=Premises.choices
    )
    description = models.TextField(_("le projet en quelques lignes"), max_length=3000)
    heard_from = models.CharField(
        _("comment avez-vous connu le réseau ?"), max_length=255, blank=True
    )
    # The day the application counts as received: its first confirmation, or the date
    # given by the spreadsheet it was imported from.
    received_on = models.DateField(_("reçue le"), null=True, blank=True, db_index=True)
    come_back_on = models.DateField(_("à reprendre le"), null=True, blank=True)
    imported = models.BooleanField(_("importée d'un tableur"), default=False)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidature")
        verbose_name_plural = _("candidatures")
        ordering = ["-received_on", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune"],
                condition=Q(status__in=OPEN_STATUSES),
                name="one_open_application_per_commune",
            ),
            models.UniqueConstraint(
                fields=["commune", "received_on"],
                condition=Q(imported=True),
                name="one_imported_application_per_commune_and_day",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Candidature de %(commune)s") % {"commune": self.commune.name})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_confirmed(self) -> bool:
        """The applicant confirmed their e-mail address."""
        return self.status != ApplicationStatus.UNCONFIRMED

    @property
    def population_unknown(self) -> bool:
        return self.commune.population is None


class Applicant(models.Model):
    """A person who applied for the commune; a second one for the same commune joins the
    open application as a co-applicant."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("candidature"),
        on_delete=models.CASCADE,
        related_name="applicants",
    )
    name = models.CharField(_("nom et prénom"), max_length=150)
    function = models.CharField(
        _("fonction à la mairie"), max_length=20, choices=ApplicantFunction.choices
    )
    email = models.EmailField(_("adresse e-mail"))
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)

    class Meta:
        verbose_name = _("candidat·e")
        verbose_name_plural = _("candidat·es")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "email"], name="one_applicant_per_email")
        ]

    def __str__(self) -> str:
        return self.name


class ApplicationDecision(models.Model):
    """The log of an application's statuses: who decided what, when and why."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("candidature"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    status = models.CharField(_("statut"), max_length=20, choices=ApplicationStatus.choices)
    decided_on = models.DateField(_("décidé le"), default=timezone.localdate, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("motif"), blank=True)
    come_back_on = models.DateField(_("à reprendre le"), null=True, blank=True)
    created_at = models.DateTimeField(_("enregistré le"), default=timezone.now)

    class Meta:
        verbose_name = _("décision")
        verbose_name_plural = _("décisions")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.decided_on:%d/%m/%Y})"

    @property
    def is_studying(self) -> bool:
        return self.status == ApplicationStatus.STUDYING

    @property
    def is_waiting(self) -> bool:
        return self.status == ApplicationStatus.WAITING

    @property
    def is_accepted(self) -> bool:
        return self.status == ApplicationStatus.ACCEPTED

    @property
    def is_refused(self) -> bool:
        return self.status == ApplicationStatus.REFUSED


class Project(models.Model):
    """A commune's café project, from the accepted application to the café in operation."""

    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="projects"
    )
    application = models.OneToOneField(
        Application,
        verbose_name=_("candidature"),
        on_delete=models.PROTECT,
        related_name="project",
    )
    slug = models.SlugField(_("adresse"), max_length=120, unique=True)
    stage = models.CharField(
        _("étape"), max_length=20, choices=Stage.choices, default=Stage.APPLICATION
    )
    cafe = models.OneToOneField(
        Cafe,
        verbose_name=_("café"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="project",
    )
    # The one record of the commune's consent (places.models.IN_PROGRESS_CONSENT): its
    # project, and its café before the opening, are on the public map only with it.
    public = models.BooleanField(
        _("visible sur la carte du réseau"),
        default=False,
        help_text=_(
            "La commune accepte que son projet en cours figure sur la carte du réseau avant "
            "l'ouverture du café."
        ),
    )
    closed_on = models.DateField(_("arrêté le"), null=True, blank=True)
    closed_reason = models.TextField(_("motif de l'arrêt"), blank=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)

    class Meta:
        verbose_name = _("projet de café")
        verbose_name_plural = _("projets de café")
        ordering = ["commune__name"]

    def __str__(self) -> str:
        return str(_("Projet de café de %(commune)s") % {"commune": self.commune.name})

    # What access_for returns for the network's team, besides the ProjectAccess values.
    STAFF = "staff"

    def get_absolute_url(self) -> str:
        return reverse("accompaniment:project", args=[self.slug])

    def access_for(self, user) -> str | None:
        """« staff », full or read access (ProjectAccess), or None: the project is seen by
        the team, and by the elected members and managers it counts as members."""
        if not (user.is_authenticated and user.is_approved_member):
            return None
        if user.is_network_staff:
            return self.STAFF
        return self.members.filter(user=user).values_list("access", flat=True).first()

    @property
    def is_recruiting(self) -> bool:
        return self.stage == Stage.RECRUITMENT

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None


class ProjectAccess(models.TextChoices):
    FULL = "full", _("Participe au projet")
    READ = "read", _("Lecture seule")


class ProjectMember(models.Model):
    """Who besides staff sees the project: the commune's elected members and, once recruited,
    its managers. A new municipal team replaces the previous one, who may keep read access."""

    project = models.ForeignKey(
        Project, verbose_name=_("projet"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("membre"),
        on_delete=models.CASCADE,
        related_name="project_memberships",
    )
    access = models.CharField(
        _("accès"), max_length=10, choices=ProjectAccess.choices, default=ProjectAccess.FULL
    )
    added_at = models.DateTimeField(_("ajouté le"), default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ajouté par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("membre du projet")
        verbose_name_plural = _("membres du projet")
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="one_membership_per_project")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.project}"

    @property
    def is_read_only(self) -> bool:
        return self.access == ProjectAccess.READ


class StageEntry(models.Model):
    """Each stage the project entered, dated: the journey's log and the report's source."""

    project = models.ForeignKey(
        Project, verbose_name=_("projet"), on_delete=models.CASCADE, related_name="stage_entries"
    )
    stage = models.CharField(_("étape"), max_length=20, choices=Stage.choices)
    entered_on = models.DateField(_("entrée le"), default=timezone.localdate, db_index=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    # Set when staff moved the project back to an earlier stage (a reason is then required).
    backwards = models.BooleanField(_("retour en arrière"), default=False)
    created_at = models.DateTimeField(_("enregistré le"), default=timezone.now)

    class Meta:
        verbose_name = _("étape franchie")
        verbose_name_plural = _("étapes franchies")
        ordering = ["entered_on", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} ({self.entered_on:%d/%m/%Y})"


class ChecklistTemplate(models.Model):
    """What staff check at each stage (e.g. préfiguration: visite de terrain, questionnaire aux
    habitants, réunion publique…), copied into a project when it enters the stage."""

    stage = models.CharField(_("étape"), max_length=20, choices=Stage.choices)
    label = models.CharField(_("tâche"), max_length=200)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("modèle de liste de tâches")
        verbose_name_plural = _("modèles de listes de tâches")
        ordering = ["stage", "position", "pk"]

    def __str__(self) -> str:
        return self.label


class ChecklistItem(models.Model):
    project = models.ForeignKey(
        Project, verbose_name=_("projet"), on_delete=models.CASCADE, related_name="checklist"
    )
    stage = models.CharField(_("étape"), max_length=20, choices=Stage.choices)
    label = models.CharField(_("tâche"), max_length=200)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    done_at = models.DateTimeField(_("faite le"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("faite par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("tâche")
        verbose_name_plural = _("tâches")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def done(self) -> bool:
        return self.done_at is not None


class ProjectDocument(models.Model):
    """A study, budget or lease, kept as a Wagtail document that only the project's members
    and staff may download."""

    project = models.ForeignKey(
        Project, verbose_name=_("projet"), on_delete=models.CASCADE, related_name="documents"
    )
    document = models.OneToOneField(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="accompaniment_project",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ajouté par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    added_at = models.DateTimeField(_("ajouté le"), default=timezone.now)

    class Meta:
        verbose_name = _("document du projet")
        verbose_name_plural = _("documents du projet")
        ordering = ["-added_at", "pk"]

    def __str__(self) -> str:
        return self.document.title


class PrestationKind(models.TextChoices):
    VISIT = "visit", _("Visite")
    PUBLIC_MEETING = "public_meeting", _("Réunion publique")
    WORKSHOP = "workshop", _("Atelier")
    LEGAL = "legal", _("Accompagnement juridique")
    RECRUITMENT = "recruitment", _("Aide au recrutement")
    TRAINING = "training", _("Formation")
    OTHER = "other", _("Autre")


class Prestation(models.Model):
    """A prestation the team delivered for the project: the report counts them."""

    project = models.ForeignKey(
        Project, verbose_name=_("projet"), on_delete=models.CASCADE, related_name="prestations"
    )
    date = models.DateField(_("date"), db_index=True)
    kind = models.CharField(_("nature"), max_length=20, choices=PrestationKind.choices)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("membre de l'équipe"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    duration_hours = models.DecimalField(
        _("durée (heures)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("enregistrée le"), default=timezone.now)

    class Meta:
        verbose_name = _("prestation")
        verbose_name_plural = _("prestations")
        ordering = ["-date", "-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.date:%d/%m/%Y})"


class ProjectMessage(models.Model):
    """The discussion between the mairie, the manager and the team."""

    project = models.ForeignKey(
        Project, verbose_name=_("projet"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur·rice"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(_("écrit le"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]
