"""Demo forum content: the default tree and conversations between the demo accounts.

Every themed area holds two or three conversations on the 2025 activity report's themes and
the public area a few more, so the forum looks alive on a first visit. Posts are dated over
the last weeks (a thread read « il y a 2 minutes » everywhere looks fake).

Idempotent: a topic is looked up by its subject in its forum, and skipped when present.
Written through machina's models directly, so seeding sends no notification e-mail.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from machina.apps.forum.models import Forum
from machina.apps.forum_conversation.models import Post, Topic

from community.accounts.models import User

from .tree import area, ensure_forum_tree, theme

# Toolkit pages the conversations point to (toolkit/demo.py seeds them).
PREFIGURATION = "/boites-a-outils/etude-de-prefiguration/"
DEFINITION = "/boites-a-outils/definir-le-projet/"
CONSULTATION = "/boites-a-outils/mener-une-consultation-citoyenne/"

MAIRE = "maire@example.org"
ADJOINTE = "adjointe@example.org"
GERANT = "gerant@example.org"
GERANTE = "gerante@example.org"
EQUIPE = "equipe@example.org"
PARTENAIRE = "partenaire@example.org"


@dataclass(frozen=True)
class Conversation:
    forum: Callable[[], Forum]
    subject: str
    days_ago: int  # when the first message was posted; each reply comes a few hours later
    messages: list[tuple[str, str]]  # (author e-mail, content); the first opens the topic


CONVERSATIONS: list[Conversation] = [
    # The public area: readable by everyone, the busiest.
    Conversation(
        lambda: area("public"),
        "Comment notre commune a rouvert son café",
        40,
        [
            (
                MAIRE,
                "Bonjour à toutes et à tous,\n\nÀ Cadalen, le dernier bar a fermé en 2021. "
                "Nous avons racheté les murs, lancé une étude de préfiguration avec le réseau, "
                "puis recruté un gérant. Le café associatif a rouvert au printemps, avec une "
                "épicerie de dépannage et une dizaine de bénévoles.\n\nJe réponds volontiers à "
                "vos questions !",
            ),
            (
                EQUIPE,
                "Merci Jeanne pour ce témoignage. Pour celles et ceux qui démarrent, la fiche "
                f"pratique [Étude de préfiguration]({PREFIGURATION}) est dans les boîtes à "
                "outils.",
            ),
            (
                ADJOINTE,
                "Combien de temps s'est écoulé entre l'étude et l'ouverture ? À Essoyes, le "
                "conseil municipal aimerait un calendrier réaliste.",
            ),
            (
                MAIRE,
                "Un peu plus d'un an : six mois pour l'étude et les travaux, trois mois de "
                "recrutement, puis l'aménagement. La réunion publique a tout accéléré.",
            ),
        ],
    ),
    Conversation(
        lambda: area("public"),
        "Présentez-vous !",
        60,
        [
            (
                EQUIPE,
                "Bienvenue sur le forum du Réseau 1000 cafés ! Dites-nous qui vous êtes, d'où "
                "vous venez et où en est le café de votre village.",
            ),
            (
                GERANT,
                "Lucas, gérant du café communal de Tiranges (Haute-Loire) depuis 2023. Dépôt "
                "de pain, journaux et un atelier d'échecs par mois.",
            ),
            (
                GERANTE,
                "Nadia, Ti Kafe Lokorn à Locronan : un café associatif tenu avec une dizaine "
                "de bénévoles. Kenavo !",
            ),
            (
                ADJOINTE,
                "Sophie, adjointe au commerce local à Essoyes (Aube). Notre café a fermé "
                "l'an dernier, nous préparons sa reprise.",
            ),
            (
                PARTENAIRE,
                "Théo, Compagnie du Petit Chapiteau : nous jouons dans vos cafés l'été, avec "
                "la Tournée des Villages.",
            ),
        ],
    ),
    Conversation(
        lambda: area("public"),
        "La Guinguette mobile peut-elle venir dans notre village ?",
        12,
        [
            (
                ADJOINTE,
                "Un village voisin n'a plus ni café ni restaurant. La Guinguette mobile "
                "pourrait-elle y passer une soirée l'été prochain ?",
            ),
            (
                EQUIPE,
                "Oui, c'est exactement sa vocation : elle va de mai à septembre dans les "
                "villages qui n'ont plus de café, et chaque soirée se prépare avec l'équipe "
                "municipale et les associations locales. En 2025, elle a fait 64 dates en "
                "Grand Est, et la Guinguette Mobile Picarde 19 dans l'Aisne. Que le maire nous "
                "écrive : nous regarderons les dates libres.",
            ),
            (
                MAIRE,
                "Nous l'avions accueillie près de chez nous : toute la vallée était là, des "
                "enfants aux anciens. Prévoyez des bancs !",
            ),
        ],
    ),
    Conversation(
        lambda: area("public"),
        "Bénévoles : comment les garder motivés ?",
        8,
        [
            (
                GERANTE,
                "Après deux ans, certains bénévoles s'essoufflent. Comment faites-vous pour "
                "renouveler l'équipe sans épuiser les plus fidèles ?",
            ),
            (
                MAIRE,
                "À Cadalen, un planning partagé au comptoir, des créneaux de deux heures "
                "maximum, et un repas des bénévoles chaque trimestre offert par la commune.",
            ),
            (
                GERANT,
                "Confier à chacun un projet à lui (la bibliothèque, le marché de Noël) marche "
                "mieux que des permanences sans fin.",
            ),
        ],
    ),
    Conversation(
        lambda: area("public"),
        "Combien de temps pour ouvrir un café dans une commune rurale ?",
        3,
        [
            (
                ADJOINTE,
                "Entre la première délibération et l'ouverture, combien de temps avez-vous "
                "mis ? Nous aimerions ouvrir avant l'été.",
            ),
            (
                EQUIPE,
                "Cela dépend surtout du local : sans gros travaux, comptez six à douze mois. "
                f"La fiche [Définir le projet]({DEFINITION}) détaille les quatre chantiers à "
                "mener avant le recrutement.",
            ),
        ],
    ),
    # The themed areas of the members' space.
    Conversation(
        lambda: theme("Commerce local"),
        "Dépôt de pain : quel accord avec le boulanger ?",
        21,
        [
            (
                GERANT,
                "Le boulanger du bourg voisin nous livre le matin. Il nous laisse 10 % sur le "
                "pain : c'est la norme chez vous ?",
            ),
            (
                GERANTE,
                "Chez nous 12 %, et il reprend les invendus. Négociez aussi les "
                "viennoiseries du dimanche, c'est là que se fait la marge.",
            ),
            (
                ADJOINTE,
                "Attention à la tournée du boulanger : à Essoyes, il passait déjà dans les "
                "hameaux, nous avons fait en sorte de ne pas lui prendre ses clients.",
            ),
        ],
    ),
    Conversation(
        lambda: theme("Commerce local"),
        "Relais colis : ça vaut le coup ?",
        9,
        [
            (
                GERANTE,
                "On nous propose de devenir point relais. La commission est faible : est-ce "
                "que cela fait vraiment venir du monde ?",
            ),
            (
                GERANT,
                "Pour nous oui : les gens qui viennent chercher un colis prennent un café une "
                "fois sur deux. Gardez un coin de réserve, les colis prennent de la place.",
            ),
            (
                EQUIPE,
                "C'est l'un des services les plus fréquents : plus de 300 services de "
                "proximité ont été installés dans les cafés accompagnés par le réseau.",
            ),
        ],
    ),
    Conversation(
        lambda: theme("Participation citoyenne"),
        "Réussir le questionnaire aux habitants",
        30,
        [
            (
                ADJOINTE,
                "Nous lançons le questionnaire sur le futur café. Papier, en ligne, les "
                "deux ? Et comment toucher les jeunes ?",
            ),
            (
                MAIRE,
                "Les deux. Nous avons eu plus de 200 réponses avec le papier glissé dans le "
                "bulletin municipal et une urne à la boulangerie. Pour les jeunes : l'école "
                "et le club de foot.",
            ),
            (
                EQUIPE,
                f"La fiche [Mener une consultation citoyenne]({CONSULTATION}) donne un "
                "calendrier et une liste de questions. Depuis le lancement de 1000 cafés, "
                "101 500 habitants ont répondu à ces questionnaires.",
            ),
        ],
    ),
    Conversation(
        lambda: theme("Participation citoyenne"),
        "Un atelier participatif un samedi matin : vos retours ?",
        6,
        [
            (
                MAIRE,
                "Nous hésitons entre un samedi matin et un soir de semaine pour l'atelier "
                "sur les services du café.",
            ),
            (
                ADJOINTE,
                "Le samedi matin, jour de marché, avec café et croissants : les familles "
                "viennent. Le soir, nous n'avions que le conseil municipal !",
            ),
        ],
    ),
    Conversation(
        lambda: theme("Lien social"),
        "Repas partagés avec les aînés : vos formules",
        25,
        [
            (
                GERANTE,
                "Nous servons un repas partagé par mois aux anciens du village. Quel prix, "
                "quel jour, et comment allez-vous chercher ceux qui ne sortent plus ?",
            ),
            (
                GERANT,
                "Le jeudi midi, un menu unique. Les conseillers municipaux font le tour des "
                "hameaux en voiture : sans eux, la moitié ne viendrait pas.",
            ),
            (
                EQUIPE,
                "Dix cafés le font avec le programme Bien vieillir soutenu par l'assureur "
                "KLESIA : 260 repas servis en 2025. Selon la mesure d'impact, 61 % des seniors "
                "venus au café y ont rencontré au moins une personne sur qui compter.",
            ),
        ],
    ),
    Conversation(
        lambda: theme("Lien social"),
        "Une table « on discute » pour les personnes seules",
        4,
        [
            (
                GERANT,
                "Idée piquée à un café anglais : une table avec un petit panneau « ici on "
                "discute ». Quelqu'un a essayé ?",
            ),
            (
                MAIRE,
                "Oui, le mardi matin. Les premières semaines, personne ; puis trois "
                "habitués s'y sont installés et ne la lâchent plus.",
            ),
        ],
    ),
    Conversation(
        lambda: theme("Gestion du café"),
        "Quels fournisseurs pour un café de village ?",
        35,
        [
            (
                GERANT,
                "Nous cherchons un torréfacteur local et un grossiste boissons qui livre en "
                "petites quantités. Vos adresses et vos conditions ?",
            ),
            (
                GERANTE,
                "À Locronan nous passons par une coopérative bretonne : franco de port à "
                "partir de 300 €, livraison toutes les deux semaines. @[Lucas Bernard] je "
                "t'envoie le contact.",
            ),
        ],
    ),
    Conversation(
        lambda: theme("Gestion du café"),
        "Licence IV : la commune doit-elle la garder ?",
        15,
        [
            (
                ADJOINTE,
                "La licence IV du café fermé est à vendre. Vaut-il mieux que la commune "
                "l'achète, ou que le futur gérant s'en charge ?",
            ),
            (
                MAIRE,
                "Nous l'avons achetée : si le gérant part, la licence reste au village. "
                "Elle est mise à disposition dans la convention.",
            ),
            (
                EQUIPE,
                "C'est ce que nous conseillons le plus souvent. Attention : une licence non "
                "exploitée pendant cinq ans se perd.",
            ),
        ],
    ),
    Conversation(
        lambda: theme("Animations"),
        "Un concert de poche dans un café de 40 places ?",
        28,
        [
            (
                GERANTE,
                "Nous aimerions accueillir un Concert de Poche cet hiver. La salle fait "
                "40 places : est-ce assez ? Comment gérez-vous l'accueil ?",
            ),
            (
                ADJOINTE,
                "À Essoyes, nous avions fait 35 entrées avec réservation à la mairie. "
                "La commune avait prêté des chaises et la salle des fêtes pour la répétition.",
            ),
            (
                EQUIPE,
                "Le Concert de Poche est offert par le réseau, comme les ateliers d'échecs et "
                "les formations aux premiers secours : demandez-le par le catalogue.",
            ),
        ],
    ),
    Conversation(
        lambda: theme("Animations"),
        "Ateliers d'échecs : ça prend chez vous ?",
        11,
        [
            (
                GERANT,
                "Nous en faisons un par mois depuis le printemps : une douzaine de joueurs, "
                "des enfants et des retraités à la même table. Et vous ?",
            ),
            (
                GERANTE,
                "Même chose à Locronan. Depuis, deux habitués ont laissé un échiquier au "
                "café et jouent le dimanche.",
            ),
        ],
    ),
    Conversation(
        lambda: theme("Animations"),
        "Accueillir une étape de la Tournée des Villages",
        5,
        [
            (
                PARTENAIRE,
                "Nous préparons la prochaine Tournée des Villages. Ce qu'il nous faut : un "
                "espace plat de 8 m sur 6, une prise 16 A et une salle de repli s'il pleut.",
            ),
            (
                GERANT,
                "Nous avons la place derrière l'église. La candidature se fait depuis la page "
                "de la tournée ?",
            ),
            (
                EQUIPE,
                "Oui, depuis la page de la tournée dans le catalogue des animations. L'été "
                "dernier, trois tournées ont réuni 450 spectateurs dans 11 cafés et communes.",
            ),
        ],
    ),
    Conversation(
        lambda: theme("Financements"),
        "Banque des Territoires : la moitié de l'accompagnement prise en charge",
        18,
        [
            (
                EQUIPE,
                "Depuis septembre 2025, la Banque des Territoires prend en charge 50 % du coût "
                "des prestations d'accompagnement, dans la limite de 10 000 € par "
                "collectivité, notamment pour les communes labellisées Villages d'Avenir.",
            ),
            (
                ADJOINTE,
                "Bonne nouvelle. Est-ce cumulable avec le Fonds de soutien au commerce rural ?",
            ),
            (
                EQUIPE,
                "Oui : ce fonds de l'ANCT et de la DGE peut financer jusqu'à 5 000 € "
                "supplémentaires. Nous vous aidons à monter les deux dossiers.",
            ),
        ],
    ),
    Conversation(
        lambda: theme("Financements"),
        "Se faire rembourser un atelier Bien vieillir",
        7,
        [
            (
                GERANTE,
                "Notre atelier nutrition a eu lieu. Comment demander le remboursement au "
                "fonds Bien vieillir ?",
            ),
            (
                GERANT,
                "Depuis la page de la réservation : on joint la facture en PDF et on indique "
                "le nombre de participants. Nous avons été remboursés en dix jours.",
            ),
        ],
    ),
    # The private areas.
    Conversation(
        lambda: area("elected"),
        "Bail commercial ou régie municipale ?",
        20,
        [
            (
                ADJOINTE,
                "Notre conseil municipal hésite entre un bail commercial avec un gérant "
                "privé et une régie. Quels retours d'expérience sur les deux formules ?",
            ),
            (
                MAIRE,
                "Nous avons choisi une association gestionnaire avec une convention "
                "d'occupation : plus souple qu'une régie, et la commune garde la main.",
            ),
        ],
    ),
    Conversation(
        lambda: area("managers"),
        "Horaires d'hiver : vous fermez le lundi ?",
        10,
        [
            (
                GERANT,
                "L'hiver, le lundi est très calme à Tiranges. Fermer ce jour-là, ou ouvrir "
                "seulement le matin pour le dépôt de pain ?",
            ),
            (
                GERANTE,
                "Nous ouvrons le lundi matin pour le pain et les journaux, puis nous "
                "fermons : les habitués s'y sont vite faits.",
            ),
        ],
    ),
]


def seed(log: Callable[[str], None]) -> None:
    ensure_forum_tree()
    created = 0
    now = timezone.now()
    with transaction.atomic():
        for conversation in CONVERSATIONS:
            forum, subject = conversation.forum(), conversation.subject
            messages = conversation.messages
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
            opened = now - timedelta(days=conversation.days_ago, hours=3)
            for position, (email, content) in enumerate(messages):
                post = Post.objects.create(
                    topic=topic,
                    poster=authors[email],
                    subject=f"Re: {subject}" if position else subject,
                    content=content,
                    approved=True,
                )
                # auto_now_add set the creation date: date the post as it was written.
                Post.objects.filter(pk=post.pk).update(
                    created=opened + timedelta(hours=5 * position)
                )
                topic.subscribers.add(authors[email])
            Topic.objects.filter(pk=topic.pk).update(created=opened)
            # Reload so the trackers' save keeps those dates, then date the topic by its posts.
            topic.refresh_from_db()
            topic.update_trackers()
            created += 1
    log(f"  Forum : {created} sujet(s) de démonstration ajouté(s).")
