"""Builders for the job offers' tests."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from community.lib.demo import pdf
from community.places.models import Cafe, Stage
from community.recruitment.models import Candidacy, ContractType, JobOffer
from tests.accompaniment.factories import make_project


def pdf_upload(name: str = "cv.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf("Jeanne Martin - Curriculum vitae"), "application/pdf")


def make_offer(*, members=(), cafe: Cafe | None = None, **fields) -> JobOffer:
    """An open offer of a project in the recrutement stage, in the commune of its first
    member, whose members are `members`; or of `cafe` when given."""
    today = timezone.localdate()
    project = None
    if cafe is None:
        commune = members[0].commune if members else None
        project = make_project(commune, stage=Stage.RECRUITMENT, members=members)
    return JobOffer.objects.create(
        project=project,
        cafe=cafe,
        title=fields.pop("title", "Gérant·e du café de la place"),
        contract_type=fields.pop("contract_type", ContractType.GERANCE),
        starts_on=fields.pop("starts_on", today + datetime.timedelta(days=60)),
        closes_on=fields.pop("closes_on", today + datetime.timedelta(days=20)),
        description=fields.pop("description", "Le café rouvre au printemps."),
        **fields,
    )


def make_candidacy(
    offer: JobOffer,
    *,
    name: str = "Jeanne Martin",
    email: str | None = None,
    confirmed: bool = True,
    shortlisted: bool = False,
) -> Candidacy:
    now = timezone.now()
    return Candidacy.objects.create(
        offer=offer,
        name=name,
        email=email or f"{name.split()[0].lower()}@example.org",
        phone="06 00 00 00 00",
        message="Je veux faire vivre ce café.",
        cv=ContentFile(pdf(f"{name} - Curriculum vitae"), name="cv.pdf"),
        confirmed_at=now if confirmed else None,
        shortlisted_at=now if shortlisted else None,
    )
