from __future__ import annotations

from django import template

from events import text
from events.models import BookingState

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
