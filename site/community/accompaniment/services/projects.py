"""The project space's writes: stages, checklists, documents, prestations, the discussion
and who takes part. Each checks the actor's access to the project (Project.access_for)."""

from __future__ import annotations

import datetime
import os
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.models import Collection

from community.mail import send_email_after_commit
from community.places.models import Cafe, Stage
from community.uploads import check_pdf, check_size, detected_extension, open_image

from ..models import (
    ChecklistItem,
    ChecklistTemplate,
    Prestation,
    Project,
    ProjectAccess,
    ProjectDocument,
    ProjectMember,
    ProjectMessage,
    StageEntry,
)
from . import AccompanimentError

if TYPE_CHECKING:
    from community.accounts.models import User

DOCUMENTS_COLLECTION = "Projets de café"
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
OFFICE_EXTENSIONS = {"odt", "ods", "odp", "docx", "xlsx", "pptx"}


def _require(project: Project, user: User, *, staff: bool = False) -> str:
    access = project.access_for(user)
    if staff and access != Project.STAFF:
        raise AccompanimentError(_("Seule l'équipe du réseau peut faire cela."))
    if access not in (Project.STAFF, ProjectAccess.FULL):
        raise AccompanimentError(
            _("Vous suivez ce projet en lecture seule : vous ne pouvez pas le modifier.")
        )
    return access


def _locked(project: Project) -> Project:
    return (
        Project.objects.select_for_update(of=("self",))
        .select_related("commune", "cafe")
        .get(pk=project.pk)
    )


def _participants(project: Project, *, except_user: User | None = None) -> list[str]:
    """Who hears of the project's news: its members, and the team members who worked on it
    (every staff member while nobody has yet)."""
    from community.accounts.models import User

    members = User.objects.reachable().filter(project_memberships__project=project)
    team = User.objects.network_staff().filter(
        pk__in=[
            *project.prestations.values_list("staff", flat=True),
            *project.stage_entries.values_list("entered_by", flat=True),
            *project.messages.values_list("author", flat=True),
        ]
    )
    if not team.exists():
        team = User.objects.network_staff()
    users = (members | team).distinct()
    if except_user is not None:
        users = users.exclude(pk=except_user.pk)
    return list(users.values_list("email", flat=True))


@transaction.atomic
def move_to_stage(
    project: Project,
    stage: str,
    *,
    by: User,
    note: str = "",
    entered_on: datetime.date | None = None,
    cafe_name: str = "",
) -> StageEntry:
    """Staff move the project to the next stage, or back to an earlier one with a reason.

    Entering a stage copies its checklist; reaching « ouverture » creates the commune's café
    (or links the one named), whose stage then follows the project's."""
    _require(project, by, staff=True)
    project = _locked(project)
    note = note.strip()
    today = timezone.localdate()
    entered_on = entered_on or today
    if stage not in Stage.values or stage == project.stage:
        raise AccompanimentError(_("Choisissez une autre étape que l'étape actuelle."))
    if project.is_closed:
        raise AccompanimentError(_("Ce projet est arrêté : il ne change plus d'étape."))
    backwards = Stage.rank(stage) < Stage.rank(project.stage)
    if backwards and not note:
        raise AccompanimentError(_("Indiquez pourquoi le projet revient à une étape antérieure."))
    if not backwards and Stage.rank(stage) != Stage.rank(project.stage) + 1:
        next_stage = Stage(Stage.values[Stage.rank(project.stage) + 1])
        raise AccompanimentError(
            _("Les étapes se franchissent dans l'ordre : la prochaine est « %(stage)s ».")
            % {"stage": next_stage.label}
        )
    if entered_on > today:
        raise AccompanimentError(_("La date d'entrée dans l'étape ne peut pas être future."))
    last = project.stage_entries.order_by("-entered_on").first()
    if last is not None and entered_on < last.entered_on:
        raise AccompanimentError(
            _("La date ne peut pas précéder celle de l'étape précédente (%(date)s).")
            % {"date": last.entered_on.strftime("%d/%m/%Y")}
        )
    if stage == Stage.OPENING and project.cafe is None:
        cafe_name = " ".join(cafe_name.split())
        if not cafe_name:
            raise AccompanimentError(
                _("Indiquez le nom du café : l'ouverture l'ajoute aux cafés du réseau.")
            )
        project.cafe = Cafe.objects.filter(
            commune=project.commune, name__iexact=cafe_name, project__isnull=True
        ).first() or Cafe.objects.create(
            # Staff complete its address and place it on the map.
            name=cafe_name,
            commune=project.commune,
            needs_review=True,
        )
    project.stage = stage
    project.save(update_fields=["stage", "cafe"])
    if project.cafe is not None:
        # A save (not update()): the map's cache and the search index follow the café's stage.
        project.cafe.stage = stage
        project.cafe.save(update_fields=["stage", "updated_at"])
        project.cafe.managers.add(
            *project.members.filter(user__role="manager").values_list("user", flat=True)
        )
    entry = StageEntry.objects.create(
        project=project,
        stage=stage,
        entered_on=entered_on,
        entered_by=by,
        note=note,
        backwards=backwards,
    )
    if not project.checklist.filter(stage=stage).exists():
        ChecklistItem.objects.bulk_create(
            ChecklistItem(project=project, stage=stage, label=item.label, position=item.position)
            for item in ChecklistTemplate.objects.filter(stage=stage)
        )
    send_email_after_commit(
        "project_stage",
        _participants(project, except_user=by),
        {"project": project, "entry": entry},
    )
    return entry


@transaction.atomic
def set_map_visibility(project: Project, *, by: User, public: bool) -> Project:
    """The commune agrees, or no longer agrees, that its project in progress shows on the
    network's public map (and its café's page before the opening). The commune decides:
    its elected members taking part in the project, or staff on its word."""
    from community.accounts.models import Role

    access = _require(project, by)
    if access != Project.STAFF and by.role != Role.ELECTED:
        raise AccompanimentError(
            _(
                "Seul·es les élu·es de la commune et l'équipe du réseau décident de montrer "
                "le projet."
            )
        )
    project = _locked(project)
    if public and project.is_closed:
        raise AccompanimentError(_("Ce projet est arrêté : il ne figure plus sur la carte."))
    if project.public != public:
        project.public = public
        project.save(update_fields=["public"])
        if project.cafe is not None:
            # A save (not update()): the café's page, its search document and the map follow.
            project.cafe.save(update_fields=["updated_at"])
    return project


@transaction.atomic
def set_checklist_item(item: ChecklistItem, *, done: bool, by: User) -> ChecklistItem:
    _require(item.project, by)
    item = ChecklistItem.objects.select_for_update().get(pk=item.pk)
    if done and item.done_at is None:
        item.done_at, item.done_by = timezone.now(), by
    elif not done:
        item.done_at, item.done_by = None, None
    item.save(update_fields=["done_at", "done_by"])
    return item


def validate_project_document(file) -> str:
    """The stored extension of a study, budget or lease: a PDF, an office document or an
    image, as its content says; a French ValidationError otherwise."""
    check_size(file, MAX_DOCUMENT_BYTES)
    extension = detected_extension(file)
    if extension == "pdf":
        check_pdf(file)
    elif extension in ("jpg", "png", "webp"):
        open_image(file)
    elif extension not in OFFICE_EXTENSIONS:
        raise ValidationError(
            _(
                "Ce fichier n'est pas accepté : envoyez un PDF, un document de traitement de "
                "texte ou un tableur (Word, Excel, LibreOffice) ou une image (JPEG, PNG, WebP)."
            ),
            code="document_format",
        )
    return extension


def add_document(project: Project, *, by: User, title: str, file) -> ProjectDocument:
    _require(project, by)
    title = " ".join(title.split())
    if not title:
        raise AccompanimentError(_("Donnez un titre au document."))
    try:
        extension = validate_project_document(file)
    except ValidationError as error:
        raise AccompanimentError(" ".join(error.messages)) from None
    file.name = f"{slugify(title)[:60] or 'document'}.{extension}"
    with transaction.atomic():
        document = get_document_model().objects.create(
            title=title, file=file, collection=_documents_collection(), uploaded_by_user=by
        )
        return ProjectDocument.objects.create(project=project, document=document, added_by=by)


def _documents_collection() -> Collection:
    collection = Collection.objects.filter(name=DOCUMENTS_COLLECTION).first()
    return collection or Collection.get_first_root_node().add_child(name=DOCUMENTS_COLLECTION)


def document_file_name(project_document: ProjectDocument) -> str:
    """The name offered to the browser, without extension."""
    return os.path.splitext(os.path.basename(project_document.document.file.name))[0]


@transaction.atomic
def log_prestation(
    project: Project,
    *,
    by: User,
    date: datetime.date,
    kind: str,
    duration_hours: Decimal | None = None,
    note: str = "",
) -> Prestation:
    _require(project, by, staff=True)
    if date > timezone.localdate():
        raise AccompanimentError(_("Le journal note les prestations faites : pas de date future."))
    if duration_hours is not None and duration_hours <= 0:
        raise AccompanimentError(_("La durée doit être positive."))
    return Prestation.objects.create(
        project=project,
        date=date,
        kind=kind,
        staff=by,
        duration_hours=duration_hours,
        note=note.strip(),
    )


@transaction.atomic
def post_message(project: Project, *, by: User, body: str) -> ProjectMessage:
    _require(project, by)
    body = body.strip()
    if not body:
        raise AccompanimentError(_("Votre message est vide."))
    message = ProjectMessage.objects.create(project=project, author=by, body=body)
    send_email_after_commit(
        "project_message",
        _participants(project, except_user=by),
        {"project": project, "message": message},
    )
    return message


def _check_may_join(project: Project, user: User) -> None:
    from community.accounts.models import Role

    if not user.is_approved_member:
        raise AccompanimentError(
            _("%(name)s n'est pas encore membre validé·e du réseau.") % {"name": user.display_name}
        )
    if user.role == Role.MANAGER:
        return
    if user.role != Role.ELECTED or user.commune_id != project.commune_id:
        raise AccompanimentError(
            _(
                "Seul·es les élu·es de %(commune)s et les gérant·es peuvent rejoindre le projet ; "
                "%(name)s ne l'est pas."
            )
            % {"commune": project.commune.name, "name": user.display_name}
        )


@transaction.atomic
def add_member(project: Project, *, by: User, user: User, access: str = ProjectAccess.FULL):
    """Staff add an elected member of the commune or the recruited manager."""
    _require(project, by, staff=True)
    _check_may_join(project, user)
    membership, created = ProjectMember.objects.get_or_create(
        project=project, user=user, defaults={"access": access, "added_by": by}
    )
    if not created and membership.access != access:
        membership.access = access
        membership.save(update_fields=["access"])
    if project.cafe_id and user.role == "manager":
        project.cafe.managers.add(user)
    return membership


@transaction.atomic
def transfer_project(
    project: Project, *, by: User, new_team: list[User], previous_keep_read: bool
) -> None:
    """A new municipal team takes the project over: the elected members chosen get full
    access; the previous ones keep read access or lose it, as staff choose."""
    from community.accounts.models import Role

    _require(project, by, staff=True)
    if not new_team:
        raise AccompanimentError(_("Choisissez au moins un·e élu·e de la nouvelle équipe."))
    for user in new_team:
        if user.role != Role.ELECTED:
            raise AccompanimentError(
                _("%(name)s n'est pas élu·e : le projet passe à l'équipe municipale.")
                % {"name": user.display_name}
            )
        _check_may_join(project, user)
    previous = project.members.filter(user__role=Role.ELECTED).exclude(user__in=new_team)
    if previous_keep_read:
        previous.update(access=ProjectAccess.READ)
    else:
        previous.delete()
    for user in new_team:
        ProjectMember.objects.update_or_create(
            project=project,
            user=user,
            defaults={"access": ProjectAccess.FULL, "added_by": by},
        )


def enrol_commune_elected(project: Project, *, by: User | None = None) -> None:
    """Give full access to the commune's approved elected members who have none yet."""
    from community.accounts.models import Role, User

    elected = User.objects.reachable().filter(role=Role.ELECTED, commune=project.commune_id)
    ProjectMember.objects.bulk_create(
        [ProjectMember(project=project, user=user, added_by=by) for user in elected],
        ignore_conflicts=True,
    )


def enrol_new_elected_member(user: User) -> None:
    """An elected member of a commune whose project is under way joins it on approval."""
    from community.accounts.models import Role

    if user.role != Role.ELECTED or user.commune_id is None:
        return
    for project in Project.objects.filter(commune=user.commune_id, closed_on__isnull=True):
        ProjectMember.objects.get_or_create(project=project, user=user)
