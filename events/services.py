"""Every write of the events app: bookings, tours, reimbursements and calendar feeds.

Each function is one atomic action raising EventsError (a French message for the user) and
changing nothing when it refuses. Booking states move only through `_step`, which reads the
transition table on the model, records a BookingEvent and e-mails the parties after commit.

Locks: anything that holds a slot locks the provider row, then the café row, then the booking
(always in that order, so two transactions never wait on each other in a cycle), and only then
looks for overlapping bookings. Approvals lock the fund row before summing what it has paid.
On SQLite every transaction takes the write lock when it begins (IMMEDIATE), which
serialises them just as well.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.accounts.models import Role, User
from community.lib import searchable
from community.lib.formats import euros, french_date, french_datetime
from community.lib.refusals import DomainError
from community.mail import send_email_after_commit
from community.places.models import Cafe, Commune

from .models import (
    BLOCKING_STATES,
    GUINGUETTE_HOLDING,
    GUINGUETTE_KIND,
    GUINGUETTE_LIVE,
    TRANSITIONS,
    Actor,
    AnimationKind,
    Booking,
    BookingEvent,
    BookingPhoto,
    BookingState,
    Fund,
    GuinguetteSeason,
    GuinguetteState,
    GuinguetteVehicle,
    GuinguetteVisit,
    HostApplication,
    Provider,
    ProviderUnavailability,
    Reimbursement,
    Tour,
    TourStop,
)
from .permissions import actors_for, is_staff, manages, represents
from .uploads import validate_invoice, validate_photo

MAX_PREFERRED_DATES = 3
MAX_PARTICIPANTS = 10_000


class EventsError(DomainError):
    """An events action that cannot be done; the message is shown to the user as is."""


def _staff_emails() -> list[str]:
    return User.objects.network_staff().emails()


def _manager_emails(cafe: Cafe) -> list[str]:
    return cafe.managers.reachable().emails()


def _provider_emails(provider: Provider | None) -> list[str]:
    """The provider's contact address (typed by staff, not an account) and its account's."""
    if provider is None:
        return []
    emails = [provider.email] if provider.email else []
    if provider.account_id:
        emails += User.objects.reachable().filter(pk=provider.account_id).emails()
    return _unique(emails)


def _unique(emails: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(e for e in emails if e))


# ---------------------------------------------------------------------------- bookings


def _check_step(booking: Booking, action: str, by: User) -> None:
    """Refuse a step the transition table does not allow from this state or for this user."""
    transition = TRANSITIONS[action]
    current = booking.state if booking.pk else ""
    allowed = current in transition.sources if current else not transition.sources
    if not allowed:
        raise EventsError(
            _(
                "Impossible : cette réservation est « %(state)s » ; "
                "l'étape « %(step)s » n'est pas possible."
            )
            % {"state": booking.get_state_display().lower(), "step": transition.label}
        )
    if not (actors_for(by, booking) & transition.actors):
        raise EventsError(
            _("Seul·e %(who)s peut faire cette étape.")
            % {"who": " ou ".join(str(Actor(a).label) for a in sorted(transition.actors))}
        )


def _step(booking: Booking, action: str, by: User, note: str = "") -> BookingEvent:
    """Move a locked booking along the transition table, record it and tell the parties."""
    _check_step(booking, action, by)
    current = booking.state if booking.pk else ""
    transition = TRANSITIONS[action]
    booking.state = transition.target
    booking.save()
    event = BookingEvent.objects.create(
        booking=booking,
        action=action,
        from_state=current,
        to_state=booking.state,
        by=by,
        starts_at=booking.starts_at,
        note=note.strip(),
    )
    # Staff hear of what managers do, managers of everything; the provider of what fixes or
    # frees their date, without the message, which is the café's exchange with staff.
    recipients = _manager_emails(booking.cafe)
    if Actor.MANAGER in actors_for(by, booking) and not is_staff(by):
        recipients += _staff_emails()
    providers = []
    if booking.state in (BookingState.CONFIRMED, BookingState.CANCELLED):
        providers = _provider_emails(booking.provider)
    context = {
        "booking": booking,
        "event": event,
        "headline": transition.headline,
        "step_text": f"emails/booking_steps/{action}.txt",
        "when": french_datetime(booking.starts_at) if booking.starts_at else "",
    }
    if recipients := _unique(recipients):
        send_email_after_commit("booking_step", recipients, {**context, "note": event.note})
    if providers := [email for email in _unique(providers) if email not in recipients]:
        send_email_after_commit("booking_step", providers, {**context, "note": ""})
    return event


def _lock_booking(booking_id: int) -> Booking:
    return (
        Booking.objects.select_related("cafe__commune", "kind", "provider")
        .select_for_update(of=("self",))
        .get(pk=booking_id)
    )


def _check_free(
    cafe: Cafe,
    provider: Provider | None,
    starts_at: datetime,
    ends_at: datetime,
    exclude: int | None,
) -> None:
    """Refuse a slot that overlaps the café's or the provider's held time; call under lock."""
    overlapping = Booking.objects.filter(
        state__in=BLOCKING_STATES, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).exclude(pk=exclude)
    if overlapping.filter(cafe=cafe).exists():
        raise EventsError(
            _("%(cafe)s a déjà une animation prévue le %(when)s.")
            % {"cafe": cafe.name, "when": french_datetime(starts_at)}
        )
    if provider is None:
        return
    if overlapping.filter(provider=provider).exists():
        raise EventsError(
            _("%(provider)s est déjà engagé·e ailleurs le %(when)s.")
            % {"provider": provider.name, "when": french_datetime(starts_at)}
        )
    first_day = timezone.localtime(starts_at).date()
    last_day = timezone.localtime(ends_at).date()
    if ProviderUnavailability.objects.filter(
        provider=provider, start__lte=last_day, end__gte=first_day
    ).exists():
        raise EventsError(
            _("%(provider)s n'est pas disponible le %(when)s.")
            % {"provider": provider.name, "when": french_datetime(starts_at)}
        )


def _lock_slot_owners(provider: Provider | None, cafe_id: int) -> Cafe:
    if provider is not None:
        Provider.objects.select_for_update().get(pk=provider.pk)
    return Cafe.objects.select_for_update().select_related("commune").get(pk=cafe_id)


def _check_future(moment: datetime) -> None:
    if moment <= timezone.now():
        raise EventsError(_("La date du %(when)s est passée.") % {"when": french_datetime(moment)})


@transaction.atomic
def request_booking(
    *,
    by: User,
    cafe: Cafe,
    kind: AnimationKind,
    preferred_dates: Sequence[datetime],
    expected_audience: int | None = None,
    notes: str = "",
    is_public: bool = False,
) -> Booking:
    if not (is_staff(by) or manages(by, cafe.pk)):
        raise EventsError(_("Vous ne pouvez demander une animation que pour votre café."))
    if kind.slug == GUINGUETTE_KIND:
        raise EventsError(
            _(
                "La Guinguette mobile se demande par les élu·es de la commune, "
                "depuis leur espace membre."
            )
        )
    if not kind.is_bookable:
        raise EventsError(
            _("« %(kind)s » se programme avec l'équipe : candidatez à une tournée.")
            % {"kind": kind.name}
        )
    dates = sorted(set(preferred_dates))
    if not 1 <= len(dates) <= MAX_PREFERRED_DATES:
        raise EventsError(_("Indiquez entre une et trois dates souhaitées, toutes différentes."))
    cafe = _lock_slot_owners(None, cafe.pk)
    for moment in dates:
        _check_future(moment)
        _check_free(cafe, None, moment, moment + kind.duration, exclude=None)
    booking = Booking(
        cafe=cafe,
        kind=kind,
        preferred_1=dates[0],
        preferred_2=dates[1] if len(dates) > 1 else None,
        preferred_3=dates[2] if len(dates) > 2 else None,
        expected_audience=expected_audience,
        notes=notes.strip(),
        is_public=is_public,
        requested_by=by,
    )
    _step(booking, "request", by, notes)
    return booking


def _schedule(
    booking_id: int,
    action: str,
    by: User,
    starts_at: datetime,
    provider: Provider | None,
    note: str,
) -> Booking:
    """Give a booking its slot (confirm or propose), once the slot is known to be free."""
    unlocked = Booking.objects.select_related("kind").get(pk=booking_id)
    if provider is None and unlocked.kind.providers.exists():
        raise EventsError(_("Choisissez le prestataire qui assurera l'animation."))
    if provider is not None and not unlocked.kind.providers.filter(pk=provider.pk).exists():
        raise EventsError(
            _("%(provider)s ne propose pas « %(kind)s ».")
            % {"provider": provider.name, "kind": unlocked.kind.name}
        )
    _check_future(starts_at)
    _lock_slot_owners(provider, unlocked.cafe_id)
    booking = _lock_booking(booking_id)
    _check_step(booking, action, by)
    ends_at = starts_at + booking.kind.duration
    _check_free(booking.cafe, provider, starts_at, ends_at, exclude=booking.pk)
    if booking.starts_at is not None and booking.starts_at != starts_at:
        booking.calendar_sequence += 1
    booking.starts_at, booking.ends_at, booking.provider = starts_at, ends_at, provider
    _step(booking, action, by, note)
    return booking


@transaction.atomic
def confirm_booking(
    booking: Booking, *, by: User, starts_at: datetime, provider: Provider | None, note: str = ""
) -> Booking:
    if starts_at not in booking.preferred_dates:
        raise EventsError(
            _("Confirmez l'une des dates demandées par le café, ou proposez-en une autre.")
        )
    return _schedule(booking.pk, "confirm", by, starts_at, provider, note)


@transaction.atomic
def propose_date(
    booking: Booking, *, by: User, starts_at: datetime, provider: Provider | None, note: str = ""
) -> Booking:
    return _schedule(booking.pk, "propose", by, starts_at, provider, note)


@transaction.atomic
def accept_booking(booking: Booking, *, by: User, note: str = "") -> Booking:
    booking = _lock_booking(booking.pk)
    _step(booking, "accept", by, note)
    return booking


@transaction.atomic
def decline_booking(booking: Booking, *, by: User, note: str) -> Booking:
    if not note.strip():
        raise EventsError(_("Expliquez au café pourquoi la demande est déclinée."))
    booking = _lock_booking(booking.pk)
    _step(booking, "decline", by, note)
    return booking


@transaction.atomic
def cancel_booking(booking: Booking, *, by: User, note: str = "") -> Booking:
    booking = _lock_booking(booking.pk)
    deadline = booking.manager_cancellation_deadline
    if (
        deadline is not None
        and timezone.now() > deadline
        and booking.allows("cancel")
        and actors_for(by, booking) == {Actor.MANAGER}
    ):
        raise EventsError(
            _(
                "L'animation a lieu dans moins de 7 jours : pour l'annuler, appelez l'équipe, "
                "qui préviendra le prestataire."
            )
        )
    _step(booking, "cancel", by, note)
    return booking


@transaction.atomic
def report_booking(
    booking: Booking,
    *,
    by: User,
    participants: int,
    photos: Sequence[tuple[object, str]] = (),
    note: str = "",
) -> Booking:
    """The animation took place: record how many came, and optional photos (file, caption)."""
    booking = _lock_booking(booking.pk)
    if booking.allows("report") and not booking.is_past:
        raise EventsError(
            _("Le bilan se fait après l'animation, prévue le %(when)s.")
            % {"when": french_datetime(booking.starts_at)}
        )
    if not 0 <= participants <= MAX_PARTICIPANTS:
        raise EventsError(_("Indiquez un nombre de participants entre 0 et 10 000."))
    for file, _caption in photos:
        try:
            validate_photo(file)
        except ValidationError as error:
            raise EventsError(f"{file.name} : {error.messages[0]}") from None
    booking.participants = participants
    _step(booking, "report", by, note)
    for file, caption in photos:
        BookingPhoto.objects.create(
            booking=booking, image=file, alt_text=caption or booking.kind.name
        )
    return booking


# ---------------------------------------------------------------------------- tours


@transaction.atomic
def apply_to_host_stop(
    tour: Tour, *, by: User, cafe: Cafe, preferred_dates: str, message: str = ""
) -> HostApplication:
    if not manages(by, cafe.pk):
        raise EventsError(_("Seul·e un·e gérant·e du café peut proposer d'accueillir une étape."))
    tour = Tour.objects.select_for_update().get(pk=tour.pk)
    if not tour.applications_open:
        raise EventsError(_("Les candidatures pour cette tournée sont closes."))
    if not preferred_dates.strip():
        raise EventsError(
            _("Indiquez les dates auxquelles votre café pourrait accueillir l'étape.")
        )
    if tour.applications.filter(cafe=cafe).exists():
        raise EventsError(
            _("%(cafe)s a déjà proposé d'accueillir une étape de cette tournée.")
            % {"cafe": cafe.name}
        )
    application = HostApplication.objects.create(
        tour=tour,
        cafe=cafe,
        applied_by=by,
        preferred_dates=preferred_dates.strip(),
        message=message.strip(),
    )
    if recipients := _staff_emails():
        send_email_after_commit("tour_application", recipients, {"application": application})
    return application


@transaction.atomic
def add_tour_stop(
    tour: Tour,
    *,
    by: User,
    cafe: Cafe,
    starts_at: datetime,
    show: str,
    provider: Provider | None,
    application: HostApplication | None = None,
) -> TourStop:
    """Put a café on the tour: a confirmed, public booking of the tour's programme."""
    if not is_staff(by):
        raise EventsError(_("Seule l'équipe construit les tournées."))
    if not show.strip():
        raise EventsError(_("Indiquez le spectacle ou le film de cette étape."))
    if not tour.season_start <= timezone.localtime(starts_at).date() <= tour.season_end:
        raise EventsError(
            _("L'étape doit avoir lieu pendant la saison de la tournée (%(start)s – %(end)s).")
            % {
                "start": french_date(tour.season_start, weekday=False),
                "end": french_date(tour.season_end, weekday=False),
            }
        )
    if provider is not None and not tour.kind.providers.filter(pk=provider.pk).exists():
        raise EventsError(
            _("%(provider)s ne joue pas dans « %(kind)s ».")
            % {"provider": provider.name, "kind": tour.kind.name}
        )
    _check_future(starts_at)
    cafe = _lock_slot_owners(provider, cafe.pk)
    ends_at = starts_at + tour.kind.duration
    _check_free(cafe, provider, starts_at, ends_at, exclude=None)
    booking = Booking(
        cafe=cafe,
        kind=tour.kind,
        provider=provider,
        preferred_1=starts_at,
        starts_at=starts_at,
        ends_at=ends_at,
        is_public=True,
        requested_by=by,
    )
    _step(booking, "plan", by, show)
    stop = TourStop.objects.create(tour=tour, booking=booking, show=show.strip())
    if application is not None:
        HostApplication.objects.filter(pk=application.pk).update(
            state=HostApplication.State.ACCEPTED
        )
    return stop


@transaction.atomic
def reject_host_application(application: HostApplication, *, by: User) -> HostApplication:
    if not is_staff(by):
        raise EventsError(_("Seule l'équipe construit les tournées."))
    application = HostApplication.objects.select_for_update().get(pk=application.pk)
    if application.state != HostApplication.State.PENDING:
        raise EventsError(_("Cette candidature a déjà été traitée."))
    application.state = HostApplication.State.REJECTED
    application.save(update_fields=["state"])
    return application


# ---------------------------------------------------------------------------- funds


@transaction.atomic
def claim_reimbursement(
    booking: Booking, *, by: User, fund: Fund, amount: Decimal, invoice
) -> Reimbursement:
    booking = _lock_booking(booking.pk)
    fund = Fund.objects.with_totals().get(pk=fund.pk)
    if not manages(by, booking.cafe_id):
        raise EventsError(_("Seul·e un·e gérant·e du café peut demander un remboursement."))
    if booking.state != BookingState.HELD:
        raise EventsError(_("Un remboursement se demande une fois le bilan de l'animation fait."))
    if not fund.eligible_kinds.filter(pk=booking.kind_id).exists():
        raise EventsError(
            _("Le %(fund)s ne finance pas « %(kind)s ».")
            % {"fund": fund, "kind": booking.kind.name}
        )
    if timezone.localtime(booking.starts_at).year != fund.year:
        raise EventsError(
            _("Le %(fund)s finance les animations de %(year)s.") % {"fund": fund, "year": fund.year}
        )
    _check_fund_reaches(fund, booking.cafe)
    if amount <= 0:
        raise EventsError(_("Indiquez un montant supérieur à zéro."))
    available = fund.remaining
    if amount > available:
        raise EventsError(
            _("Il reste %(left)s dans le %(fund)s.") % {"left": euros(available), "fund": fund}
        )
    try:
        validate_invoice(invoice)
    except ValidationError as error:
        raise EventsError(error.messages[0]) from None
    if booking.reimbursements.filter(fund=fund).exclude(state=Reimbursement.State.REFUSED).exists():
        raise EventsError(_("Un remboursement est déjà demandé à ce fonds pour cette animation."))
    claim = Reimbursement.objects.create(
        booking=booking, fund=fund, requested_amount=amount, invoice=invoice, claimed_by=by
    )
    if recipients := _staff_emails():
        send_email_after_commit(
            "reimbursement_claimed", recipients, {"claim": claim, "amount": euros(amount)}
        )
    return claim


def _check_fund_reaches(fund: Fund, cafe: Cafe) -> None:
    """Refuse a fund limited to listed cafés or regions for a café outside them."""
    if refusal := fund.refusal_for(cafe):
        raise EventsError(refusal)


def _lock_claim(claim: Reimbursement, by: User) -> Reimbursement:
    if not is_staff(by):
        raise EventsError(_("Seule l'équipe décide des remboursements."))
    # The fund first: every approval of this fund waits here, so the sums below are final.
    Fund.objects.select_for_update().get(pk=claim.fund_id)
    claim = (
        Reimbursement.objects.select_for_update(of=("self",))
        .select_related("fund", "booking__cafe__commune__department", "booking__kind")
        .get(pk=claim.pk)
    )
    if claim.state != Reimbursement.State.CLAIMED:
        raise EventsError(
            _("Ce remboursement a déjà été %(state)s.")
            % {"state": claim.get_state_display().lower()}
        )
    return claim


def _announce_decision(claim: Reimbursement) -> None:
    if recipients := _manager_emails(claim.booking.cafe):
        amount = euros(claim.approved_amount) if claim.approved_amount is not None else ""
        send_email_after_commit(
            f"reimbursement_{claim.state}", recipients, {"claim": claim, "amount": amount}
        )


@transaction.atomic
def approve_reimbursement(
    claim: Reimbursement, *, by: User, amount: Decimal, note: str = ""
) -> Reimbursement:
    claim = _lock_claim(claim, by)
    fund = claim.fund
    # Staff may have narrowed the fund since the claim was made.
    _check_fund_reaches(fund, claim.booking.cafe)
    if not 0 < amount <= claim.requested_amount:
        raise EventsError(
            _("Le montant accordé doit être entre 0 et le montant demandé (%(asked)s).")
            % {"asked": euros(claim.requested_amount)}
        )
    left = fund.budget - fund.approved_total()
    if amount > left:
        raise EventsError(
            _("Budget insuffisant : il reste %(left)s dans le %(fund)s.")
            % {"left": euros(left), "fund": fund}
        )
    if fund.cap_per_cafe is not None:
        cafe_left = fund.cap_per_cafe - fund.approved_total(cafe=claim.booking.cafe)
        if amount > cafe_left:
            raise EventsError(
                _("Plafond atteint : %(cafe)s peut encore recevoir %(left)s du %(fund)s.")
                % {
                    "cafe": claim.booking.cafe.name,
                    "left": euros(max(cafe_left, Decimal(0))),
                    "fund": fund,
                }
            )
    claim.state = Reimbursement.State.APPROVED
    claim.approved_amount = amount
    claim.decided_by, claim.decided_at, claim.note = by, timezone.now(), note.strip()
    claim.save()
    _announce_decision(claim)
    return claim


@transaction.atomic
def refuse_reimbursement(claim: Reimbursement, *, by: User, note: str) -> Reimbursement:
    if not note.strip():
        raise EventsError(_("Expliquez au café pourquoi le remboursement est refusé."))
    claim = _lock_claim(claim, by)
    claim.state = Reimbursement.State.REFUSED
    claim.decided_by, claim.decided_at, claim.note = by, timezone.now(), note.strip()
    claim.save()
    _announce_decision(claim)
    return claim


# ---------------------------------------------------------------------------- Guinguette


def _commune_emails(commune_id: int) -> list[str]:
    """The commune's elected members: the Guinguette's requests are theirs together."""
    return User.objects.reachable().filter(role=Role.ELECTED, commune_id=commune_id).emails()


# The subject of the e-mail telling each step of a Guinguette request (its text is
# emails/guinguette_steps/<step>.txt).
VISIT_STEP_HEADLINES = {
    "request": "Demande de Guinguette mobile",
    "confirm": "Guinguette mobile confirmée",
    "refuse": "Guinguette mobile : demande refusée",
    "cancel": "Guinguette mobile annulée",
}


def _announce_visit(visit: GuinguetteVisit, by: User, step: str) -> None:
    """Tell the commune of every step; staff of what the commune does."""
    recipients = _commune_emails(visit.commune_id)
    if not is_staff(by):
        recipients += _staff_emails()
    if recipients := _unique(recipients):
        context = {
            "visit": visit,
            "headline": VISIT_STEP_HEADLINES[step],
            "step_text": f"emails/guinguette_steps/{step}.txt",
            "by": by,
            "by_staff": is_staff(by),
            "day": french_date(visit.date),
        }
        send_email_after_commit("guinguette_step", recipients, context)


def _check_in_season(day: date) -> None:
    start, end = GuinguetteSeason.bounds(day.year)
    if not start <= day <= end:
        raise EventsError(
            _("La Guinguette mobile circule %(season)s : choisissez une date dans la saison.")
            % {"season": GuinguetteSeason.label(day.year)}
        )


def _check_upcoming(day: date) -> None:
    if day <= timezone.localdate():
        raise EventsError(_("La date du %(day)s est passée.") % {"day": french_date(day)})


@transaction.atomic
def request_guinguette(
    *,
    by: User,
    commune: Commune,
    day: date,
    place: str,
    start_time: time | None = None,
    expected_audience: int | None = None,
    notes: str = "",
    programme: str = "",
    vehicle: GuinguetteVehicle | None = None,
) -> GuinguetteVisit:
    """A commune's elected member asks for an evening of the Guinguette mobile. Staff ask on
    a commune's behalf (one without a café, or without any member on the platform, as
    well), and may send a vehicle at once: the request is then confirmed in the same step,
    under the same rules as confirm_guinguette."""
    staff = is_staff(by)
    if not (staff or represents(by, commune.pk)):
        raise EventsError(
            _("Seul·es les élu·es de la commune peuvent y demander la Guinguette mobile.")
        )
    if vehicle is not None and not staff:
        raise EventsError(_("Seule l'équipe organise les dates de la Guinguette mobile."))
    if not place.strip():
        raise EventsError(
            _("Indiquez où la Guinguette s'installera : la place, la salle des fêtes, un pré…")
        )
    if expected_audience is not None and not 0 < expected_audience <= MAX_PARTICIPANTS:
        raise EventsError(_("Indiquez un public attendu entre 1 et 10 000 personnes."))
    _check_upcoming(day)
    _check_in_season(day)
    if vehicle is not None:
        # The vehicle before the commune, as confirm_guinguette takes it before the visit.
        vehicle = GuinguetteVehicle.objects.select_for_update().get(pk=vehicle.pk)
    # The commune's row is the lock: two members of the council asking at once make one request.
    commune = Commune.objects.select_for_update().get(pk=commune.pk)
    if GuinguetteVisit.objects.filter(
        commune=commune, date=day, state__in=GUINGUETTE_LIVE
    ).exists():
        raise EventsError(
            _("%(commune)s a déjà demandé la Guinguette mobile le %(day)s.")
            % {"commune": commune.name, "day": french_date(day)}
        )
    visit = GuinguetteVisit.objects.create(
        commune=commune,
        date=day,
        start_time=start_time or GuinguetteVisit._meta.get_field("start_time").default,
        place=place.strip(),
        expected_audience=expected_audience,
        notes=notes.strip(),
        programme=programme.strip(),
        requested_by=by,
    )
    if vehicle is None:
        _announce_visit(visit, by, "request")
    else:
        _send_vehicle(visit, vehicle, by)
    return visit


def _lock_visit(visit_id: int) -> GuinguetteVisit:
    return (
        GuinguetteVisit.objects.select_for_update(of=("self",))
        .select_related("commune", "vehicle")
        .get(pk=visit_id)
    )


def _check_state(visit: GuinguetteVisit, *states: str) -> None:
    if visit.state not in states:
        raise EventsError(
            _("Impossible : cette date de la Guinguette est « %(state)s ».")
            % {"state": visit.get_state_display().lower()}
        )


def _require_staff(by: User) -> None:
    if not is_staff(by):
        raise EventsError(_("Seule l'équipe organise les dates de la Guinguette mobile."))


@transaction.atomic
def confirm_guinguette(
    visit: GuinguetteVisit, *, by: User, vehicle: GuinguetteVehicle, note: str = ""
) -> GuinguetteVisit:
    """Staff send a vehicle: it is then taken for that date, wherever else it was asked."""
    _require_staff(by)
    # The vehicle first: every confirmation for it waits here, so the check below is final
    # (the unique constraint on vehicle and date stands behind it).
    vehicle = GuinguetteVehicle.objects.select_for_update().get(pk=vehicle.pk)
    visit = _lock_visit(visit.pk)
    _check_state(visit, GuinguetteState.REQUESTED)
    _send_vehicle(visit, vehicle, by, note)
    return visit


def _send_vehicle(
    visit: GuinguetteVisit, vehicle: GuinguetteVehicle, by: User, note: str = ""
) -> None:
    """Confirm the visit with this vehicle, locked by the caller, if it is free that day."""
    if not vehicle.is_active:
        raise EventsError(_("%(vehicle)s n'est plus en service.") % {"vehicle": vehicle.name})
    _check_upcoming(visit.date)
    taken = (
        GuinguetteVisit.objects.filter(
            vehicle=vehicle, date=visit.date, state__in=GUINGUETTE_HOLDING
        )
        .select_related("commune")
        .first()
    )
    if taken is not None:
        raise EventsError(
            _("%(vehicle)s est déjà à %(commune)s le %(day)s.")
            % {
                "vehicle": vehicle.name,
                "commune": taken.commune.name,
                "day": french_date(visit.date),
            }
        )
    visit.state, visit.vehicle = GuinguetteState.CONFIRMED, vehicle
    visit.decided_by, visit.decided_at, visit.decision_note = by, timezone.now(), note.strip()
    visit.save()
    _announce_visit(visit, by, "confirm")


@transaction.atomic
def refuse_guinguette(visit: GuinguetteVisit, *, by: User, note: str) -> GuinguetteVisit:
    _require_staff(by)
    if not note.strip():
        raise EventsError(_("Expliquez à la commune pourquoi la Guinguette ne peut pas venir."))
    visit = _lock_visit(visit.pk)
    _check_state(visit, GuinguetteState.REQUESTED)
    visit.state = GuinguetteState.REFUSED
    visit.decided_by, visit.decided_at, visit.decision_note = by, timezone.now(), note.strip()
    visit.save()
    _announce_visit(visit, by, "refuse")
    return visit


@transaction.atomic
def cancel_guinguette(visit: GuinguetteVisit, *, by: User, note: str = "") -> GuinguetteVisit:
    """The commune or staff call it off before the date; the vehicle is free again."""
    if not (is_staff(by) or represents(by, visit.commune_id)):
        raise EventsError(_("Seul·es les élu·es de la commune ou l'équipe peuvent annuler."))
    visit = _lock_visit(visit.pk)
    _check_state(visit, GuinguetteState.REQUESTED, GuinguetteState.CONFIRMED)
    _check_upcoming(visit.date)
    visit.state = GuinguetteState.CANCELLED
    if note.strip():
        visit.decision_note = note.strip()
    visit.save()
    _announce_visit(visit, by, "cancel")
    return visit


@transaction.atomic
def report_guinguette(visit: GuinguetteVisit, *, by: User, participants: int) -> GuinguetteVisit:
    """Staff, who ran the evening, record how many came: the impact figures count it."""
    _require_staff(by)
    visit = _lock_visit(visit.pk)
    _check_state(visit, GuinguetteState.CONFIRMED)
    if not visit.is_past:
        raise EventsError(
            _("Le bilan se fait après la soirée, prévue le %(day)s.")
            % {"day": french_date(visit.date)}
        )
    if not 0 <= participants <= MAX_PARTICIPANTS:
        raise EventsError(_("Indiquez un nombre de participants entre 0 et 10 000."))
    visit.state, visit.participants = GuinguetteState.HELD, participants
    visit.save()
    return visit


def unlist_past_guinguette_evenings(today: date | None = None) -> int:
    """Periodic job: evenings whose date has passed leave the site search as they leave the
    agenda (their bilan comes later). Returns how many were marked."""
    return searchable.unlist_passed(
        GuinguetteVisit.objects.filter(state=GuinguetteState.CONFIRMED),
        "date",
        today or timezone.localdate(),
    )
