"""The project space at /projets/<commune>/: one page, and one POST per action that comes
back to it (with a French message saying what happened or why nothing did)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from community.accounts.decorators import member_required
from community.lib.refusals import refusal_as_message
from community.media import serve_private_file
from community.places.models import Stage

from .forms import (
    ChecklistItemForm,
    DocumentForm,
    MapVisibilityForm,
    MemberForm,
    MessageForm,
    PrestationForm,
    StageForm,
    TransferForm,
)
from .models import ChecklistItem, Project, ProjectAccess
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
    # The commune's own decisions (showing the project on the map, choosing the manager):
    # its elected members taking part in the project, or staff on its word.
    speaks_for_commune = is_staff or (may_edit and request.user.is_elected)
    checklist = list(project.checklist.select_related("done_by"))
    context = {
        "project": project,
        "may_edit": may_edit,
        "is_staff": is_staff,
        "speaks_for_commune": speaks_for_commune,
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
        # The consent is the commune's (services.set_map_visibility).
        "may_decide_map": is_staff or (speaks_for_commune and not project.is_closed),
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


def project_action(
    form_class: type[forms.Form], anchor: str, *, form_takes_project: bool = False
) -> Callable[[Callable[..., str]], Callable[..., HttpResponse]]:
    """One action of the space, from a function that does it with the form's cleaned data
    and says what was done: the form's errors, or the service's refusal, or that success,
    said in French at the top of the space, which the member comes back to at `anchor`."""

    def decorator(action: Callable[..., str]):
        @require_POST
        @project_view
        @wraps(action)
        def view(request: HttpRequest, project: Project, access: str, **kwargs) -> HttpResponse:
            extra = {"project": project} if form_takes_project else {}
            form = form_class(request.POST, request.FILES, **extra)
            if not form.is_valid():
                for field, errors in form.errors.items():
                    label = form.fields[field].label if field in form.fields else ""
                    for error in errors:
                        messages.error(request, f"{label} : {error}" if label else error)
            else:
                with refusal_as_message(request):
                    messages.success(request, action(request, project, form.cleaned_data, **kwargs))
            return redirect(f"{project.get_absolute_url()}#{anchor}")

        return view

    return decorator


@project_action(StageForm, "etapes")
def change_stage(request: HttpRequest, project: Project, data: dict) -> str:
    services.move_to_stage(
        project,
        data["stage"],
        by=request.user,
        note=data["note"],
        entered_on=data["entered_on"],
        cafe_name=data["cafe_name"],
    )
    return _("Le projet est passé à l'étape « %(stage)s ».") % {"stage": Stage(data["stage"]).label}


def map_consent_message(public: bool) -> str:
    """Said to whoever recorded the commune's word, here or in the admin."""
    if public:
        return _("Le projet figure sur la carte du réseau.")
    return _("Le projet ne figure plus sur la carte du réseau.")


@project_action(MapVisibilityForm, "carte")
def map_visibility(request: HttpRequest, project: Project, data: dict) -> str:
    services.set_map_visibility(project, by=request.user, public=data["public"])
    return map_consent_message(data["public"])


@project_action(ChecklistItemForm, "taches")
def check_item(request: HttpRequest, project: Project, data: dict, item_id: int) -> str:
    item = get_object_or_404(ChecklistItem, pk=item_id, project=project)
    services.set_checklist_item(item, done=data["done"], by=request.user)
    return _("« %(task)s » est %(state)s.") % {
        "task": item.label,
        "state": _("faite") if data["done"] else _("à faire"),
    }


@project_action(DocumentForm, "documents")
def add_document(request: HttpRequest, project: Project, data: dict) -> str:
    services.add_document(project, by=request.user, title=data["title"], file=data["file"])
    return _("Document « %(title)s » ajouté.") % {"title": data["title"]}


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


@project_action(PrestationForm, "prestations")
def log_prestation(request: HttpRequest, project: Project, data: dict) -> str:
    services.log_prestation(project, by=request.user, **data)
    return _("Prestation ajoutée au journal.")


@project_action(MessageForm, "discussion")
def post_message(request: HttpRequest, project: Project, data: dict) -> str:
    services.post_message(project, by=request.user, body=data["body"])
    return _("Message envoyé aux participant·es du projet.")


@project_action(MemberForm, "membres")
def add_member(request: HttpRequest, project: Project, data: dict) -> str:
    services.add_member(project, by=request.user, user=data["email"], access=data["access"])
    return _("%(name)s participe au projet.") % {"name": data["email"].display_name}


@project_action(TransferForm, "membres", form_takes_project=True)
def transfer(request: HttpRequest, project: Project, data: dict) -> str:
    services.transfer_project(
        project,
        by=request.user,
        new_team=list(data["new_team"]),
        previous_keep_read=data["previous_keep_read"],
    )
    return _("Le projet est confié à la nouvelle équipe municipale.")
