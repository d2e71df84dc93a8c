"""Small builders for test data: explicit, no magic, shared by every module's tests."""

from __future__ import annotations

import itertools
import time

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

from community.accounts.models import MembershipStatus, Role, User
from community.accounts.roles import sync_role_groups
from community.places.models import Cafe, Commune, Department, Region

PASSWORD = "mot-de-passe-de-test-2025"
# The authenticator app of every staff account the tests create (the admin requires one).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
_sequence = itertools.count(1)
_commune_numbers = itertools.count(1)


def make_commune(
    name: str = "Saint-Antonin",
    insee_code: str | None = None,
    department_code: str = "81",
    population: int = 850,
    postal_codes: str = "81120",
) -> Commune:
    region, _ = Region.objects.get_or_create(code="76", defaults={"name": "Occitanie"})
    department, _ = Department.objects.get_or_create(
        code=department_code, defaults={"name": f"Département {department_code}", "region": region}
    )
    if insee_code is None:
        # Three digits after the department, whatever the number of communes a run creates.
        insee_code = f"{department_code}{next(_commune_numbers) % 1000:03d}"
    return Commune.objects.create(
        insee_code=insee_code,
        name=name,
        department=department,
        population=population,
        postal_codes=postal_codes,
    )


def make_cafe(name: str = "Le Café du Village", commune: Commune | None = None, **fields) -> Cafe:
    return Cafe.objects.create(name=name, commune=commune or make_commune(), **fields)


def make_member(
    role: str = Role.ELECTED,
    *,
    email: str | None = None,
    status: str = MembershipStatus.APPROVED,
    verified: bool = True,
    display_name: str | None = None,
    commune: Commune | None = None,
    cafe: Cafe | None = None,
    totp: bool | None = None,
    **fields,
) -> User:
    """totp: enrol the authenticator app of TOTP_SECRET; staff get one unless told not to."""
    n = next(_sequence)
    email = email or f"{role}{n}@example.org"
    if commune is None and role in (Role.ELECTED, Role.MANAGER):
        commune = cafe.commune if cafe else make_commune(name=f"Commune {n}")
    user = User.objects.create_user(
        email=email,
        password=PASSWORD,
        display_name=display_name or f"{Role(role).label} {n}",
        role=role,
        commune=commune,
        membership_status=status,
        **fields,
    )
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    if cafe is not None:
        cafe.managers.add(user)
    sync_role_groups(user)
    if totp if totp is not None else role == Role.STAFF:
        TOTP.activate(user, TOTP_SECRET)
    return user


def totp_code(secret: str = TOTP_SECRET, at: float | None = None) -> str:
    """The code an authenticator app shows now (or at `at`), computed as the app does.

    allauth accepts no drift: a code of the window's last seconds may reach the check in the
    next window and be refused, so "now" waits for a fresh window then, as a person would."""
    if at is None:
        left = 30 - time.time() % 30
        if left < 3:
            time.sleep(left + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time() if at is None else at) // 30))
