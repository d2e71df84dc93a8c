from __future__ import annotations

import pytest

from community.accounts.audience import Audience, audiences_for, can_see
from tests.conftest import ROLE_FIXTURES
from tests.matrix import ROLES

EXPECTED = {
    "anonymous": {Audience.PUBLIC},
    "pending": {Audience.PUBLIC},
    "refused": {Audience.PUBLIC},
    "elected": {Audience.PUBLIC, Audience.MEMBERS, Audience.ELECTED},
    "manager": {Audience.PUBLIC, Audience.MEMBERS, Audience.MANAGERS},
    "partner": {Audience.PUBLIC, Audience.MEMBERS},
    "staff": set(Audience.values),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_exactly_its_audiences(request, role):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if role == "anonymous" else request.getfixturevalue(ROLE_FIXTURES[role])

    assert audiences_for(user) == EXPECTED[role]
    for audience in Audience.values:
        assert can_see(user, audience) == (audience in EXPECTED[role])
