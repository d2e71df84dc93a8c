"""Demo data of the job offers, called by `manage.py seed_demo` after the communes' journey:
two projects in the recrutement stage publish their offer (the report counts 38 managers
recruited in 2025 through such offers), one with candidates, two of them shortlisted by
staff for the mairie to choose from; a municipal café of the network in the recrutement
stage looks for its manager too, as demo_data/offers.yaml says. A second run adds nothing."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from community.accompaniment.models import Project
from community.accounts.models import User
from community.lib.demo import DemoData, Log, pdf
from community.places.models import Cafe, Stage

from .models import Candidacy, JobOffer

DATA = DemoData(__file__)


def seed(log: Log) -> None:
    staff = User.objects.network_staff().first()
    if staff is None:
        return
    data = DATA.read("offers")
    created = _project_offers(staff, data) + _cafe_offer(staff, data["cafe_offer"])
    if created:
        log(f"  Offres de gérance publiées pour des cafés en recrutement : {created}.")


def _project_offers(staff: User, data: dict[str, Any]) -> int:
    """The offers of two projects in the recrutement stage; the first has candidates."""
    if JobOffer.objects.filter(project__isnull=False).exists():
        return 0
    projects = Project.objects.filter(
        stage=Stage.RECRUITMENT, closed_on__isnull=True
    ).select_related("commune")[: len(data["project_offers"])]
    today = timezone.localdate()
    offers = [
        JobOffer.objects.create(
            project=project,
            starts_on=today + datetime.timedelta(days=75),
            closes_on=today + datetime.timedelta(days=30),
            published_by=staff,
            **fields,
        )
        for project, fields in zip(projects, data["project_offers"], strict=False)
    ]
    for offer in offers[:1]:
        now = timezone.now()
        template = data["candidacy"]
        for candidate in data["candidates"]:
            name, shortlisted = candidate["name"], candidate["shortlisted"]
            words = {"name": name, "first_name": name.split()[0], "commune": offer.commune.name}
            cv = [line.format(**words) for line in template["cv"]]
            Candidacy.objects.create(
                offer=offer,
                name=name,
                email=candidate["email"],
                phone=candidate["phone"],
                message=template["message"].format(**words),
                cv=ContentFile(pdf(*cv), name="cv.pdf"),
                confirmed_at=now,
                shortlisted_at=now if shortlisted else None,
                shortlisted_by=staff if shortlisted else None,
            )
    return len(offers)


def _cafe_offer(staff: User, fields: dict[str, Any]) -> int:
    """A café of the network in the recrutement stage, without a project, looks for its
    manager."""
    if JobOffer.objects.filter(project__isnull=True).exists():
        return 0
    cafe = Cafe.objects.filter(stage=Stage.RECRUITMENT, project__isnull=True).first()
    if cafe is None:
        return 0
    today = timezone.localdate()
    JobOffer.objects.create(
        cafe=cafe,
        starts_on=today + datetime.timedelta(days=90),
        closes_on=today + datetime.timedelta(days=45),
        published_by=staff,
        **fields,
    )
    return 1
