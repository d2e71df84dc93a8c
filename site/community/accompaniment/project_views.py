"""The project space at /projets/<commune>/: one page, and one POST per action that comes
back to it (with a French message saying what happened or why nothing did)."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from community.accounts.decorators import member_required
from community.accounts.models import User
from community.media import serve_private_file
from community.places.models import Stage

from .forms import DocumentForm, MemberForm, MessageForm, PrestationForm, StageForm, TransferForm
from .models import ChecklistItem, Project, ProjectAccess
from .services import AccompanimentError
from .services import projects as services


def project_view(view):
    """Members with access to the project only (staff, its elected members and managers)."""

    @member_required
    @wraps(view)
    def wrapped(request: HttpRequest, slug: str, *args, **kwargs):
        project = get_object_or_404(Project.objects.select_related("commune", "cafe"), slug=slug)
        access = project.access_for(request.user)
        if access is None:
            raise PermissionDenied
        return view(request, project, access, *args, **kwargs)

    return wrapped


def _back(project: Project, anchor: str) -> HttpResponse:
    return redirect(f"{project.get_absolute_url()}#{anchor}")


def _refuse_invalid(request: HttpRequest, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label} : {error}" if label else error)


def _journey(project: Project) -> list[dict]:
    """Each stage with the date it was last entered and whether it is the current one."""
    entered = {}
    for entry in project.stage_entries.all():
        entered[entry.stage] = entry
    current = Stage.rank(project.stage)
    return [
        {
            "stage": stage,
            "entry": entered.get(stage.value) if rank <= current else None,
            "current": rank == current,
            "done": rank < current,
        }
        for rank, stage in enumerate(Stage)
    ]


@require_GET
@project_view
def project(request: HttpRequest, project: Project, access: str) -> HttpResponse:
    may_edit = access in (Project.STAFF, ProjectAccess.FULL)
    is_staff = access == Project.STAFF
    checklist = list(project.checklist.select_related("done_by"))
    context = {
        "project": project,
        "access": access,
        "may_edit": may_edit,
        "is_staff": is_staff,
        "journey": _journey(project),
        "history": project.stage_entries.select_related("entered_by").order_by(
            "-entered_on", "-created_at"
        ),
        "current_checklist": [item for item in checklist if item.stage == project.stage],
        "earlier_checklists": [
            (Stage(stage).label, [item for item in checklist if item.stage == stage])
            for stage in Stage.values[: Stage.rank(project.stage)][::-1]
            if any(item.stage == stage for item in checklist)
        ],
        "documents": project.documents.select_related("document", "added_by"),
        "prestations": project.prestations.select_related("staff"),
        "discussion": project.messages.select_related("author"),
        "members": project.members.select_related("user__commune").order_by("access", "pk"),
        "message_form": MessageForm(),
        "document_form": DocumentForm(),
    }
    if is_staff:
        context |= {
            "stage_form": StageForm(initial={"stage": _next_stage(project)}),
            "prestation_form": PrestationForm(),
            "member_form": MemberForm(),
            "transfer_form": TransferForm(project=project),
        }
    return render(request, "accompaniment/project.html", context)


def _next_stage(project: Project) -> str:
    rank = Stage.rank(project.stage)
    return Stage.values[min(rank + 1, len(Stage.values) - 1)]


def _act(request: HttpRequest, action, success: str) -> bool:
    try:
        action()
    except AccompanimentError as error:
        messages.error(request, str(error))
        return False
    messages.success(request, success)
    return True


@require_POST
@project_view
def change_stage(request: HttpRequest, project: Project, access: str) -> HttpResponse:
    form = StageForm(request.POST)
    if not form.is_valid():
        _refuse_invalid(request, form)
        return _back(project, "etapes")
    data = form.cleaned_data
    _act(
        request,
        lambda: services.move_to_stage(
            project,
            data["stage"],
            by=request.user,
            note=data["note"],
            entered_on=data["entered_on"],
            cafe_name=data["cafe_name"],
        ),
        _("Le projet est passé à l'étape « %(stage)s ».") % {"stage": Stage(data["stage"]).label},
    )
    return _back(project, "etapes")


@require_POST
@project_view
def check_item(request: HttpRequest, project: Project, access: str, item_id: int):
    item = get_object_or_404(ChecklistItem, pk=item_id, project=project)
    done = request.POST.get("done") == "1"
    _act(
        request,
        lambda: services.set_checklist_item(item, done=done, by=request.user),
        _("« %(task)s » est %(state)s.")
        % {"task": item.label, "state": _("faite") if done else _("à faire")},
    )
    return _back(project, "taches")


@require_POST
@project_view
def add_document(request: HttpRequest, project: Project, access: str) -> HttpResponse:
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        _refuse_invalid(request, form)
        return _back(project, "documents")
    _act(
        request,
        lambda: services.add_document(
            project,
            by=request.user,
            title=form.cleaned_data["title"],
            file=form.cleaned_data["file"],
        ),
        _("Document « %(title)s » ajouté.") % {"title": form.cleaned_data["title"]},
    )
    return _back(project, "documents")


@require_GET
@project_view
def document(request: HttpRequest, project: Project, access: str, document_id: int):
    project_document = get_object_or_404(
        project.documents.select_related("document"), document_id=document_id
    )
    return serve_private_file(
        project_document.document.file,
        download_name=services.document_file_name(project_document),
    )


@require_POST
@project_view
def log_prestation(request: HttpRequest, project: Project, access: str) -> HttpResponse:
    form = PrestationForm(request.POST)
    if not form.is_valid():
        _refuse_invalid(request, form)
        return _back(project, "prestations")
    _act(
        request,
        lambda: services.log_prestation(project, by=request.user, **form.cleaned_data),
        _("Prestation ajoutée au journal."),
    )
    return _back(project, "prestations")


@require_POST
@project_view
def post_message(request: HttpRequest, project: Project, access: str) -> HttpResponse:
    form = MessageForm(request.POST)
    if not form.is_valid():
        _refuse_invalid(request, form)
        return _back(project, "discussion")
    _act(
        request,
        lambda: services.post_message(project, by=request.user, body=form.cleaned_data["body"]),
        _("Message envoyé aux participant·es du projet."),
    )
    return _back(project, "discussion")


@require_POST
@project_view
def add_member(request: HttpRequest, project: Project, access: str) -> HttpResponse:
    form = MemberForm(request.POST)
    if not form.is_valid():
        _refuse_invalid(request, form)
        return _back(project, "membres")
    user = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
    if user is None:
        messages.error(
            request,
            _("Aucun membre du réseau n'a l'adresse %(email)s : invitez cette personne à adhérer.")
            % {"email": form.cleaned_data["email"]},
        )
        return _back(project, "membres")
    _act(
        request,
        lambda: services.add_member(
            project, by=request.user, user=user, access=form.cleaned_data["access"]
        ),
        _("%(name)s participe au projet.") % {"name": user.display_name},
    )
    return _back(project, "membres")


@require_POST
@project_view
def transfer(request: HttpRequest, project: Project, access: str) -> HttpResponse:
    form = TransferForm(request.POST, project=project)
    if not form.is_valid():
        _refuse_invalid(request, form)
        return _back(project, "membres")
    _act(
        request,
        lambda: services.transfer_project(
            project,
            by=request.user,
            new_team=list(form.cleaned_data["new_team"]),
            previous_keep_read=form.cleaned_data["previous_keep_read"],
        ),
        _("Le projet est confié à la nouvelle équipe municipale."),
    )
    return _back(project, "membres")
