from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.management.sql import emit_post_migrate_signal
from django.db.models.signals import post_migrate

from community.accounts.models import Role
from community.accounts.roles import ROLE_GROUPS
from community.migrating import after_every_app_migrated


@pytest.mark.django_db
def test_a_handler_runs_once_per_migrate_after_every_app():
    calls = []

    def handler(sender, **kwargs):
        calls.append(sender.label)

    last = after_every_app_migrated(handler, "tests.once")
    try:
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    finally:
        post_migrate.disconnect(sender=last, dispatch_uid="tests.once")
    assert calls == [last.label]


@pytest.mark.django_db
def test_post_migrate_gives_staff_back_their_rights():
    staff = Group.objects.get(name=ROLE_GROUPS[Role.STAFF])
    staff.permissions.clear()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    codenames = set(staff.permissions.values_list("codename", flat=True))
    assert {"review_membership", "add_cafe", "choose_image"} <= codenames
