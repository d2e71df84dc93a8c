"""Demo webinars for development and review, read from demo_data/webinars.yaml by the shell's
seed_demo command.

Idempotent: pages are found by slug and registrations by (webinar, member); an existing
page is left as it is, so re-running never moves dates nor bumps calendar sequences.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from wagtail.models import Site

from community.accounts.models import User
from community.home.models import HomePage
from community.lib.demo import DemoData, Log
from community.lib.formats import PARIS

from .models import Registration, RegistrationStatus, WebinarIndexPage, WebinarPage

DATA = DemoData(__file__)


def _home() -> HomePage | None:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific
    return HomePage.objects.first()


def _index(home: HomePage, spec: dict[str, Any]) -> WebinarIndexPage:
    index = WebinarIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(instance=WebinarIndexPage(**spec))
        index.save_revision().publish()
    return index


def _when(spec: dict[str, Any]) -> tuple[datetime, datetime]:
    if "in_days" in spec:
        day = timezone.now().astimezone(PARIS).date() + timedelta(days=spec["in_days"])
    else:
        day = spec["day"]
    start = datetime.combine(day, time.fromisoformat(spec["starts"]), tzinfo=PARIS)
    return start, start + timedelta(minutes=spec["minutes"])


def _webinar(index: WebinarIndexPage, spec: dict[str, Any]) -> tuple[WebinarPage, bool]:
    page = WebinarPage.objects.child_of(index).filter(slug=spec["slug"]).first()
    if page is not None:
        return page, False
    start, end = _when(spec)
    page = index.add_child(
        instance=WebinarPage(
            title=spec["title"],
            slug=spec["slug"],
            start=start,
            end=end,
            audience=spec["audience"],
            speakers=spec["speakers"],
            description=spec["description"],
            capacity=spec.get("capacity", 100),
            join_link="https://visio.example.org/b/1000-cafes-" + spec["slug"][:20],
            recording_url=spec.get("recording_url", ""),
        )
    )
    page.save_revision().publish()
    return page, True


def _register(page: WebinarPage, member: User, attended: bool | None) -> bool:
    """Seeded directly rather than through the services: no e-mails for demo data."""
    if Registration.objects.filter(webinar=page, member=member).exists():
        return False
    confirmed = page.confirmed_count() < page.capacity
    Registration.objects.create(
        webinar=page,
        member=member,
        status=RegistrationStatus.CONFIRMED if confirmed else RegistrationStatus.WAITING,
        queued_at=page.start - timedelta(days=7),
        confirmed_at=page.start - timedelta(days=7) if confirmed else None,
        attended=attended if confirmed else None,
    )
    return True


def seed(log: Log) -> None:
    home = _home()
    if home is None:
        log("Webinaires : pas de page d'accueil, rien à créer.")
        return
    data = DATA.read("webinars")
    with transaction.atomic():
        index = _index(home, data["index"])
        members = {user.email: user for user in User.objects.filter(email__endswith="@example.org")}
        created = registrations = 0
        for spec in data["webinars"]:
            page, is_new = _webinar(index, spec)
            created += is_new
            for email, attended in spec.get("registrations", {}).items():
                member = members.get(email)
                if member is not None and member.is_approved_member:
                    registrations += _register(page, member, attended)
    log(
        f"Webinaires : {len(data['webinars'])} webinaires dans {index.url or '/webinaires/'} "
        f"({created} créés), {registrations} inscriptions ajoutées."
    )
