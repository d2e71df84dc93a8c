"""Builders for the communes' journey, shared by its tests."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.text import slugify

from community.accompaniment.models import (
    Applicant,
    ApplicantFunction,
    Application,
    ApplicationStatus,
    Premises,
    Project,
    ProjectMember,
    Situation,
    StageEntry,
)
from community.places.models import Commune, Stage
from tests.factories import make_commune


def make_application(
    commune: Commune | None = None,
    *,
    status: str = ApplicationStatus.RECEIVED,
    email: str = "mairie@example.org",
    received_on: datetime.date | None = None,
    **fields,
) -> Application:
    commune = commune or make_commune()
    confirmed = status != ApplicationStatus.UNCONFIRMED
    application = Application.objects.create(
        commune=commune,
        status=status,
        situation=fields.pop("situation", Situation.CLOSED),
        premises=fields.pop("premises", Premises.YES),
        description=fields.pop("description", "Rouvrir le café de la place de l'église."),
        received_on=received_on or (timezone.localdate() if confirmed else None),
        **fields,
    )
    Applicant.objects.create(
        application=application,
        name="Marie Maire",
        function=ApplicantFunction.MAYOR,
        email=email,
        confirmed_at=timezone.now() if confirmed else None,
    )
    return application


def make_project(
    commune: Commune | None = None,
    *,
    stage: str = Stage.PREFIGURATION,
    members=(),
    entered_on: datetime.date | None = None,
) -> Project:
    """An accepted application's project that entered every stage up to `stage`."""
    application = make_application(commune, status=ApplicationStatus.ACCEPTED)
    project = Project.objects.create(
        commune=application.commune,
        application=application,
        slug=slugify(f"{application.commune.name}-{application.commune.insee_code}"),
        stage=stage,
    )
    for value in Stage.values[1 : Stage.rank(stage) + 1]:
        StageEntry.objects.create(
            project=project, stage=value, entered_on=entered_on or timezone.localdate()
        )
    for user in members:
        ProjectMember.objects.create(project=project, user=user)
    return project
