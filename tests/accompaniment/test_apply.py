"""A commune applies at /candidater/, confirms by e-mail, and staff hear of it once."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from community.accompaniment.models import Applicant, Application, ApplicationStatus
from community.accompaniment.services.applications import (
    ApplicationForm,
    expire_unconfirmed_applications,
    submit_application,
)
from tests.accompaniment.factories import make_application, make_project
from tests.concurrency import run_at_once
from tests.factories import make_commune
from tests.matrix import cases, check, everyone


def form_data(place, **overrides) -> dict[str, str]:
    return {
        "commune": place.label,
        "name": "Marie Dupont",
        "function": "mayor",
        "email": "Maire@Saint-Antonin.fr",
        "phone": "05 63 00 00 00",
        "situation": "closed",
        "premises": "yes",
        "description": "Le café de la place a fermé en 2022 ; le conseil veut le rouvrir.",
        "heard_from": "L'association des maires ruraux",
        **overrides,
    }


def confirmation_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/candidater/confirmer/[0-9a-f-]+/)", message.body)[1]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "role", "expected"),
    cases(
        {
            "/candidater/": everyone(200),
            "/candidater/envoyee/": everyone(200),
            "/nous-rejoindre/": everyone(200),
            f"/candidater/confirmer/{'0' * 8}-0000-4000-8000-{'0' * 12}/": everyone(404),
        }
    ),
)
def test_the_public_pages_of_applying_answer_every_role(client_for, url, role, expected):
    check(client_for(role), url, expected)


@pytest.mark.django_db
def test_a_mayor_applies_confirms_by_email_and_staff_are_told_once(
    client, staff_user, django_capture_on_commit_callbacks
):
    commune = make_commune("Saint-Antonin", population=850)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/candidater/", form_data(commune))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "maire@saint-antonin.fr" in page
    application = Application.objects.get()
    assert application.status == ApplicationStatus.UNCONFIRMED
    assert application.received_on is None
    [confirmation] = mail.outbox
    assert confirmation.to == ["maire@saint-antonin.fr"]
    assert "Saint-Antonin" in confirmation.subject

    path = confirmation_path(confirmation)
    assert "Confirmer" in client.get(path).content.decode()
    assert Application.objects.get().status == ApplicationStatus.UNCONFIRMED, "GET confirmed"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path)
        client.post(path)
    assert "Candidature confirmée" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECEIVED
    assert application.received_on == timezone.localdate()
    staff_mail = [m for m in mail.outbox if m.to == [staff_user.email]]
    assert len(staff_mail) == 1, "staff are told once, however often the link is followed"
    assert "Nouvelle candidature : Saint-Antonin" in staff_mail[0].subject


@pytest.mark.django_db
def test_a_second_applicant_joins_the_open_application_without_seeing_it(
    client, django_capture_on_commit_callbacks
):
    commune = make_commune("Lautrec", population=1800)
    first = make_application(commune, description="Notre projet secret de café-épicerie.")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/candidater/", form_data(commune, email="adjoint@lautrec.fr", name="Paul Adjoint")
        )
    page = client.get(response["Location"]).content.decode()
    assert "existe déjà" in page
    assert "co-candidat" in page
    assert "secret" not in page
    assert Application.objects.get() == first
    assert sorted(first.applicants.values_list("email", flat=True)) == [
        "adjoint@lautrec.fr",
        "mairie@example.org",
    ]
    assert "co-candidat" in mail.outbox[0].body
    assert "secret" not in mail.outbox[0].body


@pytest.mark.django_db
def test_a_commune_of_3500_inhabitants_or_more_is_told_why_and_how_to_reach_the_team(client):
    town = make_commune("Graulhet", population=12_000)
    response = client.post("/candidater/", form_data(town))
    page = response.content.decode()
    assert response.status_code == 200
    assert "moins de 3 500 habitants" in page
    assert "12\u202f000 habitants" in page
    assert "mailto:" in page
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_a_commune_of_unknown_population_is_accepted_and_flagged_for_staff(
    client, staff_user, django_capture_on_commit_callbacks
):
    commune = make_commune("Cadix", population=None)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/candidater/", form_data(commune))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirmation_path(mail.outbox[0]))
    application = Application.objects.get()
    assert application.population_unknown
    staff_mail = next(m for m in mail.outbox if m.to == [staff_user.email])
    assert "population de cette commune n'est pas connue" in staff_mail.body


@pytest.mark.django_db
def test_a_commune_already_accompanied_cannot_apply_again(client):
    project = make_project()
    response = client.post("/candidater/", form_data(project.commune))
    assert "déjà accompagné" in response.content.decode()
    assert Application.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("commune", "Nulle-Part-Sur-Mer", "Aucune commune ne correspond"),
        ("email", "pas-une-adresse", "adresse de courriel valide"),
        ("description", "", "Champ requis"),
        ("description", "x" * 3001, "3000 caractères"),
        ("situation", "bientot", "Sélectionnez un choix valide"),
        ("function", "", "Champ requis"),
    ],
)
def test_bad_input_gets_a_french_message_and_writes_nothing(client, field, value, message):
    commune = make_commune()
    response = client.post("/candidater/", form_data(commune, **{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Application.objects.exists()
    assert not mail.outbox


@pytest.mark.django_db
def test_a_robot_filling_the_hidden_field_is_thanked_and_nothing_is_written(client):
    response = client.post("/candidater/", form_data(make_commune(), website="http://spam"))
    assert response.status_code == 302
    assert not Application.objects.exists()
    assert not mail.outbox


@pytest.mark.django_db
def test_applications_are_rate_limited_per_address_with_a_french_message(client):
    commune = make_commune()
    statuses = [
        client.post("/candidater/", form_data(commune, email=f"elu{n}@example.org")).status_code
        for n in range(21)
    ]
    assert statuses[:20] == [302] * 20
    response = client.post("/candidater/", form_data(commune, email="encore@example.org"))
    assert response.status_code == 429
    assert "Trop de candidatures" in response.content.decode()
    assert not Applicant.objects.filter(email="encore@example.org").exists()


@pytest.mark.django_db
def test_unconfirmed_applications_and_co_applicants_expire_after_14_days():
    now = timezone.now()
    old = now - datetime.timedelta(days=15)
    stale = make_application(status=ApplicationStatus.UNCONFIRMED, created_at=old)
    stale.applicants.update(created_at=old)
    fresh = make_application(status=ApplicationStatus.UNCONFIRMED)
    confirmed = make_application(created_at=old)
    Applicant.objects.create(
        application=confirmed, name="Jamais confirmé", function="other", email="x@example.org"
    )
    Applicant.objects.filter(email="x@example.org").update(created_at=old)

    assert expire_unconfirmed_applications(now) == 1

    assert set(Application.objects.all()) == {fresh, confirmed}
    assert list(confirmed.applicants.values_list("email", flat=True)) == ["mairie@example.org"]


def test_the_expiry_runs_daily_in_the_worker(settings):
    jobs = {job["call"] for job in settings.PERIODIC_JOBS.values()}
    assert "community.accompaniment.services.applications.expire_unconfirmed_applications" in jobs


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_applications_of_one_commune_make_one_with_two_applicants():
    commune = make_commune("Vaour", population=300)

    def apply_as(email: str):
        return lambda: submit_application(
            ApplicationForm(
                commune=commune,
                name=email.split("@")[0],
                function="mayor",
                email=email,
                phone="",
                situation="closed",
                premises="yes",
                description="Rouvrir le café.",
                heard_from="",
            )
        )

    outcomes = run_at_once([apply_as("maire@vaour.fr"), apply_as("adjointe@vaour.fr")])

    assert sorted(outcome.joined_existing for outcome in outcomes) == [False, True]
    application = Application.objects.get()
    assert application.applicants.count() == 2
