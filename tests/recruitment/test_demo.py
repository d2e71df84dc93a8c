"""The demo's job offers: projects and a café in the recrutement stage publish theirs, once."""

from __future__ import annotations

import pytest

from community.accounts.models import Role
from community.places.models import Stage
from community.recruitment import demo
from community.recruitment.models import Candidacy, JobOffer
from tests.accompaniment.factories import make_project
from tests.documents import pdf_lines
from tests.factories import make_cafe, make_member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_roots")]


def test_the_demo_publishes_offers_with_a_shortlist_once():
    make_member(Role.STAFF)
    projects = [make_project(stage=Stage.RECRUITMENT) for _ in range(3)]
    make_project(stage=Stage.OPENING)
    cafe = make_cafe(stage=Stage.RECRUITMENT)

    demo.seed(lambda message: None)
    demo.seed(lambda message: None)

    offers = list(JobOffer.objects.all())
    assert len(offers) == 3
    assert {offer.project for offer in offers if offer.project} <= set(projects)
    assert [offer.cafe for offer in offers if offer.cafe] == [cafe]
    assert all(offer.is_public for offer in offers)
    assert Candidacy.objects.confirmed().count() == 3
    assert Candidacy.objects.filter(shortlisted_at__isnull=False).count() == 2
    for candidacy in Candidacy.objects.all():
        assert pdf_lines(candidacy.cv.read()) == [
            f"{candidacy.name} - Curriculum vitae",
            "",
            "Commerce et restauration, 8 ans",
            "Permis B",
        ]
