"""Projects in the site search, found only by those who may open them (staff, the project's
elected members and managers). Applications are never searchable: they hold the contact
details of people who are not members."""

from __future__ import annotations

from community.accounts.models import User
from community.lib.searchable import Document, DocumentType, register, register_access
from community.places.models import Commune

from .models import Prestation, Project, ProjectMember, StageEntry


def project_document(project: Project) -> Document:
    commune = project.commune
    cafe = project.cafe.name if project.cafe_id else ""
    notes = " ".join(project.prestations.exclude(note="").values_list("note", flat=True)[:20])
    return Document(
        title=str(project),
        url=project.get_absolute_url(),
        text=" ".join(
            [commune.name, str(commune.department), project.get_stage_display(), cafe, notes]
        ),
        date=project.created_at,
        access={"project_id": project.pk},
    )


def visible_project_ids(user: User) -> list[int]:
    if not (user.is_authenticated and user.is_approved_member):
        return []
    if user.is_network_staff:
        return list(Project.objects.values_list("pk", flat=True))
    return list(ProjectMember.objects.filter(user=user).values_list("project_id", flat=True))


register(
    DocumentType(
        name="project",
        label="Projet de café",
        model=Project,
        to_document=project_document,
        access=("project_id",),
        queryset=lambda: Project.objects.select_related("commune__department", "cafe"),
        depends_on={
            Commune: lambda commune: commune.projects.all(),
            StageEntry: lambda entry: [Project(pk=entry.project_id)],
            Prestation: lambda prestation: [Project(pk=prestation.project_id)],
        },
    )
)
register_access("project_id", visible_project_ids)
