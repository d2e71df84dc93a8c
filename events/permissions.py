"""Who may see and do what in the events app: decided here, used by views and services."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from community.accounts.models import Role
from community.places.models import Cafe

from .models import Actor, Booking, Fund, GuinguetteVisit, Provider, Reimbursement


def is_staff(user) -> bool:
    return user.is_authenticated and user.is_network_staff


def is_manager(user) -> bool:
    return user.is_authenticated and user.is_approved_member and user.role == Role.MANAGER


def is_partner(user) -> bool:
    return user.is_authenticated and user.is_approved_member and user.role == Role.PARTNER


def is_elected(user) -> bool:
    return user.is_authenticated and user.is_approved_member and user.role == Role.ELECTED


def represents(user, commune_id: int) -> bool:
    """An approved elected member of this commune: they request the Guinguette for it."""
    return is_elected(user) and user.commune_id == commune_id


def can_use_guinguette(user) -> bool:
    """Elected members of a commune request the Guinguette; staff organise it."""
    return is_staff(user) or (is_elected(user) and user.commune_id is not None)


def visible_guinguette_visits(user) -> QuerySet[GuinguetteVisit]:
    visits = GuinguetteVisit.objects.select_related(
        "commune__department__region", "vehicle", "requested_by"
    )
    if is_staff(user):
        return visits
    if is_elected(user) and user.commune_id is not None:
        return visits.filter(commune_id=user.commune_id)
    return visits.none()


def funded_by(user) -> QuerySet[Fund]:
    """The funds of the funders the partner account is linked to; staff see every fund."""
    if is_staff(user):
        return Fund.objects.all()
    if not is_partner(user):
        return Fund.objects.none()
    return Fund.objects.filter(funder__accounts=user)


def managed_cafes(user) -> QuerySet[Cafe]:
    if not is_manager(user):
        return Cafe.objects.none()
    return user.managed_cafes.select_related("commune").order_by("name", "pk")


def manages(user, cafe_id: int) -> bool:
    return is_manager(user) and user.managed_cafes.filter(pk=cafe_id).exists()


def linked_providers(user) -> QuerySet[Provider]:
    if not is_partner(user):
        return Provider.objects.none()
    return user.providers.all()


def actors_for(user, booking: Booking) -> set[str]:
    """The roles the user holds towards this booking (staff, the café's manager, both, none)."""
    actors = set()
    if is_staff(user):
        actors.add(Actor.STAFF)
    if manages(user, booking.cafe_id):
        actors.add(Actor.MANAGER)
    return actors


def sees_cafe_side(user, booking: Booking) -> bool:
    """The café's side of a booking (its notes and wishes, its exchange with staff, its
    reimbursements) is for the café's managers and staff. A partner sees their intervention
    only: date, place, animation, expected audience and whom to contact on the spot."""
    return bool(actors_for(user, booking))


def can_use_bookings(user) -> bool:
    """Managers, staff and partners have a bookings page; elected officials do not."""
    return is_staff(user) or is_manager(user) or is_partner(user)


def visible_bookings(user) -> QuerySet[Booking]:
    """Staff see every booking, managers their cafés', partners their providers' engagements."""
    bookings = Booking.objects.select_related(
        "cafe__commune__department", "kind", "provider", "tour_stop__tour"
    )
    if is_staff(user):
        return bookings
    scope = Q(pk__in=[])
    if is_manager(user):
        scope |= Q(cafe__managers=user)
    if is_partner(user):
        scope |= Q(provider__account=user)
    return bookings.filter(scope).distinct()


def can_see_invoice(user, claim: Reimbursement) -> bool:
    """The café's managers and staff; not the partner who delivered the animation."""
    return is_staff(user) or manages(user, claim.booking.cafe_id)


def can_see_provider_feed(user, provider: Provider) -> bool:
    return is_staff(user) or (is_partner(user) and provider.account_id == user.pk)


def can_see_cafe_feed(user, cafe: Cafe) -> bool:
    return is_staff(user) or manages(user, cafe.pk)
