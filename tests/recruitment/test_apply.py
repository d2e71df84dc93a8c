"""A candidate applies to an offer without an account, with a PDF CV checked by content,
and confirms by e-mail; bad files and robots leave nothing behind."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from community.recruitment.models import Candidacy, JobOffer, OfferState
from community.recruitment.services import forget_stale_candidacies

from .factories import make_candidacy, make_offer, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer():
    return make_offer(title="Gérant·e du café de Vaour")


def form(**overrides) -> dict:
    return {
        "name": "Jeanne Martin",
        "email": "Jeanne.Martin@Example.org",
        "phone": "06 12 34 56 78",
        "message": "Dix ans de restauration, l'envie d'un village.",
        "cv": pdf_upload(),
        **overrides,
    }


def stored_files(private_root) -> list:
    return [path for path in private_root.rglob("*") if path.is_file()]


def confirmation_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/offres-de-gerance/confirmer/[0-9a-f-]+/)", message.body)[1]


def test_a_candidate_applies_confirms_and_staff_hear_once(
    client, offer, staff_user, media_roots, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/offres-de-gerance/{offer.pk}/candidater/", form())
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "jeanne.martin@example.org" in page
    candidacy = Candidacy.objects.get()
    assert candidacy.confirmed_at is None
    assert candidacy.cv.name.startswith("recruitment/cv/") and candidacy.cv.name.endswith(".pdf")
    assert len(stored_files(media_roots[1])) == 1
    assert not list(media_roots[0].rglob("*.pdf")), "a CV landed in the public media"
    [confirmation] = mail.outbox
    assert confirmation.to == ["jeanne.martin@example.org"]
    assert "Gérant·e du café de Vaour" in confirmation.subject

    path = confirmation_path(confirmation)
    assert "Confirmer" in client.get(path).content.decode()
    assert Candidacy.objects.get().confirmed_at is None, "a GET confirmed"
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(path).content.decode()
    assert "Candidature confirmée" in page
    assert Candidacy.objects.get().confirmed_at is not None
    [_, told] = mail.outbox
    assert told.to == [staff_user.email]
    assert f"/offres-de-gerance/{offer.pk}/candidatures/" in told.body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path)
    assert len(mail.outbox) == 2, "staff were told twice"


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HTML = b"<!doctype html><html><script>alert(1)</script></html>"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (PNG, "Le CV doit être un fichier PDF"),
        (HTML, "Le CV doit être un fichier PDF"),
        (b"%PDF-1.4\n1 0 obj<<>>endobj\n", "Ce PDF est incomplet ou endommagé"),
        (
            b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024),
            "Le fichier pèse 5,0\xa0Mio : la limite est de 5,0\xa0Mio.",
        ),
    ],
    ids=["png", "html", "truncated-pdf", "too-large"],
)
def test_a_bad_cv_is_refused_in_french_and_nothing_is_written(
    client, offer, media_roots, django_capture_on_commit_callbacks, content, message
):
    cv = SimpleUploadedFile("cv.pdf", content, "application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/offres-de-gerance/{offer.pk}/candidater/", form(cv=cv))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Candidacy.objects.exists()
    assert stored_files(media_roots[1]) == []
    assert mail.outbox == []


def test_a_missing_cv_is_asked_for(client, offer, media_roots):
    data = form()
    del data["cv"]
    response = client.post(f"/offres-de-gerance/{offer.pk}/candidater/", data)
    assert response.status_code == 200
    assert "Champ requis." in response.content.decode()
    assert not Candidacy.objects.exists()


def test_a_robot_filling_the_honeypot_leaves_nothing(
    client, offer, media_roots, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/offres-de-gerance/{offer.pk}/candidater/", form(website="http://spam.example")
        )
    assert response.status_code == 302
    assert not Candidacy.objects.exists()
    assert stored_files(media_roots[1]) == []
    assert mail.outbox == []


def test_too_many_candidacies_from_one_address_are_slowed_down(client, offer, media_roots):
    for _attempt in range(6):
        client.post(f"/offres-de-gerance/{offer.pk}/candidater/", form())
    response = client.post(f"/offres-de-gerance/{offer.pk}/candidater/", form())
    assert response.status_code == 429
    assert "Trop de candidatures" in response.content.decode()


def test_applying_again_before_confirming_replaces_the_cv(
    client, offer, media_roots, django_capture_on_commit_callbacks
):
    url = f"/offres-de-gerance/{offer.pk}/candidater/"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, form(message="Première version."))
        client.post(url, form(message="Seconde version."))
    candidacy = Candidacy.objects.get()
    assert candidacy.message == "Seconde version."
    assert stored_files(media_roots[1]) == [media_roots[1] / candidacy.cv.name]
    assert len(mail.outbox) == 2


def test_applying_again_after_confirming_changes_nothing(
    client, offer, media_roots, django_capture_on_commit_callbacks
):
    make_candidacy(offer, name="Jeanne Martin", email="jeanne.martin@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/offres-de-gerance/{offer.pk}/candidater/", form(message="Autre chose."))
    candidacy = Candidacy.objects.get()
    assert candidacy.message == "Je veux faire vivre ce café."
    [reminder] = mail.outbox
    assert "déjà enregistrée et confirmée" in reminder.body


def test_unconfirmed_candidacies_expire_with_their_cv(
    offer, media_roots, django_capture_on_commit_callbacks
):
    old = make_candidacy(offer, name="Ancien Candidat", confirmed=False)
    Candidacy.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=15)
    )
    recent = make_candidacy(offer, name="Récente Candidate", confirmed=False)
    kept = make_candidacy(offer, name="Confirmée Candidate")
    Candidacy.objects.filter(pk=kept.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=30)
    )
    path = media_roots[1] / old.cv.name
    assert path.exists()

    with django_capture_on_commit_callbacks(execute=True):
        assert forget_stale_candidacies() == 1

    assert set(Candidacy.objects.values_list("pk", flat=True)) == {recent.pk, kept.pk}
    assert not path.exists()


def test_candidates_not_chosen_are_forgotten_a_year_after_the_offer_ended(
    settings, media_roots, django_capture_on_commit_callbacks
):
    jobs = {job["call"] for job in settings.PERIODIC_JOBS.values()}
    assert "community.recruitment.services.forget_stale_candidacies" in jobs
    now = timezone.now()
    filled = make_offer(title="Pourvue il y a un an")
    chosen = make_candidacy(filled, name="Claire Fontaine", shortlisted=True)
    Candidacy.objects.filter(pk=chosen.pk).update(chosen_at=now - datetime.timedelta(days=400))
    not_chosen = make_candidacy(filled, name="Julien Marchand")
    JobOffer.objects.filter(pk=filled.pk).update(
        state=OfferState.FILLED, ended_at=now - datetime.timedelta(days=366)
    )
    recent = make_candidacy(make_offer(title="Fermée ce mois-ci"), name="Yacine Benali")
    JobOffer.objects.filter(pk=recent.offer_id).update(
        state=OfferState.CLOSED, ended_at=now - datetime.timedelta(days=20)
    )
    forgotten_open = make_offer(
        title="Jamais fermée", closes_on=timezone.localdate() - datetime.timedelta(days=400)
    )
    lingering = make_candidacy(forgotten_open, name="Paul Lent")
    paths = {c.pk: media_roots[1] / c.cv.name for c in (not_chosen, lingering)}

    with django_capture_on_commit_callbacks(execute=True):
        assert forget_stale_candidacies() == 2

    assert set(Candidacy.objects.values_list("pk", flat=True)) == {chosen.pk, recent.pk}
    assert not any(path.exists() for path in paths.values())
