"""Demo forum content: the default tree and a few conversations between the demo accounts.

Idempotent: a topic is looked up by its subject in its forum, and skipped when present.
Written through machina's models directly, so seeding sends no notification e-mail.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from machina.apps.forum_conversation.models import Post, Topic

from community.accounts.models import User

from .tree import area, ensure_forum_tree, theme

# (forum, subject, [(author e-mail, content), …]); the first message opens the topic.
CONVERSATIONS: list[tuple[Callable, str, list[tuple[str, str]]]] = [
    (
        lambda: area("public"),
        "Comment notre commune a rouvert son café",
        [
            (
                "maire@example.org",
                "Bonjour à toutes et à tous,\n\nÀ Cadalen, le dernier bar a fermé en 2021. "
                "Nous avons racheté les murs, lancé une étude de préfiguration avec le réseau, "
                "puis recruté un gérant. Le café a rouvert au printemps : **six emplois** et "
                "une épicerie de dépannage.\n\nJe réponds volontiers à vos questions !",
            ),
            (
                "equipe@example.org",
                "Merci Jeanne pour ce témoignage. Pour celles et ceux qui démarrent, la fiche "
                "pratique « Étude de préfiguration » est dans les boîtes à outils.",
            ),
        ],
    ),
    (
        lambda: theme("Gestion du café"),
        "Quels fournisseurs pour un café de village ?",
        [
            (
                "gerant@example.org",
                "Nous cherchons un torréfacteur local et un grossiste boissons qui livre en "
                "petites quantités. Vos adresses et vos conditions ?",
            ),
            (
                "gerante@example.org",
                "À Locronan nous passons par une coopérative bretonne : franco de port à "
                "partir de 300 €, livraison toutes les deux semaines. @[Lucas Bernard] je "
                "t'envoie le contact.",
            ),
        ],
    ),
    (
        lambda: theme("Animations"),
        "Un concert de poche dans un café de 40 places ?",
        [
            (
                "gerante@example.org",
                "Nous aimerions accueillir un Concert de Poche cet hiver. La salle fait "
                "40 places : est-ce assez ? Comment gérez-vous la billetterie ?",
            ),
            (
                "adjointe@example.org",
                "À Essoyes, nous avions fait 35 entrées avec réservation à la mairie. "
                "La commune avait prêté des chaises et la salle des fêtes pour la répétition.",
            ),
        ],
    ),
    (
        lambda: area("elected"),
        "Bail commercial ou régie municipale ?",
        [
            (
                "adjointe@example.org",
                "Notre conseil municipal hésite entre un bail commercial avec un gérant "
                "privé et une régie. Quels retours d'expérience sur les deux formules ?",
            ),
            (
                "maire@example.org",
                "Nous avons choisi une association gestionnaire avec une convention "
                "d'occupation : plus souple qu'une régie, et la commune garde la main.",
            ),
        ],
    ),
    (
        lambda: area("managers"),
        "Horaires d'hiver : vous fermez le lundi ?",
        [
            (
                "gerant@example.org",
                "L'hiver, le lundi est très calme à Tiranges. Fermer ce jour-là, ou ouvrir "
                "seulement le matin pour le dépôt de pain ?",
            ),
            (
                "gerante@example.org",
                "Nous ouvrons le lundi matin pour le pain et les journaux, puis nous "
                "fermons : les habitués s'y sont vite faits.",
            ),
        ],
    ),
]


def seed(log: Callable[[str], None]) -> None:
    ensure_forum_tree()
    created = 0
    with transaction.atomic():
        for forum_of, subject, messages in CONVERSATIONS:
            forum = forum_of()
            if Topic.objects.filter(forum=forum, subject=subject).exists():
                continue
            authors = {
                email: User.objects.filter(email=email).first() for email, _content in messages
            }
            if not all(authors.values()):
                continue  # the demo accounts are missing: seed_demo creates them first
            topic = Topic.objects.create(
                forum=forum,
                subject=subject,
                poster=authors[messages[0][0]],
                approved=True,
                type=Topic.TOPIC_POST,
                status=Topic.TOPIC_UNLOCKED,
            )
            for position, (email, content) in enumerate(messages):
                Post.objects.create(
                    topic=topic,
                    poster=authors[email],
                    subject=f"Re: {subject}" if position else subject,
                    content=content,
                    approved=True,
                )
                topic.subscribers.add(authors[email])
            created += 1
    log(f"  Forum : {created} sujet(s) de démonstration ajouté(s).")
