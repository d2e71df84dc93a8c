from __future__ import annotations

from django.apps import AppConfig

# Staff triage applications (view, decide), keep the stages' checklists and follow projects.
STAFF_GRANTS = (
    ("view", "application"),
    ("change", "application"),
    ("add", "checklisttemplate"),
    ("change", "checklisttemplate"),
    ("delete", "checklisttemplate"),
    ("view", "checklisttemplate"),
    ("view", "project"),
    ("change", "project"),
)


class AccompanimentConfig(AppConfig):
    name = "community.accompaniment"
    label = "accompaniment"
    verbose_name = "Accompagnement des communes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from community.accounts.roles import STAFF_PERMISSIONS
        from community.accounts.services import member_approved

        from . import map
        from .services.projects import enrol_new_elected_member

        map.connect()

        member_approved.connect(
            lambda sender, member, **kwargs: enrol_new_elected_member(member),
            dispatch_uid="accompaniment.enrol_new_elected_member",
            weak=False,
        )

        for action, model in STAFF_GRANTS:
            if (self.label, f"{action}_{model}") not in STAFF_PERMISSIONS:
                STAFF_PERMISSIONS.append((self.label, f"{action}_{model}"))
