"""A commune applies, its applicants confirm by e-mail, and staff decide."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from community.lib.formats import number
from community.mail import send_email_after_commit
from community.places.models import Commune, Stage

from ..models import (
    DECIDED_STATUSES,
    Applicant,
    Application,
    ApplicationDecision,
    ApplicationStatus,
    Project,
    StageEntry,
)
from . import AccompanimentError
from .projects import enrol_commune_elected

if TYPE_CHECKING:
    from community.accounts.models import User


@dataclass(frozen=True)
class ApplicationForm:
    """What the public form asks, already validated."""

    commune: Commune
    name: str
    function: str
    email: str
    phone: str
    situation: str
    premises: str
    description: str
    heard_from: str


@dataclass(frozen=True)
class Submission:
    applicant: Applicant
    # True when the commune had an open application already: the applicant joined it.
    joined_existing: bool


def check_commune_may_apply(commune: Commune) -> None:
    if commune.population is not None and not commune.is_rural_target:
        raise AccompanimentError(
            _(
                "%(commune)s compte %(population)s habitants : le réseau 1000 cafés accompagne "
                "les communes de moins de 3 500 habitants."
            )
            % {"commune": commune.name, "population": number(commune.population)}
        )
    if Project.objects.filter(commune=commune, closed_on__isnull=True).exists():
        raise AccompanimentError(
            _(
                "Le projet de café de %(commune)s est déjà accompagné par le réseau : vos élu·es "
                "le suivent dans leur espace projet."
            )
            % {"commune": commune.name}
        )


def submit_application(form: ApplicationForm) -> Submission:
    """A new application for the commune, or, when one is open, the applicant joins it.

    Two people of one commune submitting at the same instant end with one application: the
    partial unique constraint lets only one insert win, the other joins it."""
    check_commune_may_apply(form.commune)
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return _submit(form)
        except IntegrityError:
            # Another submission created the commune's open application meanwhile.
            continue
    raise AccompanimentError(_("Votre candidature n'a pas pu être enregistrée : réessayez."))


def _submit(form: ApplicationForm) -> Submission:
    application = (
        Application.objects.select_for_update().open().filter(commune=form.commune).first()
    )
    joined_existing = application is not None
    if application is None:
        application = Application.objects.create(
            commune=form.commune,
            situation=form.situation,
            premises=form.premises,
            description=form.description,
            heard_from=form.heard_from,
        )
    applicant = application.applicants.filter(email__iexact=form.email).first()
    if applicant is None:
        applicant = Applicant.objects.create(
            application=application,
            name=form.name,
            function=form.function,
            email=form.email,
            phone=form.phone,
        )
    if applicant.confirmed_at is None:
        send_email_after_commit(
            "application_confirm",
            [applicant.email],
            {"applicant": applicant, "application": application, "joined": joined_existing},
        )
    return Submission(applicant=applicant, joined_existing=joined_existing)


@transaction.atomic
def confirm_applicant(applicant: Applicant) -> Applicant:
    """The applicant followed the e-mail's link: the application counts as received (staff
    are told once), and a co-applicant is confirmed as such. Confirming twice is harmless."""
    applicant = Applicant.objects.select_for_update().get(pk=applicant.pk)
    application = (
        Application.objects.select_for_update()
        .select_related("commune")
        .get(pk=applicant.application_id)
    )
    applicant.application = application
    if applicant.confirmed_at is not None:
        return applicant
    applicant.confirmed_at = timezone.now()
    applicant.save(update_fields=["confirmed_at"])
    if application.status == ApplicationStatus.UNCONFIRMED:
        application.status = ApplicationStatus.RECEIVED
        application.received_on = timezone.localdate()
        application.save(update_fields=["status", "received_on"])
        ApplicationDecision.objects.create(
            application=application, status=ApplicationStatus.RECEIVED
        )
        _notify_staff_of_application(application)
    return applicant


def _notify_staff_of_application(application: Application) -> None:
    from community.accounts.models import User

    if reviewers := User.objects.network_staff().emails():
        send_email_after_commit("application_received", reviewers, {"application": application})


def expire_unconfirmed_applications(now: datetime.datetime | None = None) -> int:
    """Periodic job: unconfirmed applications, and unconfirmed co-applicants, older than 14
    days are deleted; returns how many applications went."""
    now = now or timezone.now()
    with transaction.atomic():
        deleted, by_model = Application.objects.expired(now).delete()
        Applicant.objects.filter(
            confirmed_at__isnull=True,
            created_at__lt=now - datetime.timedelta(days=14),
        ).delete()
    return by_model.get(Application._meta.label, 0)


DECISION_STATUSES = (
    ApplicationStatus.STUDYING,
    ApplicationStatus.WAITING,
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.REFUSED,
)


@transaction.atomic
def decide_application(
    application: Application,
    *,
    status: str,
    by: User,
    reason: str = "",
    come_back_on: datetime.date | None = None,
) -> ApplicationDecision:
    """Staff move an application along: en étude, en attente (with a date to come back to),
    acceptée (the commune's project is created) or refusée (with a reason). Logged and
    e-mailed to the confirmed applicants."""
    if not (by.is_authenticated and by.has_perm("accompaniment.change_application")):
        raise AccompanimentError(_("Seule l'équipe du réseau peut décider des candidatures."))
    application = (
        Application.objects.select_for_update().select_related("commune").get(pk=application.pk)
    )
    reason = reason.strip()
    if status not in DECISION_STATUSES:
        raise AccompanimentError(_("Choisissez une décision."))
    if application.status == ApplicationStatus.UNCONFIRMED:
        raise AccompanimentError(
            _("Cette candidature n'est pas encore confirmée par e-mail : attendez sa confirmation.")
        )
    if application.status in DECIDED_STATUSES:
        raise AccompanimentError(
            _("Cette candidature a déjà été %(status)s.")
            % {"status": application.get_status_display().lower()}
        )
    if status == application.status:
        raise AccompanimentError(
            _("La candidature est déjà « %(status)s ».")
            % {"status": application.get_status_display()}
        )
    if status == ApplicationStatus.REFUSED and not reason:
        raise AccompanimentError(_("Indiquez le motif du refus : il est envoyé à la commune."))
    if status == ApplicationStatus.WAITING:
        if come_back_on is None:
            raise AccompanimentError(
                _("Indiquez la date à laquelle reprendre la candidature mise en attente.")
            )
        if come_back_on <= timezone.localdate():
            raise AccompanimentError(_("La date de reprise doit être dans le futur."))
    else:
        come_back_on = None
    application.status = status
    application.come_back_on = come_back_on
    application.save(update_fields=["status", "come_back_on"])
    decision = ApplicationDecision.objects.create(
        application=application,
        status=status,
        decided_by=by,
        reason=reason,
        come_back_on=come_back_on,
    )
    project = _open_project(application, by) if status == ApplicationStatus.ACCEPTED else None
    recipients = list(
        application.applicants.filter(confirmed_at__isnull=False).values_list("email", flat=True)
    )
    send_email_after_commit(
        "application_decided",
        recipients,
        {"application": application, "decision": decision, "project": project},
    )
    return decision


def _open_project(application: Application, by: User) -> Project:
    """The commune's project space, shared with the commune's approved elected members."""
    commune = application.commune
    project = Project.objects.create(
        commune=commune, application=application, slug=_free_slug(commune)
    )
    StageEntry.objects.create(project=project, stage=Stage.APPLICATION, entered_by=by)
    enrol_commune_elected(project, by=by)
    return project


def _free_slug(commune: Commune) -> str:
    """The commune's name, or with its INSEE code when a namesake (or an earlier, stopped
    project of the same commune) holds it."""
    candidates = [slugify(commune.name), slugify(f"{commune.name}-{commune.insee_code}")]
    taken = set(
        Project.objects.filter(slug__startswith=candidates[0]).values_list("slug", flat=True)
    )
    number = 2
    while candidates[-1] in taken:
        candidates.append(slugify(f"{commune.name}-{commune.insee_code}-{number}"))
        number += 1
    return next(slug for slug in candidates if slug not in taken)
