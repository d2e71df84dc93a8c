from __future__ import annotations

from django import template

from events import text
from events.models import AnimationKind, BookingState

register = template.Library()
register.filter("duration_fr", text.duration_fr)
register.filter("euros", text.euros)
register.filter("thousands", text.thousands)
register.filter("when", text.when)

BADGES = {
    BookingState.REQUESTED: "warning",
    BookingState.PROPOSED: "warning",
    BookingState.CONFIRMED: "success",
    BookingState.HELD: "success",
}


@register.filter
def state_badge(state: str) -> str:
    return BADGES.get(state, "")


@register.filter
def kind_price(kind: AnimationKind) -> str:
    """What a café pays for the kind, as the catalogue says it: only a price staff really
    set, the network's free offer as such."""
    if kind.offered_by_network:
        return "offert par le réseau"
    if kind.price is None:
        return "sur devis"
    return text.euros(kind.price)
