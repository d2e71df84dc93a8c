from __future__ import annotations

from django import template

from community.lib.formats import euros
from events.models import AnimationKind, BookingState

register = template.Library()

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
    return euros(kind.price)
