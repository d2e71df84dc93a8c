"""Reminder e-mails 24 h and 1 h before: exactly once each, whatever happens to the sender.
Every run is given a fixed `now`; nothing sleeps."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command

from community.accounts.models import Role
from tests.concurrency import run_at_once
from tests.factories import make_member
from webinars.models import Reminder, ReminderKind
from webinars.services import (
    REMINDER_LEASE,
    _claim_reminders,
    _record_due_reminders,
    cancel_registration,
    register_for_webinar,
    send_due_reminders,
)

from .conftest import START

DAY_BEFORE = START - timedelta(hours=24)
HOUR_BEFORE = START - timedelta(hours=1)
EARLY = START - timedelta(days=10)  # when people registered


@pytest.fixture
def registered(make_webinar):
    """A webinar at START with three members registered ten days before."""
    webinar = make_webinar(title="Financer la réouverture du café : les aides", start=START)
    people = [make_member(Role.ELECTED) for _ in range(3)]
    for person in people:
        register_for_webinar(webinar, person, now=EARLY)
    mail.outbox.clear()
    return webinar, people


def reminders_to(outbox) -> dict[str, int]:
    counts: dict[str, int] = {}
    for message in outbox:
        counts[message.to[0]] = counts.get(message.to[0], 0) + 1
    return counts


@pytest.mark.django_db
def test_nothing_is_due_before_the_day_before(registered):
    assert send_due_reminders(now=DAY_BEFORE - timedelta(minutes=1)) == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_day_then_hour_reminders_each_once(registered):
    webinar, people = registered
    assert send_due_reminders(now=DAY_BEFORE + timedelta(minutes=2)) == 3
    message = mail.outbox[0]
    assert message.subject == (
        "[1000 cafés] Rappel : Financer la réouverture du café : les aides, "
        "le jeudi 5 décembre 2030 à 18 h 00"
    )
    assert "http://localhost/webinaires/webinaire/" in message.body
    assert message.extra_headers["Message-ID"].startswith("<webinar-reminder-")

    # The scheduler runs again and again during the day: nothing more.
    for minutes in (7, 12, 600):
        assert send_due_reminders(now=DAY_BEFORE + timedelta(minutes=minutes)) == 0
    assert send_due_reminders(now=HOUR_BEFORE + timedelta(minutes=1)) == 3
    assert send_due_reminders(now=HOUR_BEFORE + timedelta(minutes=6)) == 0
    assert mail.outbox[-1].subject.startswith("[1000 cafés] Dans une heure : ")
    assert reminders_to(mail.outbox) == {p.email: 2 for p in people}
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 6


@pytest.mark.django_db
def test_running_twice_sends_one_e_mail_each(registered):
    _, people = registered
    call_command("send_webinar_reminders", verbosity=0)  # the real clock: nothing due
    assert send_due_reminders(now=HOUR_BEFORE) == 3
    assert send_due_reminders(now=HOUR_BEFORE) == 0
    assert reminders_to(mail.outbox) == {p.email: 1 for p in people}


@pytest.mark.django_db
def test_a_sender_down_for_the_day_sends_only_the_hour_reminder(registered):
    # The 24 h reminder is stale once the 1 h one is due: one e-mail, not two at once.
    assert send_due_reminders(now=HOUR_BEFORE + timedelta(minutes=3)) == 3
    assert set(Reminder.objects.values_list("kind", flat=True)) == {ReminderKind.HOUR}
    assert send_due_reminders(now=START + timedelta(minutes=1)) == 0


@pytest.mark.django_db
def test_late_registrants_and_cancelled_ones_get_no_stale_reminder(registered, make_webinar):
    webinar, people = registered
    cancel_registration(webinar, people[0], now=EARLY)
    late = make_member(Role.MANAGER)
    register_for_webinar(webinar, late, now=HOUR_BEFORE + timedelta(minutes=10))
    mail.outbox.clear()
    send_due_reminders(now=HOUR_BEFORE + timedelta(minutes=20))
    assert sorted(reminders_to(mail.outbox)) == sorted(p.email for p in people[1:])


@pytest.mark.django_db
def test_smtp_failure_is_retried_on_the_next_run_and_sent_once(registered, monkeypatch):
    _, people = registered
    real_send = EmailBackend.send_messages
    calls = {"n": 0}

    def flaky(self, messages):
        calls["n"] += 1
        if calls["n"] == 2:  # the second reminder of the first run fails
            raise ConnectionError("SMTP indisponible")
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    assert send_due_reminders(now=HOUR_BEFORE) == 2
    failed = Reminder.objects.get(sent_at__isnull=True)
    assert failed.last_error == "SMTP indisponible"
    assert failed.claimed_at is None  # handed back at once

    assert send_due_reminders(now=HOUR_BEFORE + timedelta(minutes=5)) == 1
    assert send_due_reminders(now=HOUR_BEFORE + timedelta(minutes=10)) == 0
    assert reminders_to(mail.outbox) == {p.email: 1 for p in people}
    assert Reminder.objects.get(pk=failed.pk).attempts == 2


@pytest.mark.django_db
def test_a_sender_killed_after_claiming_is_replaced_after_the_lease(registered):
    _, people = registered
    # A sender records and claims the due reminders, then dies before sending any.
    _record_due_reminders(HOUR_BEFORE)
    assert len(_claim_reminders(HOUR_BEFORE, "dead-sender")) == 3

    # While its lease runs, others leave those reminders alone (it might still send)…
    assert send_due_reminders(now=HOUR_BEFORE + timedelta(minutes=5)) == 0
    # …then take them over: sent once, not lost.
    after_lease = HOUR_BEFORE + REMINDER_LEASE + timedelta(minutes=1)
    assert send_due_reminders(now=after_lease) == 3
    assert send_due_reminders(now=after_lease + timedelta(minutes=5)) == 0
    assert reminders_to(mail.outbox) == {p.email: 1 for p in people}


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_one_e_mail_each(registered):
    _, people = registered
    # A failing sender raises here rather than being lost in its thread.
    sent = run_at_once([lambda: send_due_reminders(now=HOUR_BEFORE)] * 2)

    assert sorted(sent) in ([0, 3], [1, 2])
    assert sum(sent) == 3
    assert reminders_to(mail.outbox) == {p.email: 1 for p in people}
    assert Reminder.objects.count() == 3


@pytest.mark.django_db
def test_no_reminder_reaches_a_member_deactivated_since_registering(registered):
    webinar, people = registered
    people[0].is_active = False
    people[0].save(update_fields=["is_active"])

    assert send_due_reminders(now=DAY_BEFORE + timedelta(minutes=2)) == 2
    assert people[0].email not in reminders_to(mail.outbox)
