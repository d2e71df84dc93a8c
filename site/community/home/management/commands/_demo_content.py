"""Editorial content of the demo pages, in Wagtail's raw StreamField format.

Figures come from the association's 2025 activity report. List items use Wagtail's
canonical {"type": "item", "value": …, "id": …} form (Wagtail reads items without an id as
the old format), with ids derived from the content so a re-run compares equal.
"""

from __future__ import annotations

import uuid
from typing import Any


def heading(text: str) -> dict[str, Any]:
    return {"type": "heading", "value": text}


def paragraph(html: str) -> dict[str, Any]:
    return {"type": "paragraph", "value": html}


def figures(title: str, items: list[tuple[str, str]], source: str) -> dict[str, Any]:
    return {
        "type": "figures",
        "value": {
            "title": title,
            "figures": [
                {
                    "type": "item",
                    "value": {"value": value, "label": label},
                    "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{title}/{value}/{label}")),
                }
                for value, label in items
            ],
            "source": source,
        },
    }


def call_to_action(
    title: str, text: str, link_label: str, link_url: str = "", audience: str = "everyone"
) -> dict[str, Any]:
    # Without a link_url, link_page is filled in by the command once the sign-up page exists.
    return {
        "type": "call_to_action",
        "value": {
            "title": title,
            "text": text,
            "link_page": None,
            "link_url": link_url,
            "link_label": link_label,
            "audience": audience,
        },
    }


REPORT = "Rapport d'activité 2025 de 1000 cafés"

HOME_INTRO = (
    "Le réseau des communes rurales qui rouvrent et font vivre leur café : échanges entre "
    "élu·es et gérant·es, boîtes à outils, webinaires et animations pour les villages de "
    "moins de 3\u00a0500 habitants."
)

HOME_BODY: list[dict[str, Any]] = [
    paragraph(
        "<p>Aujourd'hui, <b>deux villages sur trois ne disposent plus d'aucun commerce</b>. "
        "Pourtant, le café reste le lieu où l'on se retrouve, où l'on accède à des services "
        "de proximité et où l'on rompt l'isolement. Depuis 2019, 1000 cafés accompagne les "
        "communes de moins de 3\u00a0500 habitants qui veulent rouvrir ou maintenir leur café, et "
        "relie celles et ceux qui les font vivre.</p>"
    ),
    # Computed from the journey's records (community.accompaniment), last complete year.
    {
        "type": "journey_figures",
        "value": {
            "shown": [
                "received",
                "prefiguration",
                "recrutement",
                "ouverture",
                "in_operation",
                "prestations",
            ]
        },
    },
    figures(
        "Ce qu'en disent les maires",
        [("100\u00a0%", "des maires accompagnés satisfaits ou très satisfaits")],
        REPORT,
    ),
    heading("Ce que le réseau vous apporte"),
    paragraph(
        "<ul>"
        "<li><b>Élu·es</b> : échanger avec des maires et adjoint·es d'autres territoires, "
        "se former au commerce local et à la participation citoyenne, suivre le projet de "
        "café de votre commune.</li>"
        "<li><b>Gérant·es de café</b> : réserver des animations socio-culturelles, être "
        "remboursé·es grâce aux fonds partenaires, partager vos pratiques avec d'autres "
        "gérant·es.</li>"
        "<li><b>Partenaires</b> : compagnies, formateurs et financeurs qui animent les "
        "cafés, retrouvez vos dates et vos lieux d'intervention.</li>"
        "</ul>"
    ),
    figures(
        "Une programmation qui fait vivre les villages",
        [
            ("3", "Tournées des Villages, 450 participant·es"),
            ("40", "ateliers d'initiation aux échecs"),
            ("7", "communes pour « Raconte-moi ton village »"),
            ("260", "repas partagés « Bien vieillir »"),
            ("83", "soirées de Guinguette mobile : 64 en Grand Est, 19 dans l'Aisne"),
            ("25\u00a0000\u00a0€", "remboursés aux cafés grâce à KLESIA"),
        ],
        REPORT,
    ),
    paragraph(
        "<p>Depuis le lancement de l'initiative, plus de 1\u00a0700 maires l'ont sollicitée, "
        "plus de 350 communes ont été accompagnées, et plus de 180\u00a0000 habitant·es ont vu "
        "ouvrir ou se maintenir le dernier café de leur village.</p>"
    ),
    call_to_action(
        "Votre commune veut rouvrir son café ?",
        "Maire, adjoint·e ou secrétaire de mairie d'une commune de moins de 3\u00a0500 "
        "habitants : déposez la candidature de votre commune, sans créer de compte. L'équipe "
        "accompagne la mairie de l'étude de préfiguration à l'ouverture du café.",
        "Candidater pour ma commune",
        link_url="/candidater/",
    ),
    call_to_action(
        "Rejoindre le réseau",
        "Élu·e, gérant·e ou partenaire : adhérez pour échanger avec vos pairs et accéder aux "
        "ressources réservées aux membres.",
        "Adhérer au réseau",
        audience="visitors",
    ),
]

ACCESSIBILITY_BODY: list[dict[str, Any]] = [
    paragraph(
        "<p>Le Réseau 1000 cafés s'engage à rendre son site internet accessible conformément "
        "à l'article 47 de la loi n° 2005-102 du 11 février 2005. Cette déclaration "
        "d'accessibilité s'applique à la plateforme du Réseau 1000 cafés.</p>"
    ),
    heading("État de conformité"),
    paragraph(
        "<p>La plateforme du Réseau 1000 cafés est <b>partiellement conforme</b> avec le "
        "référentiel général d'amélioration de l'accessibilité (RGAA), version 4.1.2, en "
        "raison des non-conformités énumérées ci-dessous.</p>"
    ),
    heading("Résultats des tests"),
    paragraph(
        "<p>Une auto-évaluation interne a été menée en novembre 2026 sur un échantillon de "
        "pages : accueil, connexion, adhésion, espace membre, annuaire des membres et pages "
        "éditoriales. Elle combine des tests automatisés (axe-core) et des vérifications "
        "manuelles au clavier et avec un lecteur d'écran. Un audit complet par un prestataire "
        "indépendant est prévu.</p>"
    ),
    heading("Contenus non accessibles"),
    paragraph(
        "<h3>Non-conformités</h3>"
        "<ul>"
        "<li>Certaines images publiées dans les pages éditoriales peuvent avoir une "
        "alternative textuelle insuffisante (critère 1.3).</li>"
        "<li>Le forum d'échanges repose sur un composant tiers dont certains contrastes et "
        "intitulés de liens sont en cours de correction (critères 3.2 et 6.1).</li>"
        "<li>Les suggestions de communes et de cafés proposées pendant la saisie sont en "
        "cours de vérification avec les lecteurs d'écran ; le champ reste utilisable sans "
        "elles (critère 7.1).</li>"
        "</ul>"
        "<h3>Contenus non soumis à l'obligation d'accessibilité</h3>"
        "<ul>"
        "<li>Les fichiers bureautiques des boîtes à outils publiés avant le 23 septembre "
        "2018.</li>"
        "<li>Les retransmissions en direct des webinaires.</li>"
        "</ul>"
    ),
    heading("Établissement de cette déclaration"),
    paragraph(
        "<p>Cette déclaration a été établie le 26 novembre 2026.</p>"
        "<ul>"
        "<li>Technologies utilisées : HTML5, CSS, JavaScript.</li>"
        "<li>Environnements de test : Firefox et NVDA sous Windows, Safari et VoiceOver sous "
        "macOS et iOS, Chromium avec axe-core.</li>"
        "</ul>"
    ),
    heading("Retour d'information et contact"),
    paragraph(
        "<p>Si vous n'arrivez pas à accéder à un contenu ou à un service, contactez l'équipe "
        "du Réseau 1000 cafés pour être orienté·e vers une alternative accessible ou obtenir "
        "le contenu sous une autre forme :</p>"
        "<ul>"
        '<li>par e-mail : <a href="mailto:contact@1000cafes.org">contact@1000cafes.org</a> ;'
        "</li>"
        "<li>par courrier : 1000 cafés, 102C rue Amelot, 75011 Paris.</li>"
        "</ul>"
    ),
    heading("Voies de recours"),
    paragraph(
        "<p>Cette procédure est à utiliser si vous avez signalé au responsable du site un "
        "défaut d'accessibilité qui vous empêche d'accéder à un contenu ou à un service, et "
        "que vous n'avez pas obtenu de réponse satisfaisante. Vous pouvez :</p>"
        "<ul>"
        '<li>écrire un message au <a href="https://formulaire.defenseurdesdroits.fr/">'
        "Défenseur des droits</a> ;</li>"
        '<li>contacter <a href="https://www.defenseurdesdroits.fr/saisir/delegues">le '
        "délégué du Défenseur des droits dans votre région</a> ;</li>"
        "<li>envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : "
        "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.</li>"
        "</ul>"
    ),
]

LEGAL_BODY: list[dict[str, Any]] = [
    heading("Éditeur du site"),
    paragraph(
        "<p>Le Réseau 1000 cafés, association loi 1901 d'intérêt général, membre du Groupe "
        "SOS.<br/>102C rue Amelot, 75011 Paris.<br/>Contact : "
        '<a href="mailto:contact@1000cafes.org">contact@1000cafes.org</a></p>'
        "<p>Directrice de la publication : Chloé Brillon, présidente de l'association.</p>"
    ),
    heading("Hébergement"),
    paragraph(
        "<p>Le site est hébergé dans l'Union européenne. Le nom et les coordonnées de "
        "l'hébergeur sont indiqués ici lors de la mise en service.</p>"
    ),
    heading("Données personnelles"),
    paragraph(
        "<p>Les informations saisies lors de l'adhésion (nom, adresse e-mail, rôle, commune "
        "ou café, présentation) servent à examiner votre demande et à faire fonctionner "
        "l'espace membres. Elles ne sont ni vendues ni cédées. Votre nom affiché, votre rôle "
        "et votre commune sont visibles des autres membres ; votre adresse e-mail ne l'est "
        "pas.</p>"
        "<p>Conformément au règlement général sur la protection des données, vous disposez "
        "d'un droit d'accès, de rectification, d'effacement et d'opposition, que vous pouvez "
        'exercer en écrivant à <a href="mailto:contact@1000cafes.org">contact@1000cafes.org'
        "</a>. Vous pouvez aussi adresser une réclamation à la CNIL.</p>"
    ),
    heading("Cookies"),
    paragraph(
        "<p>Le site n'utilise que les cookies nécessaires à son fonctionnement : la session "
        "de connexion et la protection des formulaires. Aucun cookie de mesure d'audience "
        "ni de publicité n'est déposé.</p>"
    ),
    heading("Propriété intellectuelle"),
    paragraph(
        "<p>Les textes, photographies et boîtes à outils publiés sur le site appartiennent à "
        "1000 cafés ou à leurs auteur·rices. Toute reproduction nécessite leur accord, sauf "
        "mention contraire.</p>"
    ),
]

NETWORK_BODY: list[dict[str, Any]] = [
    paragraph(
        "<p>Le Réseau 1000 cafés anime la communauté des lieux et des porteur·ses de projets : "
        "gérant·es de cafés ruraux, collectifs associatifs et communes engagées dans la "
        "démarche. À travers des formations, des rencontres entre pairs, des outils "
        "mutualisés et une programmation d'animations socio-culturelles, il favorise "
        "l'entraide et le partage d'expériences.</p>"
    ),
    heading("Un réseau pour les élu·es"),
    paragraph(
        "<p>Souvent très sollicité·es par leur mandat et parfois isolé·es, les élu·es des "
        "communes rurales trouvent dans le réseau un espace de rencontres, d'échanges et de "
        "retours d'expérience : une communauté en ligne, des rencontres conviviales, des "
        "webinaires et des boîtes à outils sur le commerce local, la participation citoyenne "
        "et le lien social.</p>"
    ),
    figures(
        "Ce qu'en disent les élu·es adhérent·es",
        [
            ("96\u00a0%", "ont échangé de bonnes pratiques avec d'autres élu·es"),
            ("81\u00a0%", "ont gagné en compétences sur la participation citoyenne"),
            ("76\u00a0%", "voient leurs conditions d'exercice du mandat améliorées"),
        ],
        "Mesure d'impact social, " + REPORT,
    ),
    heading("Un réseau pour les porteur·ses de projets"),
    paragraph(
        "<p>Gérant·es, membres d'un collectif associatif ou futur·es porteur·ses de projet, "
        "le réseau vous permet de :</p>"
        "<ul>"
        "<li>accueillir des animations socio-culturelles pour favoriser la convivialité ;</li>"
        "<li>bénéficier d'une valorisation médiatique pour renforcer votre visibilité ;</li>"
        "<li>participer à une communauté pour échanger et vous rencontrer entre pairs ;</li>"
        "<li>accéder à un suivi et à des outils pour continuer à monter en compétences.</li>"
        "</ul>"
    ),
    heading("L'accompagnement, étape par étape"),
    paragraph(
        "<ol>"
        "<li><b>Définition du projet</b> : étude de préfiguration, mobilisation des "
        "habitant·es, choix du modèle (21 préfigurations en 2025).</li>"
        "<li><b>Recrutement</b> : diffusion de l'offre de gérance, présentation des "
        "candidat·es à la mairie, formation (38 recrutements en 2025).</li>"
        "<li><b>Ouverture</b> : aménagement du lieu, réunion publique, mise en place des "
        "services (24 ouvertures accompagnées en 2025).</li>"
        "<li><b>Exploitation</b> : intégration au réseau, suivi des porteur·ses de projet, "
        "conseils sur l'offre et le modèle économique (20 cafés suivis en 2025).</li>"
        "</ol>"
    ),
    heading("Deux associations complémentaires"),
    paragraph(
        "<p><b>1000 cafés – Action territoriale</b> porte les missions d'accompagnement et "
        "d'ingénierie de projets auprès des communes, ainsi que les Guinguettes mobiles. "
        "<b>Le Réseau 1000 cafés</b>, association d'intérêt général, anime la communauté des "
        "lieux, la programmation socio-culturelle et le plaidoyer pour les ruralités.</p>"
    ),
]

JOIN_BODY: list[dict[str, Any]] = [
    heading("Qui peut adhérer ?"),
    paragraph(
        "<ul>"
        "<li>Les <b>élu·es</b> (maires, adjoint·es, conseiller·es) des communes de moins de "
        "3\u00a0500 habitants qui ont un projet de café ou en font vivre un.</li>"
        "<li>Les <b>gérant·es de café</b>, porteur·ses de projet et collectifs associatifs "
        "qui tiennent un café de village.</li>"
        "<li>Les <b>partenaires</b> : compagnies, associations, formateur·rices et "
        "financeurs qui interviennent dans les cafés du réseau.</li>"
        "</ul>"
    ),
    heading("Comment adhérer ?"),
    paragraph(
        "<ol>"
        '<li><a href="/comptes/signup/">Créez votre compte</a> en indiquant votre rôle et '
        "votre commune, votre café ou votre structure.</li>"
        "<li>Confirmez votre adresse e-mail grâce au lien que vous recevez.</li>"
        "<li>L'équipe du réseau examine votre demande et vous répond par e-mail, en général "
        "sous une semaine.</li>"
        "</ol>"
    ),
    heading("Ce que vous trouverez dans l'espace membres"),
    paragraph(
        "<ul>"
        "<li>Le forum et les salons d'échange entre élu·es et entre gérant·es.</li>"
        "<li>Les boîtes à outils et les replays des webinaires.</li>"
        "<li>Le catalogue des animations à réserver pour votre café, et les fonds "
        "partenaires qui les financent.</li>"
        "<li>L'annuaire des membres du réseau.</li>"
        "</ul>"
    ),
]

STANDARD_PAGES: list[dict[str, Any]] = [
    {
        "slug": "le-reseau",
        "title": "Le réseau",
        "intro": (
            "Élu·es, gérant·es de cafés, partenaires : une communauté solidaire pour faire "
            "vivre les lieux de convivialité des communes rurales."
        ),
        "show_in_menus": True,
        "show_in_footer": False,
        "body": NETWORK_BODY,
    },
    {
        "slug": "adherer",
        "title": "Adhérer au réseau",
        "intro": (
            "L'adhésion est réservée aux élu·es des communes rurales, aux gérant·es de cafés "
            "et aux partenaires du réseau. Elle est examinée par l'équipe."
        ),
        "show_in_menus": True,
        "show_in_footer": False,
        "visitors_only": True,
        "body": JOIN_BODY,
    },
    {
        "slug": "mentions-legales",
        "title": "Mentions légales",
        "intro": "Éditeur, hébergement, données personnelles et cookies.",
        "show_in_menus": False,
        "show_in_footer": True,
        "body": LEGAL_BODY,
    },
    {
        "slug": "accessibilite",
        "title": "Déclaration d'accessibilité",
        "intro": "Accessibilité : partiellement conforme.",
        "show_in_menus": False,
        "show_in_footer": True,
        "body": ACCESSIBILITY_BODY,
    },
]
