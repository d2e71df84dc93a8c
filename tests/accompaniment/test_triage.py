"""Staff triage the communes' applications in the admin (« Candidatures »): every decision
is logged and e-mailed, accepting opens the commune's project."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from community.accompaniment.models import (
    ApplicationDecision,
    ApplicationStatus,
    ChecklistTemplate,
    Project,
)
from community.accompaniment.services import AccompanimentError
from community.accompaniment.services.applications import decide_application
from community.accounts.models import Role
from community.places.models import Stage
from tests.accompaniment.factories import make_application, make_project
from tests.factories import make_commune, make_member
from tests.matrix import LOGIN, Expected, Redirect, cases, check, members_only


def admin_only(staff: Expected) -> dict[str, Expected]:
    # Non-staff members are turned away by Wagtail (sent to log in as someone else).
    return {**members_only(LOGIN), "staff": staff}


@pytest.fixture
def application(db):
    return make_application(make_commune("Cahuzac", population=420))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "role", "expected"),
    cases(
        {
            "/admin/candidatures/": admin_only(200),
            "/admin/candidatures/inspect/{pk}/": admin_only(200),
            # Nobody edits or deletes an application: decisions are the only way to change it.
            "/admin/candidatures/edit/{pk}/": admin_only(Redirect("/admin/")),
            "/admin/candidatures/delete/{pk}/": admin_only(Redirect("/admin/")),
            "/admin/listes-de-taches/": admin_only(200),
            "/admin/projets/": admin_only(200),
            # Projects change in their space, where every change is logged.
            "/admin/projets/edit/{project}/": admin_only(Redirect("/admin/")),
        }
    ),
)
def test_only_staff_reach_the_applications(client_for, application, path, role, expected):
    project = make_project()
    check(client_for(role), path.format(pk=application.pk, project=project.pk), expected)


@pytest.mark.django_db
def test_staff_find_projects_by_stage_and_commune_and_open_their_space(client_for):
    make_project(make_commune("Cahuzac"), stage=Stage.PREFIGURATION)
    make_project(make_commune("Vaour"), stage=Stage.RECRUITMENT)
    client = client_for("staff")
    page = client.get("/admin/projets/?stage=recruitment").content.decode()
    assert "Vaour" in page and "Cahuzac" not in page
    page = client.get("/admin/projets/?q=cahuz").content.decode()
    assert "Cahuzac" in page and "Vaour" not in page
    assert 'href="/projets/cahuzac' in page


@pytest.mark.django_db
def test_a_decision_by_someone_else_than_staff_is_refused(client_for, application):
    for role in ("elected", "manager", "partner"):
        client_for(role).post(
            f"/admin/candidatures/decide/{application.pk}/", {"status": "accepted"}
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECEIVED
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_the_listing_filters_by_status_region_department_month_and_searches_by_commune(
    client_for,
):
    make_application(make_commune("Cahuzac"), received_on=datetime.date(2025, 3, 4))
    make_application(
        make_commune("Vaour", department_code="82"),
        status=ApplicationStatus.STUDYING,
        received_on=datetime.date(2025, 4, 1),
    )
    client = client_for("staff")

    def communes(query: str) -> set[str]:
        page = client.get(f"/admin/candidatures/{query}").content.decode()
        return {name for name in ("Cahuzac", "Vaour") if name in page}

    assert communes("") == {"Cahuzac", "Vaour"}
    assert communes("?status=studying") == {"Vaour"}
    assert communes("?month=2025-03") == {"Cahuzac"}
    assert communes("?department=" + str(_department_pk("82"))) == {"Vaour"}
    assert communes("?q=cahuz") == {"Cahuzac"}
    page = client.get("/admin/candidatures/").content.decode()
    assert "mars 2025" in page, "the month filter offers the months applications came in"


def _department_pk(code: str) -> int:
    from community.places.models import Department

    return Department.objects.get(code=code).pk


@pytest.mark.django_db
def test_staff_accept_and_the_commune_gets_its_project_and_an_email(
    client_for, application, staff_user, django_capture_on_commit_callbacks
):
    mayor = make_member(Role.ELECTED, commune=application.commune)
    other_commune_mayor = make_member(Role.ELECTED, email="autre@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("staff").post(
            f"/admin/candidatures/decide/{application.pk}/",
            {"status": "accepted", "reason": "Un beau projet."},
            follow=True,
        )
    assert "Candidature de Cahuzac : acceptée" in response.content.decode()
    project = Project.objects.get()
    assert project.slug == "cahuzac"
    assert project.stage == Stage.APPLICATION
    assert set(project.members.values_list("user", flat=True)) == {mayor.pk}
    assert other_commune_mayor.pk not in project.members.values_list("user", flat=True)
    decision = application.decisions.get(status=ApplicationStatus.ACCEPTED)
    assert decision.decided_by == staff_user
    assert decision.reason == "Un beau projet."
    [message] = mail.outbox
    assert message.to == ["mairie@example.org"]
    assert "/projets/cahuzac/" in message.body
    assert "Un beau projet." in message.body
    page = client_for("staff").get(f"/admin/candidatures/inspect/{application.pk}/")
    assert "/projets/cahuzac/" in page.content.decode()


@pytest.mark.django_db
def test_waiting_needs_a_future_date_and_is_logged_with_it(staff_user, application):
    with pytest.raises(AccompanimentError, match="date à laquelle reprendre"):
        decide_application(application, status="waiting", by=staff_user)
    with pytest.raises(AccompanimentError, match="dans le futur"):
        decide_application(
            application, status="waiting", by=staff_user, come_back_on=timezone.localdate()
        )
    after_elections = timezone.localdate() + datetime.timedelta(days=120)
    decide_application(
        application,
        status="waiting",
        by=staff_user,
        reason="Période de réserve électorale",
        come_back_on=after_elections,
    )
    application.refresh_from_db()
    assert (application.status, application.come_back_on) == ("waiting", after_elections)
    assert application.decisions.last().come_back_on == after_elections


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "setup", "message"),
    [
        ("refused", None, "motif du refus"),
        ("accepted", "accepted", "déjà été acceptée"),
        ("studying", "unconfirmed", "pas encore confirmée"),
        ("received", None, "Choisissez une décision"),
    ],
)
def test_impossible_decisions_are_refused_in_french_and_change_nothing(
    client_for, staff_user, status, setup, message
):
    application = make_application(status=setup or ApplicationStatus.RECEIVED)
    before = ApplicationDecision.objects.count()
    response = client_for("staff").post(
        f"/admin/candidatures/decide/{application.pk}/", {"status": status}, follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page or "Sélectionnez un choix valide" in page
    assert ApplicationDecision.objects.count() == before
    assert not mail.outbox


@pytest.mark.django_db
def test_a_refusal_reaches_every_confirmed_applicant_with_its_reason(
    staff_user, application, django_capture_on_commit_callbacks
):
    application.applicants.create(name="Paul", function="deputy", email="adjoint@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        decide_application(
            application, status="refused", by=staff_user, reason="Un café ouvre déjà."
        )
    # The unconfirmed co-applicant is not written to.
    assert [m.to for m in mail.outbox] == [["mairie@example.org"]]
    assert "Un café ouvre déjà." in mail.outbox[0].body


@pytest.mark.django_db
def test_a_commune_whose_namesake_has_a_project_gets_a_distinct_address(staff_user):
    first = make_application(make_commune("Saint-Paul", department_code="81"))
    second = make_application(make_commune("Saint-Paul", department_code="82"))
    decide_application(first, status="accepted", by=staff_user)
    decide_application(second, status="accepted", by=staff_user)
    assert sorted(Project.objects.values_list("slug", flat=True)) == [
        "saint-paul",
        f"saint-paul-{second.commune.insee_code}",
    ]


@pytest.mark.django_db
def test_each_stage_starts_with_a_default_checklist_staff_can_edit(client_for):
    labels = set(
        ChecklistTemplate.objects.filter(stage=Stage.PREFIGURATION).values_list("label", flat=True)
    )
    assert {"Visite de terrain", "Réunion publique", "Budget prévisionnel"} <= labels
    response = client_for("staff").post(
        "/admin/listes-de-taches/new/",
        {"stage": "prefiguration", "label": "Rencontre avec les commerçants", "position": 9},
    )
    assert response.status_code == 302
    assert ChecklistTemplate.objects.filter(label="Rencontre avec les commerçants").exists()
