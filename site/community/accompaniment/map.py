"""The communes' projects on the public map (places.map): a project in progress whose
commune agreed (Project.public) is shown before its café exists, at the commune's centre.
Once it has a café, the café is the point (Cafe.objects.public() reads the same consent)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext as _

from community.places.map import MAP_CACHE, MapCafe, map_point, register_source

from .models import Project


def projects_in_progress() -> list[MapCafe]:
    projects = Project.objects.filter(
        public=True, cafe__isnull=True, closed_on__isnull=True
    ).select_related("commune__department__region")
    return [
        map_point(
            project.commune,
            project.commune.centre,
            kind="project",
            pk=project.pk,
            name=_("Projet de café de %(commune)s") % {"commune": project.commune.name},
            url="",
            address="",
            stage=project.stage,
            stage_label=str(project.get_stage_display()),
            services=(),
            service_names=(),
        )
        for project in projects
    ]


def connect() -> None:
    """Called once by AccompanimentConfig.ready(): the map shows the projects, and a project's
    consent, stage, café or stop changes what the map shows."""
    register_source(projects_in_progress)
    post_save.connect(MAP_CACHE.invalidate, sender=Project, dispatch_uid="map:Project")
    post_delete.connect(MAP_CACHE.invalidate, sender=Project, dispatch_uid="map:Project:delete")
