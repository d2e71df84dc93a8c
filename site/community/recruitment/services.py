"""Writes of the manager job offers: publish, apply, confirm, shortlist, choose, close, and
the chosen candidate's way to a manager account. Each is atomic; refusals raise
RecruitmentError with a French message shown as is."""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from community.accompaniment.models import Project, ProjectAccess, ProjectMember
from community.lib import searchable
from community.lib.refusals import DomainError
from community.mail import send_email_after_commit
from community.places.models import Cafe, Stage
from community.uploads import check_pdf, check_size, detected_extension

from .models import Candidacy, JobOffer, OfferState

if TYPE_CHECKING:
    from community.accounts.models import User

MAX_CV_BYTES = 5 * 1024 * 1024
INVITATION_SALT = "recruitment.invitation"
INVITATION_DAYS = 60
# The session remembers the invitation between its link and the sign-up form.
INVITATION_SESSION_KEY = "recruitment_invitation"


class RecruitmentError(DomainError):
    """An action on a job offer that cannot be done; the message is shown to the user."""


@dataclass(frozen=True)
class OfferDetails:
    """What the publishing form asks, already validated."""

    title: str
    contract_type: str
    starts_on: datetime.date
    housing: bool
    housing_description: str
    description: str
    closes_on: datetime.date


@dataclass(frozen=True)
class CandidacyDetails:
    """What the public application form asks, already validated (the CV is checked here)."""

    name: str
    email: str
    phone: str
    message: str
    cv: UploadedFile


def _is_staff(user: User) -> bool:
    return user.is_authenticated and user.is_network_staff


def may_publish(user: User, *, project: Project | None = None, cafe: Cafe | None = None) -> bool:
    return _is_staff(user) or JobOffer(project=project, cafe=cafe).is_commune_elected(user)


def publish_offer(
    details: OfferDetails, *, by: User, project: Project | None = None, cafe: Cafe | None = None
) -> JobOffer:
    """Staff, or the commune's elected members, publish the offer of a project in the
    recrutement stage or of a café looking for its manager; one open offer per place."""
    if (project is None) == (cafe is None):
        raise RecruitmentError(_("Une offre concerne un projet de café ou un café."))
    if not may_publish(by, project=project, cafe=cafe):
        raise RecruitmentError(
            _("Seul·es l'équipe du réseau et les élu·es de la commune publient son offre.")
        )
    if project is not None and (project.stage != Stage.RECRUITMENT or project.is_closed):
        raise RecruitmentError(
            _("Le projet de %(commune)s n'est pas à l'étape « Recrutement ».")
            % {"commune": project.commune.name}
        )
    today = timezone.localdate()
    if details.closes_on < today:
        raise RecruitmentError(_("La date limite des candidatures est déjà passée."))
    if details.starts_on < details.closes_on:
        raise RecruitmentError(
            _("La prise de poste ne peut pas précéder la date limite des candidatures.")
        )
    if details.housing and not details.housing_description.strip():
        raise RecruitmentError(_("Décrivez le logement proposé (surface, loyer, à l'étage…)."))
    fields = asdict(details)
    fields["housing_description"] = details.housing_description.strip() if details.housing else ""
    offer = JobOffer(project=project, cafe=cafe, published_by=by, **fields)
    try:
        with transaction.atomic():
            offer.save()
    except IntegrityError:
        raise RecruitmentError(
            _("Une offre est déjà ouverte pour %(commune)s : fermez-la avant d'en publier une.")
            % {"commune": offer.commune.name}
        ) from None
    return offer


def validate_cv(file: UploadedFile) -> None:
    """A PDF, checked by its content, within the size limit; a French ValidationError else."""
    check_size(file, MAX_CV_BYTES)
    if detected_extension(file) != "pdf":
        raise ValidationError(
            _(
                "Le CV doit être un fichier PDF : enregistrez-le en PDF depuis votre logiciel "
                "de traitement de texte et réessayez."
            ),
            code="cv_format",
        )
    check_pdf(file)


def apply_to_offer(offer: JobOffer, details: CandidacyDetails) -> Candidacy:
    """A candidate applies (no account needed) and is asked to confirm by e-mail. Applying
    again with the same address before confirming replaces the earlier answers and CV;
    after confirming, the candidate is only reminded that it is on record."""
    if not offer.is_public:
        raise RecruitmentError(_("Cette offre n'accepte plus de candidatures."))
    try:
        validate_cv(details.cv)
    except ValidationError as error:
        raise RecruitmentError(" ".join(error.messages)) from None
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return _apply(offer, details)
        except IntegrityError:
            # The same address applied at the same instant: the second attempt finds it.
            continue
    raise RecruitmentError(_("Votre candidature n'a pas pu être enregistrée : réessayez."))


def _apply(offer: JobOffer, details: CandidacyDetails) -> Candidacy:
    candidacy = (
        Candidacy.objects.select_for_update()
        .filter(offer=offer, email__iexact=details.email)
        .first()
    )
    if candidacy is None:
        candidacy = Candidacy(offer=offer, email=details.email)
    if candidacy.confirmed_at is None:
        old_cv = candidacy.cv.name if candidacy.pk else ""
        candidacy.name = details.name
        candidacy.phone = details.phone
        candidacy.message = details.message
        candidacy.cv = details.cv
        candidacy.save()
        if old_cv:
            _delete_files_after_commit([old_cv])
    send_email_after_commit(
        "candidacy_confirm", [candidacy.email], {"candidacy": candidacy, "offer": offer}
    )
    return candidacy


def _delete_files_after_commit(names: list[str]) -> None:
    storage = Candidacy._meta.get_field("cv").storage

    def delete() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)


@transaction.atomic
def confirm_candidacy(candidacy: Candidacy) -> Candidacy:
    """The candidate followed the e-mail's link; staff hear of the candidacy once."""
    candidacy = Candidacy.objects.select_for_update().select_related("offer").get(pk=candidacy.pk)
    if candidacy.confirmed_at is None:
        candidacy.confirmed_at = timezone.now()
        candidacy.save(update_fields=["confirmed_at"])
        send_email_after_commit(
            "candidacy_received",
            _team(),
            {"candidacy": candidacy, "offer": candidacy.offer},
        )
    return candidacy


def _team() -> list[str]:
    from community.accounts.models import User

    return User.objects.network_staff().emails()


def _locked_offer(offer: JobOffer) -> JobOffer:
    return (
        JobOffer.objects.select_for_update(of=("self",))
        .select_related("project__commune", "cafe__commune")
        .get(pk=offer.pk)
    )


def _check_open(offer: JobOffer) -> None:
    if offer.state != OfferState.OPEN:
        raise RecruitmentError(
            _("Cette offre est %(state)s : elle ne change plus.")
            % {"state": offer.get_state_display().lower()}
        )


@transaction.atomic
def shortlist_candidate(candidacy: Candidacy, *, by: User, shortlisted: bool = True) -> Candidacy:
    """Staff put a confirmed candidate on the shortlist presented to the mairie, or take
    them off it."""
    if not _is_staff(by):
        raise RecruitmentError(_("Seule l'équipe du réseau présélectionne les candidat·es."))
    _check_open(_locked_offer(candidacy.offer))
    candidacy = Candidacy.objects.select_for_update().get(pk=candidacy.pk)
    if candidacy.confirmed_at is None:
        raise RecruitmentError(
            _("%(name)s n'a pas encore confirmé sa candidature par e-mail.")
            % {"name": candidacy.name}
        )
    if shortlisted and candidacy.shortlisted_at is None:
        candidacy.shortlisted_at, candidacy.shortlisted_by = timezone.now(), by
    elif not shortlisted:
        candidacy.shortlisted_at, candidacy.shortlisted_by = None, None
    candidacy.save(update_fields=["shortlisted_at", "shortlisted_by"])
    return candidacy


@transaction.atomic
def present_shortlist(offer: JobOffer, *, by: User) -> list[str]:
    """Staff present the shortlist to the mairie: the commune's elected members are told by
    e-mail and find it on the offer's candidates page. Returns who was told."""
    if not _is_staff(by):
        raise RecruitmentError(_("Seule l'équipe du réseau présente la présélection."))
    offer = _locked_offer(offer)
    _check_open(offer)
    shortlisted = offer.candidacies.filter(shortlisted_at__isnull=False).count()
    if not shortlisted:
        raise RecruitmentError(_("Présélectionnez au moins un·e candidat·e avant de la présenter."))
    recipients = offer.commune_elected().emails()
    if not recipients:
        raise RecruitmentError(
            _(
                "Aucun·e élu·e de %(commune)s n'a de compte validé sur la plateforme : "
                "présentez-leur la présélection autrement, ou invitez-les à adhérer."
            )
            % {"commune": offer.commune.name}
        )
    offer.shortlist_presented_at = timezone.now()
    offer.save(update_fields=["shortlist_presented_at"])
    send_email_after_commit(
        "shortlist_presented", recipients, {"offer": offer, "shortlisted": shortlisted}
    )
    return recipients


def choose_candidate(candidacy: Candidacy, *, by: User) -> Candidacy:
    """The commune's elected members choose among the shortlist: the offer is filled and
    leaves the public list, the chosen candidate is invited to create a manager account,
    staff and the other candidates are told. Two choices at once: the offer's row lock
    (SQLite: the write transaction) lets one through, the other finds the offer filled."""
    try:
        with transaction.atomic():
            return _choose(candidacy, by)
    except IntegrityError:
        # Safety net under the lock: the constraint allows one chosen candidacy per offer.
        raise RecruitmentError(
            _("Un·e autre candidat·e vient d'être choisi·e pour cette offre.")
        ) from None


def _choose(candidacy: Candidacy, by: User) -> Candidacy:
    offer = _locked_offer(candidacy.offer)
    if not offer.is_commune_elected(by):
        raise RecruitmentError(
            _("Seul·es les élu·es de %(commune)s choisissent leur gérant·e.")
            % {"commune": offer.commune.name}
        )
    if offer.state == OfferState.FILLED:
        chosen = offer.candidacies.filter(chosen_at__isnull=False).first()
        raise RecruitmentError(
            _("Cette offre est déjà pourvue : %(name)s a été choisi·e.")
            % {"name": chosen.name if chosen else "?"}
        )
    _check_open(offer)
    candidacy = Candidacy.objects.select_for_update().get(pk=candidacy.pk)
    if not candidacy.is_shortlisted:
        raise RecruitmentError(
            _("Choisissez parmi les candidat·es présélectionné·es par l'équipe du réseau.")
        )
    now = timezone.now()
    candidacy.chosen_at, candidacy.chosen_by, candidacy.offer = now, by, offer
    candidacy.save(update_fields=["chosen_at", "chosen_by"])
    offer.state, offer.ended_at = OfferState.FILLED, now
    offer.save(update_fields=["state", "ended_at"])
    send_email_after_commit(
        "candidacy_chosen",
        [candidacy.email],
        {"candidacy": candidacy, "offer": offer, "token": invitation_token(candidacy)},
    )
    send_email_after_commit(
        "offer_filled_team", _team(), {"candidacy": candidacy, "offer": offer, "by": by}
    )
    others = offer.candidacies.confirmed().exclude(pk=candidacy.pk).values_list("email", flat=True)
    send_email_after_commit("offer_filled_candidate", list(others), {"offer": offer})
    return candidacy


@transaction.atomic
def close_offer(offer: JobOffer, *, by: User) -> JobOffer:
    """Staff or the commune's elected members withdraw an open offer without choosing."""
    offer = _locked_offer(offer)
    if not (_is_staff(by) or offer.is_commune_elected(by)):
        raise RecruitmentError(
            _("Seul·es l'équipe du réseau et les élu·es de la commune ferment son offre.")
        )
    _check_open(offer)
    offer.state, offer.ended_at = OfferState.CLOSED, timezone.now()
    offer.save(update_fields=["state", "ended_at"])
    return offer


def unlist_expired_offers(today: datetime.date | None = None) -> int:
    """Periodic job: offers whose closing date has passed leave the site search (their page
    and the shortlist go on: staff shortlist and the commune chooses after that date).
    Returns how many were marked."""
    return searchable.unlist_passed(
        JobOffer.objects.filter(state=OfferState.OPEN), "closes_on", today or timezone.localdate()
    )


def forget_stale_candidacies(now: datetime.datetime | None = None) -> int:
    """Periodic job: candidacies nobody confirmed within 14 days, and those not chosen a
    year after their offer ended, go with their CV (personal data kept no longer than the
    recruitment needs). Returns how many went."""
    with transaction.atomic():
        stale = Candidacy.objects.expired(now) | Candidacy.objects.past(now)
        files = [name for name in stale.values_list("cv", flat=True) if name]
        deleted, _by_model = stale.delete()
        _delete_files_after_commit(files)
    return deleted


# The chosen candidate's invitation: a signed link, valid 60 days, that leads to sign-up.


def invitation_token(candidacy: Candidacy) -> str:
    return signing.dumps(candidacy.pk, salt=INVITATION_SALT)


def invited_candidacy(token: str) -> Candidacy | None:
    """The chosen candidacy the token was made for, while it has no account yet."""
    try:
        pk = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_DAYS * 86400)
    except signing.BadSignature:
        return None
    return (
        Candidacy.objects.select_related("offer__project__commune", "offer__cafe__commune")
        .filter(pk=pk, chosen_at__isnull=False, account__isnull=True)
        .first()
    )


@transaction.atomic
def link_invited_account(request: HttpRequest, user: User) -> None:
    """On sign-up through the invitation: the new account is a manager of the offer's
    commune who claims its café, and is tied to the candidacy; staff still approve it."""
    from community.accounts.models import Role

    token = request.session.pop(INVITATION_SESSION_KEY, None) if request else None
    candidacy = invited_candidacy(token) if token else None
    if candidacy is None:
        return
    offer = candidacy.offer
    user.role = Role.MANAGER
    user.commune = offer.commune
    user.claimed_cafe = offer.cafe or (offer.project.cafe if offer.project_id else None)
    if not user.application_note:
        user.application_note = _(
            "Candidat·e choisi·e par la commune de %(commune)s pour l'offre « %(title)s »."
        ) % {"commune": offer.commune.name, "title": offer.title}
    user.save(update_fields=["role", "commune", "claimed_cafe", "application_note"])
    Candidacy.objects.filter(pk=candidacy.pk, account__isnull=True).update(account=user)


def welcome_chosen_manager(member: User) -> None:
    """On approval (inside approve_member's transaction): the chosen manager joins the
    project's space and becomes a manager of its café when it exists."""
    for candidacy in member.candidacies.filter(chosen_at__isnull=False).select_related(
        "offer__project__cafe", "offer__cafe"
    ):
        offer = candidacy.offer
        if offer.project_id:
            ProjectMember.objects.get_or_create(
                project=offer.project, user=member, defaults={"access": ProjectAccess.FULL}
            )
        cafe = offer.cafe or (offer.project.cafe if offer.project_id else None)
        if cafe is not None:
            cafe.managers.add(member)
