"""Every write of the webinars app: registrations, waiting list, attendance, calendar
tokens and reminders. Each is atomic and fails with WebinarError (a French message) and no
change at all."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from urllib.parse import urlparse

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from community.accounts.audience import can_see
from community.accounts.models import User
from community.calendars import services as calendars
from community.calendars.models import CalendarFeed
from community.lib.refusals import DomainError
from community.mail import render_email, send_email_after_commit

from .calendars import MEMBER
from .models import (
    REMINDER_OFFSETS,
    Registration,
    RegistrationStatus,
    Reminder,
    ReminderKind,
    WebinarPage,
)
from .permissions import RESERVED_FOR, can_manage_registrations

logger = logging.getLogger(__name__)

# A claimed reminder whose sender vanished (crash, kill) is claimed again after this long.
REMINDER_LEASE = timedelta(minutes=10)
# An SMTP call slower than this fails, so a sender never outlives its lease while sending.
SMTP_TIMEOUT_SECONDS = 60


class WebinarError(DomainError):
    """A refused action on a webinar; the message is shown to the user as is."""


def _locked(webinar: WebinarPage) -> WebinarPage:
    """The webinar row, locked until the transaction ends: registrations, cancellations
    and promotions of one webinar run one at a time, so seats are never over-allocated.

    PostgreSQL locks the row; SQLite has no row locks, but its IMMEDIATE transactions
    (see the settings) already serialise every writer."""
    return WebinarPage.objects.select_for_update(of=("self",)).get(pk=webinar.pk)


def _email_context(registration: Registration) -> dict[str, object]:
    webinar = registration.webinar
    return {
        "member": registration.member,
        "webinar": webinar,
        "registration": registration,
        "webinar_url": webinar.get_full_url() or webinar.url,
    }


def _promote(webinar: WebinarPage, now: datetime) -> list[Registration]:
    """Give free seats to the waiting list in order; call with the webinar locked."""
    if webinar.is_over(now):
        return []
    free = webinar.capacity - webinar.confirmed_count()
    if free <= 0:
        return []
    promoted = list(
        # A deactivated or refused account waits on: its seat goes to the next member.
        webinar.registrations.filter(
            status=RegistrationStatus.WAITING, member__in=User.objects.reachable()
        )
        .select_related("member")
        .order_by("queued_at", "pk")[:free]
    )
    for registration in promoted:
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
        registration.save(update_fields=["status", "confirmed_at"])
        registration.webinar = webinar
        send_email_after_commit(
            "webinar_promoted", [registration.member.email], _email_context(registration)
        )
    return promoted


def register_for_webinar(
    webinar: WebinarPage, member: User, *, now: datetime | None = None
) -> Registration:
    """A confirmed seat if one is free, else a place on the waiting list."""
    now = now or timezone.now()
    if not member.is_authenticated or not member.is_approved_member:
        raise WebinarError(_("Seul·es les membres dont l'adhésion est validée peuvent s'inscrire."))
    with transaction.atomic():
        webinar = _locked(webinar)
        if not webinar.live:
            raise WebinarError(_("Ce webinaire n'est pas publié."))
        if not can_see(member, webinar.audience):
            raise WebinarError(
                _("Ce webinaire est réservé %(audience)s.")
                % {"audience": RESERVED_FOR[webinar.audience]}
            )
        if webinar.is_over(now):
            raise WebinarError(_("Ce webinaire est terminé : les inscriptions sont closes."))
        registration = (
            Registration.objects.select_for_update().filter(webinar=webinar, member=member).first()
        )
        if registration is not None and registration.status == RegistrationStatus.CONFIRMED:
            raise WebinarError(_("Vous êtes déjà inscrit·e à ce webinaire."))
        if registration is not None and registration.status == RegistrationStatus.WAITING:
            raise WebinarError(_("Vous êtes déjà sur la liste d'attente de ce webinaire."))
        # Seats freed without a promotion (a capacity raised outside the admin) go to the
        # people already waiting, never to the newcomer.
        _promote(webinar, now)
        seat_free = webinar.confirmed_count() < webinar.capacity
        status = RegistrationStatus.CONFIRMED if seat_free else RegistrationStatus.WAITING
        if registration is None:
            registration = Registration(webinar=webinar, member=member)
        registration.status = status
        registration.queued_at = now
        registration.confirmed_at = now if seat_free else None
        registration.cancelled_at = None
        registration.attended = None
        registration.save()
        registration.webinar = webinar
        send_email_after_commit("webinar_registered", [member.email], _email_context(registration))
    return registration


def cancel_registration(
    webinar: WebinarPage, member: User, *, now: datetime | None = None
) -> Registration:
    """The member gives up their seat (or their place in line); the next in line gets it."""
    now = now or timezone.now()
    with transaction.atomic():
        webinar = _locked(webinar)
        registration = (
            Registration.objects.select_for_update()
            .filter(webinar=webinar, member=member)
            .exclude(status=RegistrationStatus.CANCELLED)
            .first()
        )
        if registration is None:
            raise WebinarError(_("Vous n'êtes pas inscrit·e à ce webinaire."))
        if webinar.is_over(now):
            raise WebinarError(
                _("Ce webinaire est terminé : l'inscription ne peut plus être annulée.")
            )
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.confirmed_at = None
        registration.save(update_fields=["status", "cancelled_at", "confirmed_at"])
        _promote(webinar, now)
    return registration


def promote_waiting_list(
    webinar: WebinarPage, *, now: datetime | None = None
) -> list[Registration]:
    """Fill seats a capacity increase freed."""
    with transaction.atomic():
        return _promote(_locked(webinar), now or timezone.now())


def apply_published_changes(webinar: WebinarPage) -> None:
    """After staff publish a webinar: raise the calendar SEQUENCE when what calendars show
    changed, and give any seats a capacity increase freed to the waiting list."""
    with transaction.atomic():
        locked = _locked(webinar)
        key = locked.calendar_key()
        if key != locked.calendar_fingerprint:
            # The first publication sets the fingerprint; only later changes are updates.
            bump = 1 if locked.calendar_fingerprint else 0
            WebinarPage.objects.filter(pk=locked.pk).update(
                calendar_fingerprint=key, calendar_sequence=F("calendar_sequence") + bump
            )
            locked.refresh_from_db(fields=["calendar_fingerprint", "calendar_sequence"])
            webinar.calendar_fingerprint = locked.calendar_fingerprint
            webinar.calendar_sequence = locked.calendar_sequence
        _promote(locked, timezone.now())


def mark_attendance(
    webinar: WebinarPage, present: Iterable[str | int], *, by: User, now: datetime | None = None
) -> int:
    """Record who attended among the confirmed registrants; returns how many attended."""
    now = now or timezone.now()
    if not can_manage_registrations(by):
        raise WebinarError(_("Seule l'équipe 1000 cafés peut noter les présences."))
    try:
        present_ids = {int(value) for value in present}
    except (TypeError, ValueError):
        raise WebinarError(_("La liste de présence envoyée est invalide.")) from None
    with transaction.atomic():
        webinar = _locked(webinar)
        if not webinar.has_started(now):
            raise WebinarError(_("Les présences se notent une fois le webinaire commencé."))
        confirmed = webinar.registrations.filter(status=RegistrationStatus.CONFIRMED)
        unknown = present_ids - set(confirmed.values_list("pk", flat=True))
        if unknown:
            raise WebinarError(
                _(
                    "Certaines personnes cochées ne sont pas inscrites à ce webinaire : "
                    "rechargez la page et recommencez."
                )
            )
        confirmed.filter(pk__in=present_ids).update(attended=True)
        confirmed.exclude(pk__in=present_ids).update(attended=False)
    return len(present_ids)


def regenerate_calendar_feed(member: User) -> CalendarFeed:
    """The member's private calendar address, new: the old one, if any, stops working."""
    if not member.is_authenticated or not member.is_approved_member:
        raise WebinarError(
            _("Seul·es les membres dont l'adhésion est validée ont un agenda privé.")
        )
    return calendars.new_address(MEMBER, member)


# Reminders -----------------------------------------------------------------------------
#
# A reminder goes through three steps, each its own short transaction:
# 1. record: one Reminder row per due (registration, kind), the unique constraint making
#    concurrent senders agree on a single row;
# 2. claim: lock the unsent, unclaimed rows (skipping rows another sender holds, where
#    the database can), stamp them with this sender's token and the time, commit;
# 3. send each claimed reminder, then mark it sent.
# Two senders never hold the same row, so never both send it. A sender that crashes
# after claiming leaves the row claimed: another run takes it again once the lease has
# expired, so nothing is lost. The one window left is a crash after the SMTP server
# accepted the message but before "sent" is committed (a few milliseconds): that
# reminder is sent again after the lease, with the same Message-ID so mail clients fold
# the two. We accept a rare duplicate there rather than risk losing a reminder.


def _due_kinds(registration: Registration, now: datetime) -> list[str]:
    """Kinds due now: past their time, still before their deadline, and only for members
    who already held their seat then (someone registering 30 minutes before gets no
    "one hour before" reminder)."""
    start = registration.webinar.start
    kinds = []
    for kind, offset in REMINDER_OFFSETS.items():
        due_at = start - offset
        deadline = (
            start - REMINDER_OFFSETS[ReminderKind.HOUR] if kind == ReminderKind.DAY else start
        )
        confirmed_at = registration.confirmed_at
        if due_at <= now < deadline and confirmed_at is not None and confirmed_at <= due_at:
            kinds.append(kind)
    return kinds


def _record_due_reminders(now: datetime) -> None:
    horizon = now + max(REMINDER_OFFSETS.values())
    registrations = Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED,
        webinar__live=True,
        webinar__start__gt=now,
        webinar__start__lte=horizon,
    ).select_related("webinar")
    rows = [
        Reminder(registration=registration, kind=kind)
        for registration in registrations
        for kind in _due_kinds(registration, now)
    ]
    if rows:
        with transaction.atomic():
            Reminder.objects.bulk_create(rows, ignore_conflicts=True)


def _claim_reminders(now: datetime, token: str) -> list[Reminder]:
    with transaction.atomic():
        candidates = (
            Reminder.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                sent_at__isnull=True,
                registration__status=RegistrationStatus.CONFIRMED,
                registration__member__in=User.objects.reachable(),
                registration__webinar__live=True,
                registration__webinar__start__gt=now,
            )
            .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - REMINDER_LEASE))
            .select_related("registration__webinar", "registration__member")
            .order_by("pk")
        )
        claimed = [
            reminder
            for reminder in candidates
            if reminder.kind in _due_kinds(reminder.registration, now)
        ]
        Reminder.objects.filter(pk__in=[r.pk for r in claimed]).update(
            claimed_at=now, claim_token=token, attempts=F("attempts") + 1
        )
    for reminder in claimed:
        reminder.claimed_at = now
        reminder.claim_token = token
    return claimed


def _message_id(reminder: Reminder) -> str:
    domain = urlparse(settings.WAGTAILADMIN_BASE_URL).hostname or "localhost"
    return f"<webinar-reminder-{reminder.pk}@{domain}>"


def _deliver(reminder: Reminder, connection) -> None:
    context = {
        **_email_context(reminder.registration),
        "an_hour_before": reminder.kind == ReminderKind.HOUR,
    }
    context.setdefault("site_url", settings.WAGTAILADMIN_BASE_URL)
    subject, body = render_email("webinar_reminder", context)
    EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [reminder.registration.member.email],
        connection=connection,
        headers={"Message-ID": _message_id(reminder)},
    ).send()


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Send the reminders due now (24 h and 1 h before); returns how many were sent.

    Not wrapped in one transaction on purpose: the SMTP calls happen outside any, and
    each reminder is marked sent on its own as soon as its e-mail is accepted."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    _record_due_reminders(now)
    claimed = _claim_reminders(now, token)
    if not claimed:
        return 0
    claimed_at = time.monotonic()
    # Another sender may take the rows once the lease ends: stop starting new SMTP calls
    # early enough that the last one ends, and is marked sent, within the lease.
    give_back_after = REMINDER_LEASE.total_seconds() - 2 * SMTP_TIMEOUT_SECONDS
    sent = 0
    connection = get_connection(timeout=SMTP_TIMEOUT_SECONDS)
    for index, reminder in enumerate(claimed):
        mine = Reminder.objects.filter(pk=reminder.pk, claim_token=token)
        if time.monotonic() - claimed_at > give_back_after:
            for pending in claimed[index:]:
                Reminder.objects.filter(pk=pending.pk, claim_token=token).update(
                    claimed_at=None, claim_token=""
                )
            break
        try:
            _deliver(reminder, connection)
        except Exception as error:  # any SMTP or rendering failure: retried next run
            logger.exception("Webinar reminder %s not sent", reminder.pk)
            mine.update(claimed_at=None, claim_token="", last_error=str(error)[:2000])
            continue
        mine.update(sent_at=timezone.now())
        sent += 1
    return sent
