"""The project space at /projets/<commune>/, shared by the mairie, the manager and the team."""

from __future__ import annotations

import datetime
import html
import io
import zipfile

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from community.accompaniment.models import (
    ChecklistItem,
    Prestation,
    ProjectAccess,
    ProjectDocument,
    ProjectMember,
    ProjectMessage,
    StageEntry,
)
from community.accompaniment.services import AccompanimentError
from community.accompaniment.services.projects import move_to_stage, transfer_project
from community.accounts.models import MembershipStatus, Role
from community.accounts.services import approve_member
from community.lib.demo import pdf
from community.places.models import Cafe, Stage
from tests.accompaniment.factories import make_project
from tests.factories import make_member
from tests.matrix import LOGIN, MEMBERSHIP, cases, check
from tests.security.upload_files import HTML, WRAPPED_HTML

SPACE = {
    "anonymous": LOGIN,
    "pending": MEMBERSHIP,
    "refused": MEMBERSHIP,
    # elected_user belongs to the project; the manager, another café's, does not.
    "elected": 200,
    "manager": 403,
    "partner": 403,
    "staff": 200,
}


@pytest.fixture
def project(elected_user):
    project = make_project(elected_user.commune, stage=Stage.APPLICATION, members=[elected_user])
    project.slug = "saint-antonin"
    project.save()
    return project


def text(response) -> str:
    return html.unescape(response.content.decode())


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "role", "expected"),
    cases(
        {
            "/projets/saint-antonin/": SPACE,
            "/projets/inconnu/": {
                **SPACE,
                "elected": 404,
                "manager": 404,
                "partner": 404,
                "staff": 404,
            },
        }
    ),
)
def test_only_the_project_members_and_staff_see_the_space(client_for, project, url, role, expected):
    check(client_for(role), url, expected)


@pytest.mark.django_db
def test_an_elected_member_of_another_commune_is_refused(client, project):
    outsider = make_member(Role.ELECTED)
    client.force_login(outsider)
    assert client.get("/projets/saint-antonin/").status_code == 403


@pytest.mark.django_db
def test_the_page_shows_the_journey_and_only_staff_get_the_team_forms(client_for, project):
    staff_page = text(client_for("staff").get("/projets/saint-antonin/"))
    mayor_page = text(client_for("elected").get("/projets/saint-antonin/"))
    for page in (staff_page, mayor_page):
        assert project.commune.name in page
        assert 'aria-current="step"' in page
        assert "Envoyer le message" in page
    assert "Enregistrer l'étape" in staff_page
    assert "Ajouter au journal" in staff_page
    assert "Enregistrer l'étape" not in mayor_page
    assert "Ajouter au journal" not in mayor_page
    assert "Confier le projet" not in mayor_page


@pytest.mark.django_db
def test_staff_move_the_project_forward_with_its_checklist_and_members_are_told(
    client_for, project, elected_user, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("staff").post(
            "/projets/saint-antonin/etape/",
            {"stage": "prefiguration", "note": "Étude lancée avec la mairie."},
            follow=True,
        )
    assert "passé à l'étape « Étude de préfiguration »" in text(response)
    project.refresh_from_db()
    assert project.stage == Stage.PREFIGURATION
    entry = project.stage_entries.get(stage=Stage.PREFIGURATION)
    assert (entry.entered_by, entry.entered_on, entry.backwards) == (
        staff_user,
        timezone.localdate(),
        False,
    )
    tasks = list(
        project.checklist.filter(stage=Stage.PREFIGURATION).values_list("label", flat=True)
    )
    assert "Visite de terrain" in tasks and "Réunion publique" in tasks
    assert [m.to for m in mail.outbox] == [[elected_user.email]]
    assert "étude de préfiguration" in mail.outbox[0].subject


@pytest.mark.django_db
def test_stages_are_taken_in_order_and_going_back_needs_a_reason(project, staff_user):
    with pytest.raises(AccompanimentError, match="la prochaine est « Étude de préfiguration »"):
        move_to_stage(project, Stage.RECRUITMENT, by=staff_user)
    move_to_stage(project, Stage.PREFIGURATION, by=staff_user)
    move_to_stage(project, Stage.DEFINITION, by=staff_user)
    with pytest.raises(AccompanimentError, match="pourquoi"):
        move_to_stage(project, Stage.PREFIGURATION, by=staff_user)
    with pytest.raises(AccompanimentError, match="future"):
        move_to_stage(
            project,
            Stage.RECRUITMENT,
            by=staff_user,
            entered_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    back = move_to_stage(
        project, Stage.PREFIGURATION, by=staff_user, note="Le budget est à refaire."
    )
    assert back.backwards
    project.refresh_from_db()
    assert project.stage == Stage.PREFIGURATION
    # The checklist of a stage entered again is not copied twice.
    assert (
        project.checklist.filter(stage=Stage.PREFIGURATION, label="Visite de terrain").count() == 1
    )


@pytest.mark.django_db
def test_members_cannot_change_the_stage(client_for, project):
    response = client_for("elected").post(
        "/projets/saint-antonin/etape/", {"stage": "prefiguration"}, follow=True
    )
    assert "Seule l'équipe du réseau" in text(response)
    project.refresh_from_db()
    assert project.stage == Stage.APPLICATION


@pytest.mark.django_db
def test_opening_creates_the_cafe_whose_stage_then_follows_the_project(project, staff_user):
    manager = make_member(Role.MANAGER, commune=project.commune)
    ProjectMember.objects.create(project=project, user=manager)
    for stage in (Stage.PREFIGURATION, Stage.DEFINITION, Stage.RECRUITMENT):
        move_to_stage(project, stage, by=staff_user)
    with pytest.raises(AccompanimentError, match="nom du café"):
        move_to_stage(project, Stage.OPENING, by=staff_user)
    move_to_stage(project, Stage.OPENING, by=staff_user, cafe_name="  Le Café  de la Place ")
    project.refresh_from_db()
    cafe = Cafe.objects.get(commune=project.commune, name="Le Café de la Place")
    assert project.cafe == cafe
    assert cafe.stage == Stage.OPENING
    assert list(cafe.managers.all()) == [manager]
    move_to_stage(project, Stage.OPERATION, by=staff_user)
    cafe.refresh_from_db()
    assert cafe.stage == Stage.OPERATION


@pytest.mark.django_db
def test_full_members_tick_tasks_read_only_members_cannot(client_for, project, staff_user, client):
    move_to_stage(project, Stage.PREFIGURATION, by=staff_user)
    item = project.checklist.get(label="Visite de terrain")
    client_for("elected").post(f"/projets/saint-antonin/taches/{item.pk}/", {"done": "1"})
    item.refresh_from_db()
    assert item.done
    former = make_member(Role.ELECTED, commune=project.commune)
    ProjectMember.objects.create(project=project, user=former, access=ProjectAccess.READ)
    client.force_login(former)
    response = client.post(f"/projets/saint-antonin/taches/{item.pk}/", {"done": "0"}, follow=True)
    assert "lecture seule" in text(response)
    item.refresh_from_db()
    assert item.done
    assert client.get("/projets/saint-antonin/").status_code == 200


@pytest.mark.django_db
def test_documents_are_kept_private_to_the_project(client_for, project, client, media_roots):
    mayor = client_for("elected")
    response = mayor.post(
        "/projets/saint-antonin/documents/",
        {"title": "Budget prévisionnel", "file": upload("budget.pdf", pdf("Budget"))},
        follow=True,
    )
    assert "Document « Budget prévisionnel » ajouté" in text(response)
    stored = ProjectDocument.objects.get()
    url = f"/projets/saint-antonin/documents/{stored.document_id}/"
    download = mayor.get(url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert client_for("manager").get(url).status_code == 403
    assert client.get(url).status_code == 302
    # Wagtail's own document route does not let members around the project's rule.
    assert client_for("elected").get(stored.document.url).status_code in (302, 403)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "stored_as"),
    [("etude.docx", docx(), ".docx"), ("bail.pdf.html", pdf("Bail"), ".pdf")],
)
def test_office_documents_are_accepted_and_named_by_their_content(
    client_for, project, media_roots, name, content, stored_as
):
    client_for("elected").post(
        "/projets/saint-antonin/documents/", {"title": "Étude", "file": upload(name, content)}
    )
    assert ProjectDocument.objects.get().document.file.name.endswith(stored_as)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (HTML, "n'est pas accepté"),
        (WRAPPED_HTML, "code de page web"),
        (b"PK\x03\x04pas une archive", "n'est pas accepté"),
    ],
    ids=["html", "polyglot", "fake-zip"],
)
def test_hostile_documents_are_refused_in_french(
    client_for, project, media_roots, content, message
):
    response = client_for("elected").post(
        "/projets/saint-antonin/documents/",
        {"title": "Étude", "file": upload("etude.pdf", content)},
        follow=True,
    )
    assert message in text(response)
    assert not ProjectDocument.objects.exists()


@pytest.mark.django_db
def test_staff_log_prestations_members_only_read_them(client_for, project, staff_user):
    today = timezone.localdate().isoformat()
    client_for("elected").post(
        "/projets/saint-antonin/prestations/", {"date": today, "kind": "visit"}
    )
    assert not Prestation.objects.exists()
    response = client_for("staff").post(
        "/projets/saint-antonin/prestations/",
        {"date": today, "kind": "public_meeting", "duration_hours": "2.5", "note": "Salle comble"},
        follow=True,
    )
    assert "Prestation ajoutée" in text(response)
    prestation = Prestation.objects.get()
    assert (prestation.kind, prestation.staff) == ("public_meeting", staff_user)
    mayor_page = text(client_for("elected").get("/projets/saint-antonin/"))
    assert "Réunion publique" in mayor_page and "Salle comble" in mayor_page
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client_for("staff").post(
        "/projets/saint-antonin/prestations/", {"date": future, "kind": "visit"}, follow=True
    )
    assert "pas de date future" in text(response)
    assert Prestation.objects.count() == 1


@pytest.mark.django_db
def test_the_discussion_reaches_the_other_participants_by_email(
    client_for, project, elected_user, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for("staff").post(
            "/projets/saint-antonin/messages/", {"body": "La visite est fixée au 12 mars."}
        )
    assert [m.to for m in mail.outbox] == [[elected_user.email]]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("elected").post(
            "/projets/saint-antonin/messages/", {"body": "Parfait, nous serons là."}, follow=True
        )
    assert "Parfait, nous serons là." in text(response)
    assert [m.to for m in mail.outbox] == [[staff_user.email]]
    assert "Parfait, nous serons là." in mail.outbox[0].body
    response = client_for("elected").post(
        "/projets/saint-antonin/messages/", {"body": "  "}, follow=True
    )
    assert "Champ requis" in text(response) or "vide" in text(response)
    assert ProjectMessage.objects.count() == 2


@pytest.mark.django_db
def test_a_new_municipal_team_takes_over_and_the_previous_keeps_read_or_loses_access(
    project, elected_user, staff_user
):
    newcomer = make_member(Role.ELECTED, commune=project.commune)
    transfer_project(project, by=staff_user, new_team=[newcomer], previous_keep_read=True)
    accesses = dict(project.members.values_list("user", "access"))
    assert accesses == {elected_user.pk: ProjectAccess.READ, newcomer.pk: ProjectAccess.FULL}

    successor = make_member(Role.ELECTED, commune=project.commune)
    transfer_project(project, by=staff_user, new_team=[successor], previous_keep_read=False)
    assert dict(project.members.values_list("user", "access")) == {successor.pk: ProjectAccess.FULL}
    assert project.access_for(elected_user) is None

    with pytest.raises(AccompanimentError, match="Seul·es les élu·es de"):
        transfer_project(
            project, by=staff_user, new_team=[make_member(Role.ELECTED)], previous_keep_read=True
        )


@pytest.mark.django_db
def test_staff_add_the_recruited_manager(client_for, project):
    manager = make_member(Role.MANAGER, email="gerante@example.org")
    client_for("staff").post(
        "/projets/saint-antonin/membres/", {"email": "Gerante@example.org", "access": "full"}
    )
    assert project.access_for(manager) == ProjectAccess.FULL
    response = client_for("staff").post(
        "/projets/saint-antonin/membres/",
        {"email": "inconnu@example.org", "access": "full"},
        follow=True,
    )
    assert "invitez cette personne à adhérer" in text(response)


@pytest.mark.django_db
def test_an_elected_member_of_the_commune_joins_the_project_when_approved(project, staff_user):
    newcomer = make_member(Role.ELECTED, commune=project.commune, status=MembershipStatus.PENDING)
    assert project.access_for(newcomer) is None
    approve_member(newcomer, by=staff_user)
    newcomer.refresh_from_db()
    assert project.access_for(newcomer) == ProjectAccess.FULL


@pytest.mark.django_db
def test_nothing_is_left_half_written_when_a_stage_change_is_refused(project, staff_user):
    before = (StageEntry.objects.count(), ChecklistItem.objects.count(), Cafe.objects.count())
    for stage in (Stage.PREFIGURATION, Stage.DEFINITION, Stage.RECRUITMENT):
        move_to_stage(project, stage, by=staff_user)
    after_moves = (StageEntry.objects.count(), ChecklistItem.objects.count(), Cafe.objects.count())
    with pytest.raises(AccompanimentError):
        move_to_stage(project, Stage.OPENING, by=staff_user, cafe_name="")
    assert (
        StageEntry.objects.count(),
        ChecklistItem.objects.count(),
        Cafe.objects.count(),
    ) == after_moves
    assert after_moves != before


ACTIONS = ["etape", "taches/{item}", "documents", "prestations", "messages", "membres", "transfert"]
# POST outcomes: members of the project come back to the space (with the service's answer,
# refusing what is staff's), others are refused before anything is read.
POSTED = {**SPACE, "elected": 302, "staff": 302}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "role", "expected"),
    cases({f"/projets/saint-antonin/{action}/": POSTED for action in ACTIONS}),
)
def test_every_action_of_the_space_refuses_who_may_not_see_it(
    client_for, project, staff_user, url, role, expected
):
    move_to_stage(project, Stage.PREFIGURATION, by=staff_user)
    item = project.checklist.first()
    before = (
        ChecklistItem.objects.filter(done_at__isnull=False).count(),
        StageEntry.objects.count(),
    )
    check(client_for(role), url.format(item=item.pk), expected, method="post")
    if expected != 302:
        after = (
            ChecklistItem.objects.filter(done_at__isnull=False).count(),
            StageEntry.objects.count(),
        )
        assert after == before
    assert client_for(role).get(url.format(item=item.pk)).status_code in (302, 405)
