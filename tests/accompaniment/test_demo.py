"""The journey's demo opens its projects as staff open one, through the public service."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from community.accompaniment.demo import LIVE
from community.accompaniment.models import ApplicationDecision, ApplicationStatus, Project
from community.accounts.models import Role
from community.places.models import Stage

pytestmark = pytest.mark.django_db


def test_each_live_project_is_opened_by_accepting_its_application(media_roots):
    call_command("seed_demo", stdout=StringIO())
    live = Project.objects.filter(application__imported=False).select_related("application")
    assert sorted(project.stage for project in live) == sorted(Stage.values)
    assert len(Stage.values) == LIVE
    for project in live:
        [decision] = ApplicationDecision.objects.filter(application=project.application)
        assert decision.status == ApplicationStatus.ACCEPTED
        assert decision.decided_by.role == Role.STAFF
        assert project.application.status == ApplicationStatus.ACCEPTED
        assert project.stage_entries.filter(stage=Stage.APPLICATION).exists()
