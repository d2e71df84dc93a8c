"""What the team does with registrants: the list, the CSV export, the attendance sheet."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from community.accounts.models import Role
from community.accounts.roles import ROLE_GROUPS
from community.spreadsheet import safe_cell
from tests.factories import make_member
from webinars.exports import HEADERS
from webinars.models import Registration, RegistrationStatus
from webinars.services import WebinarError, mark_attendance, register_for_webinar

pytestmark = pytest.mark.django_db


def test_the_staff_group_holds_the_permission():
    staff = Group.objects.get(name=ROLE_GROUPS[Role.STAFF])
    assert staff.permissions.filter(codename="manage_registrations").exists()


def test_registrants_page_lists_seats_and_waiting_list(client_for, make_webinar):
    webinar = make_webinar(capacity=1)
    seated = make_member(Role.ELECTED, display_name="Jeanne Martin")
    waiting = make_member(Role.MANAGER, display_name="Lucas Bernard")
    register_for_webinar(webinar, seated)
    register_for_webinar(webinar, waiting)
    html = unescape(client_for("staff").get(webinar.url + "inscrits/").content.decode())
    assert "Jeanne Martin" in html
    assert "Lucas Bernard" in html
    assert "1 inscrit·e confirmé·e pour 1 place, 1 en liste d'attente" in html
    assert "Les présences se notent une fois le webinaire commencé." in html


def test_webinar_page_links_staff_to_the_registrants(client_for, make_webinar):
    webinar = make_webinar()
    assert (
        "Inscrit·es et présences (équipe)" in client_for("staff").get(webinar.url).content.decode()
    )
    assert "Inscrit·es et présences" not in client_for("elected").get(webinar.url).content.decode()


def test_csv_export_opens_in_french_excel(client_for, make_webinar):
    webinar = make_webinar("aides", start=timezone.now() - timedelta(minutes=10))
    member = make_member(
        Role.PARTNER,
        display_name='=HYPERLINK("http://evil.example";"clic")',
        organisation="+33 Compagnie; du Pré",
    )
    Registration.objects.create(
        webinar=webinar,
        member=member,
        status=RegistrationStatus.CONFIRMED,
        confirmed_at=timezone.now(),
        attended=True,
    )
    response = client_for("staff").get(webinar.url + "inscrits/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="inscrits-aides.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == HEADERS
    name, email, role, place, status, _, _, attended = rows[1]
    assert name == '\'=HYPERLINK("http://evil.example";"clic")'
    assert place == "'+33 Compagnie; du Pré"
    assert (email, role, status, attended) == (
        member.email,
        "Partenaire",
        "Inscription confirmée",
        "oui",
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+33 6", "'+33 6"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Jeanne", "Jeanne"),
        (None, ""),
    ],
)
def test_cells_never_start_a_formula(value, expected):
    assert safe_cell(value) == expected


def test_staff_marks_who_attended(client_for, make_webinar, staff_user):
    webinar = make_webinar(start=timezone.now() - timedelta(minutes=30))
    people = [make_member(Role.ELECTED) for _ in range(3)]
    registrations = [
        Registration.objects.create(
            webinar=webinar,
            member=p,
            status=RegistrationStatus.CONFIRMED,
            confirmed_at=webinar.start,
        )
        for p in people
    ]
    client = client_for("staff")
    html = client.get(webinar.url + "inscrits/").content.decode()
    assert 'name="present"' in html
    response = client.post(
        webinar.url + "inscrits/",
        {"present": [registrations[0].pk, registrations[2].pk]},
        follow=True,
    )
    assert "Présences enregistrées : 2 participant·e(s)." in response.content.decode()
    attended = dict(Registration.objects.values_list("pk", "attended"))
    assert attended == {
        registrations[0].pk: True,
        registrations[1].pk: False,
        registrations[2].pk: True,
    }


def test_attendance_is_refused_before_the_start(client_for, make_webinar):
    webinar = make_webinar()
    registration = register_for_webinar(webinar, make_member())
    response = client_for("staff").post(
        webinar.url + "inscrits/", {"present": [registration.pk]}, follow=True
    )
    assert "Les présences se notent une fois le webinaire commencé." in response.content.decode()
    assert Registration.objects.get().attended is None


@pytest.mark.parametrize("present", [["abc"], ["999999"]])
def test_bad_attendance_input_changes_nothing(client_for, make_webinar, present):
    webinar = make_webinar(start=timezone.now() - timedelta(minutes=30))
    registration = Registration.objects.create(
        webinar=webinar, member=make_member(), status=RegistrationStatus.CONFIRMED
    )
    response = client_for("staff").post(
        webinar.url + "inscrits/", {"present": present}, follow=True
    )
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "invalide" in html or "ne sont pas inscrites" in html
    registration.refresh_from_db()
    assert registration.attended is None


def test_waiting_list_cannot_be_marked_present(make_webinar, staff_user):
    webinar = make_webinar(start=timezone.now() - timedelta(minutes=30))
    waiting = Registration.objects.create(
        webinar=webinar, member=make_member(), status=RegistrationStatus.WAITING
    )
    with pytest.raises(WebinarError, match="ne sont pas inscrites"):
        mark_attendance(webinar, [waiting.pk], by=staff_user)


def test_only_staff_marks_attendance(make_webinar, elected_user):
    webinar = make_webinar(start=timezone.now() - timedelta(minutes=30))
    with pytest.raises(WebinarError, match="Seule l'équipe"):
        mark_attendance(webinar, [], by=elected_user)


def test_admin_page_header_links_to_the_registrants(client_for, make_webinar):
    webinar = make_webinar()
    html = client_for("staff").get(f"/admin/pages/{webinar.pk}/edit/").content.decode()
    assert f"{webinar.url}inscrits/" in html
    assert "Inscrit·es et présences" in html
