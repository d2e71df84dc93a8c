"""Demo messages in each room, written by the demo accounts (skipped when one is absent).

Idempotent: a message is looked up by room, author and text before it is created. Stored
directly, without broadcast: nobody is connected while seed_demo runs.
"""

from __future__ import annotations

from collections.abc import Callable

from community.accounts.models import User

from .models import Message
from .rooms import ensure_rooms

MESSAGES: dict[str, list[tuple[str, str]]] = {
    "elus": [
        (
            "maire@example.org",
            "Bonjour à toutes et à tous ! Qui a déjà lancé une étude de préfiguration ?",
        ),
        (
            "adjointe@example.org",
            "Nous, à Essoyes, l'an dernier. Je peux partager le cahier des charges.",
        ),
        (
            "equipe@example.org",
            "Les fiches « Étude de préfiguration » et « Définir le projet » des boîtes à "
            "outils décrivent chaque étape et son financement.",
        ),
    ],
    "gerants": [
        (
            "gerant@example.org",
            "Quelqu'un a un bon fournisseur de jus de fruits locaux en Haute-Loire ?",
        ),
        (
            "gerante@example.org",
            "On travaille avec une coopérative à côté de Quimper, je t'envoie le contact.",
        ),
        (
            "equipe@example.org",
            "Pensez à réserver vos dates pour la Tournée des Villages avant fin mars.",
        ),
    ],
    "reseau": [
        (
            "equipe@example.org",
            "Bienvenue dans le salon du réseau : présentez-vous en quelques mots !",
        ),
        (
            "maire@example.org",
            "Jeanne, maire de Cadalen : notre café associatif a rouvert au printemps.",
        ),
        ("gerant@example.org", "Lucas, gérant du café de Tiranges. Au plaisir d'échanger !"),
        (
            "partenaire@example.org",
            "Théo, Compagnie du Petit Chapiteau : nous jouons dans vos cafés cet été.",
        ),
    ],
}


def seed(log: Callable[[str], None]) -> None:
    rooms = ensure_rooms()
    emails = {email for messages in MESSAGES.values() for email, _ in messages}
    authors = {user.email: user for user in User.objects.filter(email__in=emails)}
    created = 0
    for slug, messages in MESSAGES.items():
        for email, body in messages:
            author = authors.get(email)
            if author is None:
                continue
            _, new = Message.objects.get_or_create(room=rooms[slug], author=author, body=body)
            created += new
    log(f"  Discussions : {len(rooms)} salons, {created} message(s) de démonstration ajouté(s).")
