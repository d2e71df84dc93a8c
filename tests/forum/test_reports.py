"""« Signaler ce message » goes to the staff queue; staff resolve or dismiss it."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from forum import services
from forum.models import PostReport, ReportStatus
from forum.services import ForumError

from .conftest import make_topic

pytestmark = pytest.mark.django_db


def test_member_reports_a_post_and_staff_resolve_it(
    client_for, forums, elected_user, staff_user, django_capture_on_commit_callbacks
):
    topic = make_topic(forums["theme"], elected_user, content="Achetez mes montres !")
    post = topic.first_post
    client = client_for("manager")
    page = client.get(reverse("discussions:report", args=[post.pk]))
    assert "Signaler ce message" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("discussions:report", args=[post.pk]), {"reason": "Publicité"}
        )
    assert response.status_code == 302
    [alert] = mail.outbox
    assert alert.to == [staff_user.email]
    assert "Publicité" in alert.body and "/forum/signalements/" in alert.body
    report = PostReport.objects.get()
    assert (report.reason, report.status) == ("Publicité", ReportStatus.OPEN)

    # A second report by the same member while the first is open: clear message, no row.
    again = client.post(reverse("discussions:report", args=[post.pk]), {"reason": "Encore"})
    assert "déjà signalé" in again.content.decode()
    assert PostReport.objects.count() == 1

    staff = client_for("staff")
    queue = staff.get(reverse("discussions:reports")).content.decode()
    assert "Publicité" in queue and "Achetez mes montres" in queue
    staff.post(
        reverse("discussions:reports"),
        {"report": report.pk, "action": "resolve", "note": "Message supprimé"},
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.RESOLVED
    assert report.resolution_note == "Message supprimé"
    # Handled twice: refused with a message, nothing changes.
    response = staff.post(
        reverse("discussions:reports"), {"report": report.pk, "action": "dismiss"}, follow=True
    )
    assert "déjà été traité" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.RESOLVED


def test_staff_dismiss_a_report(forums, elected_user, manager_user, staff_user):
    topic = make_topic(forums["theme"], elected_user)
    report = services.report_post(manager_user, topic.first_post, "Hors sujet")
    services.dismiss_report(staff_user, report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.DISMISSED
    assert report.handled_by == staff_user


def test_bad_reports_are_refused_in_french(forums, elected_user, manager_user, partner_user):
    topic = make_topic(forums["theme"], elected_user)
    post = topic.first_post
    with pytest.raises(ForumError, match="Dites en quelques mots"):
        services.report_post(manager_user, post, "   ")
    with pytest.raises(ForumError, match="votre propre message"):
        services.report_post(elected_user, post, "Oups")
    with pytest.raises(ForumError, match="ne doit pas dépasser"):
        services.report_post(manager_user, post, "x" * 1001)
    private = make_topic(forums["elected"], elected_user).first_post
    with pytest.raises(ForumError, match="pas accès"):
        services.report_post(partner_user, private, "Je ne devrais pas le voir")
    with pytest.raises(ForumError, match="Seule l'équipe"):
        report = services.report_post(manager_user, post, "Spam")
        services.resolve_report(manager_user, report.pk)
    assert PostReport.objects.filter(status=ReportStatus.OPEN).count() == 1


def test_a_bad_action_in_the_queue_changes_nothing(client_for, forums, elected_user, manager_user):
    report = services.report_post(
        manager_user, make_topic(forums["theme"], elected_user).first_post, "Spam"
    )
    response = client_for("staff").post(
        reverse("discussions:reports"), {"report": "abc", "action": "resolve"}, follow=True
    )
    assert response.status_code == 200
    assert "Ce signalement n&#x27;existe pas ou plus." in response.content.decode()
    response = client_for("staff").post(
        reverse("discussions:reports"), {"report": report.pk, "action": "delete"}, follow=True
    )
    assert "Choisissez" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.OPEN
