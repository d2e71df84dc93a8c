"""The rooms that follow the forum areas: created by migration 0002, restored by seed_demo."""

from __future__ import annotations

ROOMS: list[tuple[str, str, str, str]] = [
    ("elus", "Salon des élu·es", "Entre élu·es des communes du réseau, avec l'équipe.", "elected"),
    (
        "gerants",
        "Salon des gérant·es",
        "Entre gérant·es de cafés, avec l'équipe : fournisseurs, animations, gestion.",
        "managers",
    ),
    ("reseau", "Salon du réseau", "Ouvert à tous les membres du réseau 1000 cafés.", "network"),
]


def ensure_rooms(room_model=None) -> dict:
    """Create or update the rooms; `room_model` is the historical model in a migration."""
    if room_model is None:
        from .models import Room as room_model
    return {
        slug: room_model.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "audience": audience}
        )[0]
        for slug, name, description, audience in ROOMS
    }
