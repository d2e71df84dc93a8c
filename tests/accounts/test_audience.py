from __future__ import annotations

import pytest

from community.accounts.audience import Audience, audiences_for, can_see
from tests.conftest import ROLE_FIXTURES
from tests.matrix import AUDIENCES, ROLES


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_exactly_its_audiences(request, role):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if role == "anonymous" else request.getfixturevalue(ROLE_FIXTURES[role])

    assert audiences_for(user) == AUDIENCES[role]
    for audience in Audience.values:
        assert can_see(user, audience) == (audience in AUDIENCES[role])
