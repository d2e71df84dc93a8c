"""Demo toolkits for `manage.py seed_demo`: the index page and a dozen realistic guides.

Idempotent: the index and toolkits are found by slug, the document by title; running it
again creates nothing new and leaves pages staff may have edited since as they are.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.documents import get_document_model

from community.accounts.audience import Audience
from community.home.models import HomePage
from community.places.models import Stage

from .models import Theme, ToolkitIndexPage, ToolkitPage, ensure_themes
from .workflow import assign_moderation_workflow

INDEX_SLUG = "boites-a-outils"
# The network's map (issue 13) is linked by path: its URL name belongs to the places app.
MAP_PATH = "/carte/"
LEASE_TEMPLATE_TITLE = "Modèle de bail de gérance commentée"


def _pdf(lines: list[str]) -> bytes:
    """A tiny one-page PDF (Helvetica, Latin-1 text), enough for a real download."""
    text = ["BT", "/F1 12 Tf", "14 TL", "72 770 Td"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        text.append(f"({escaped}) '")
    text.append("ET")
    stream = "\n".join(text).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _document(title: str, filename: str, lines: list[str]):
    Document = get_document_model()
    document = Document.objects.filter(title=title).first()
    if document is None:
        document = Document(title=title)
        document.file.save(filename, ContentFile(_pdf(lines)), save=False)
        document._set_document_file_metadata()  # size and hash, as the admin's upload form
        document.save()
    return document


def _block(kind: str, value: Any) -> dict[str, Any]:
    return {"type": kind, "value": value}


def _text(html: str) -> dict[str, Any]:
    return _block("paragraph", html)


def _steps(title: str, steps: list[tuple[str, str]]) -> dict[str, Any]:
    return _block(
        "steps",
        {"title": title, "steps": [{"title": t, "text": f"<p>{d}</p>"} for t, d in steps]},
    )


def _checklist(title: str, items: list[str]) -> dict[str, Any]:
    return _block("checklist", {"title": title, "items": items})


def _key_point(text: str) -> dict[str, Any]:
    return _block("key_point", {"title": "À retenir", "text": f"<p>{text}</p>"})


def _faq(questions: list[tuple[str, str]]) -> dict[str, Any]:
    return _block(
        "faq",
        {
            "title": "Questions fréquentes",
            "questions": [{"question": q, "answer": f"<p>{a}</p>"} for q, a in questions],
        },
    )


def _testimonial(quote: str, author: str, context: str) -> dict[str, Any]:
    return _block("testimonial", {"quote": quote, "author": author, "context": context})


def _toolkits(lease_pdf_id: int) -> list[dict[str, Any]]:
    return [
        {
            "slug": "etude-de-prefiguration",
            "title": "Étude de préfiguration",
            "intro": (
                "Avant de rouvrir un café, préciser la forme du lieu et son fonctionnement : "
                "analyse du territoire, étude de la concurrence et de faisabilité, budget "
                "prévisionnel. La nouvelle étape d'accompagnement lancée par le réseau en 2025."
            ),
            "themes": ["commerce-local", "participation-citoyenne"],
            "audience": Audience.PUBLIC,
            "stage": Stage.PREFIGURATION,
            "body": [
                _text(
                    "<p>Une commune qui veut rouvrir un lieu de convivialité et de services "
                    "n'a pas toujours une idée précise de la forme qu'il pourrait prendre. "
                    "L'étude de préfiguration accompagne la municipalité dans la définition "
                    "des contours du projet, pour en assurer la pérennité : aucun projet ne se "
                    "réplique à l'identique d'un village à l'autre. En 2025, l'équipe en a "
                    "mené 21.</p>"
                ),
                _steps(
                    "Les deux temps de l'étude",
                    [
                        (
                            "Analyse du territoire",
                            "Étude quantitative du territoire, entretiens avec les acteurs "
                            "locaux (associations, entreprises, intercommunalité) et "
                            "consultation citoyenne : un questionnaire diffusé aux habitants "
                            "et un atelier participatif.",
                        ),
                        (
                            "Étude de la concurrence et de faisabilité",
                            "Analyse des établissements présents sur le territoire pour "
                            "mesurer le potentiel économique, puis étude du local, de "
                            "l'agencement des espaces et des équipements mobilisables, et "
                            "budget prévisionnel.",
                        ),
                    ],
                ),
                _key_point(
                    "L'étude fait ressortir les forces et les faiblesses du projet, les "
                    "opportunités et les points d'attention propres au territoire : ses "
                    "conclusions recommandent à la mairie le modèle de lieu le plus pertinent."
                ),
                _faq(
                    [
                        (
                            "Combien coûte l'étude pour la commune ?",
                            "Depuis septembre 2025, la Banque des Territoires prend en charge "
                            "50 % du coût des prestations d'accompagnement, dans la limite de "
                            "10 000 € par collectivité, notamment dans les communes labellisées "
                            "Villages d'Avenir. Le Fonds de soutien au commerce rural (ANCT et "
                            "DGE) peut financer jusqu'à 5 000 € supplémentaires.",
                        ),
                        (
                            "Comment la demander ?",
                            'Déposez la <a href="/candidater/">candidature de votre '
                            "commune</a> : l'équipe vous recontacte pour en fixer le "
                            "périmètre.",
                        ),
                    ]
                ),
            ],
        },
        {
            "slug": "definir-le-projet",
            "title": "Définir le projet",
            "intro": (
                "Étude de faisabilité, mobilisation des habitants, plan d'action, choix du "
                "modèle : la première étape de l'accompagnement, menée avec la mairie et les "
                "futurs porteurs de projet."
            ),
            "themes": ["participation-citoyenne", "gestion-du-cafe"],
            "audience": Audience.ELECTED,
            "stage": Stage.DEFINITION,
            "body": [
                _text(
                    "<p>Le réseau défend une approche sur mesure : les cafés viables sont des "
                    "cafés adaptés à leur territoire. Le projet se construit à trois, le réseau "
                    "faisant l'intermédiaire entre la mairie et les porteurs de projet, avec "
                    "la mobilisation des habitants comme pierre angulaire.</p>"
                ),
                _steps(
                    "Les quatre chantiers de la définition",
                    [
                        (
                            "Étude de faisabilité",
                            "Le local, ses aménagements, les équipements et le budget : ce "
                            "que le lieu peut accueillir et à quel coût.",
                        ),
                        (
                            "Mobilisation des habitants",
                            "Questionnaire, réunion publique, atelier : les habitants "
                            "choisissent les services du café et en deviennent les premiers "
                            "clients.",
                        ),
                        (
                            "Élaboration d'un plan d'action",
                            "Qui fait quoi et quand, de la délibération du conseil municipal "
                            "jusqu'au recrutement.",
                        ),
                        (
                            "Définition du modèle",
                            "Gestion municipale, association, gérance privée ou coopérative : "
                            "la forme qui convient aux ressources du village.",
                        ),
                    ],
                ),
                _checklist(
                    "Avant de passer au recrutement",
                    [
                        "Les services du café sont choisis avec les habitants",
                        "Le modèle de gestion est délibéré en conseil municipal",
                        "Le budget prévisionnel et le plan de financement sont arrêtés",
                        "L'offre de gérance est prête à être diffusée",
                    ],
                ),
                _key_point(
                    "Depuis le lancement de 1000 cafés, 101 500 habitants ont répondu aux "
                    "questionnaires pour choisir les services de leur café."
                ),
            ],
        },
        {
            "slug": "mener-une-consultation-citoyenne",
            "title": "Mener une consultation citoyenne sur le café du village",
            "intro": (
                "Avant de rouvrir un café, demandez aux habitantes et habitants ce qu'ils en "
                "attendent : horaires, services, animations. Une consultation bien menée "
                "fédère le village autour du projet."
            ),
            "themes": ["participation-citoyenne", "lien-social"],
            "audience": Audience.PUBLIC,
            "stage": Stage.DEFINITION,
            "body": [
                _text(
                    "<p>Une consultation n'est pas un sondage : c'est le premier acte collectif "
                    "du futur café. Elle dure en général <b>six à huit semaines</b>.</p>"
                ),
                _steps(
                    "Les étapes de la consultation",
                    [
                        (
                            "Constituer un petit groupe de pilotage",
                            "Élu·es, commerçants, associations, quelques habitants volontaires.",
                        ),
                        (
                            "Diffuser un questionnaire",
                            "Papier dans les boîtes aux lettres et en "
                            "ligne ; comptez un retour sur quatre foyers.",
                        ),
                        (
                            "Organiser une réunion publique",
                            "Un samedi matin, avec café offert, dans la salle des fêtes.",
                        ),
                        (
                            "Restituer les résultats",
                            "Dans le bulletin municipal et lors d'un second temps convivial.",
                        ),
                    ],
                ),
                _checklist(
                    "Avant la réunion publique",
                    [
                        "Salle accessible aux personnes à mobilité réduite",
                        "Affiches en mairie, à l'école et chez les commerçants",
                        "Un animateur neutre, qui n'est pas le maire",
                        "Des post-it et des gommettes pour voter",
                    ],
                ),
                _key_point(
                    "Les habitants qui ont participé à la consultation deviennent souvent les "
                    "premiers clients et bénévoles du café."
                ),
                _testimonial(
                    "Plus de 200 personnes ont répondu au questionnaire : nous n'avions jamais "
                    "eu autant de monde à une réunion publique.",
                    "Jeanne Martin",
                    "maire de Cadalen (81)",
                ),
            ],
        },
        {
            "slug": "rediger-le-bail-du-gerant",
            "title": "Rédiger le bail ou la convention du gérant",
            "intro": (
                "Bail commercial, location-gérance ou convention d'occupation : quel contrat "
                "choisir quand la commune est propriétaire des murs, et quelles clauses "
                "prévoir pour protéger le projet."
            ),
            "themes": ["gestion-du-cafe", "commerce-local"],
            "audience": Audience.ELECTED,
            "stage": Stage.RECRUITMENT,
            "body": [
                _block("heading", "Trois contrats possibles"),
                _text(
                    "<ul><li><b>Bail commercial</b> : 3-6-9 ans, stable pour le gérant, "
                    "moins souple pour la commune.</li><li><b>Location-gérance</b> : la "
                    "commune reste propriétaire du fonds et de la licence.</li><li><b>"
                    "Convention d'occupation</b> : pour un démarrage à l'essai.</li></ul>"
                ),
                _block(
                    "document",
                    {
                        "document": lease_pdf_id,
                        "title": "Modèle de bail de gérance commenté (PDF)",
                        "description": "Clauses types relues par le réseau, à adapter.",
                    },
                ),
                _key_point(
                    "Prévoyez un loyer progressif les deux premières années : un café met "
                    "souvent dix-huit mois à trouver son équilibre."
                ),
                _faq(
                    [
                        (
                            "La licence IV peut-elle rester à la commune ?",
                            "Oui : la commune "
                            "peut acquérir la licence et la mettre à disposition du gérant.",
                        ),
                        (
                            "Faut-il un appel à candidatures ?",
                            "Pour un bien du domaine "
                            "public, une procédure de publicité est en principe requise.",
                        ),
                    ]
                ),
            ],
        },
        {
            "slug": "choisir-les-services-du-cafe",
            "title": "Choisir les services du café multiservice",
            "intro": (
                "Épicerie, dépôt de pain, relais colis, point poste : les services qui "
                "font vivre un café rural et ceux qui lui coûtent plus qu'ils ne rapportent."
            ),
            "themes": ["commerce-local", "gestion-du-cafe"],
            "audience": Audience.MEMBERS,
            "stage": Stage.DEFINITION,
            "body": [
                _text(
                    "<p>Chaque service doit répondre à un besoin exprimé par les habitants "
                    "et rester gérable par une seule personne aux heures creuses.</p>"
                ),
                _checklist(
                    "Services souvent retenus",
                    [
                        "Dépôt de pain et viennoiseries",
                        "Petite épicerie de produits locaux",
                        "Relais colis",
                        "Point lecture et échange de livres",
                        "Accès internet et impression",
                    ],
                ),
                _key_point("Mieux vaut trois services bien tenus que dix services à moitié."),
            ],
        },
        {
            "slug": "trouver-des-financements",
            "title": "Trouver des financements pour rouvrir le café",
            "intro": (
                "Dotations de l'État, région, département, fonds européens LEADER, "
                "financement participatif : panorama des aides et calendrier des dossiers."
            ),
            "themes": ["financements"],
            "audience": Audience.ELECTED,
            "stage": Stage.DEFINITION,
            "body": [
                _steps(
                    "Monter le plan de financement",
                    [
                        ("Chiffrer le projet", "Travaux, équipement, licence, fonds de roulement."),
                        (
                            "Solliciter la DETR ou la DSIL",
                            "Dossiers en préfecture, souvent avant la fin de l'hiver.",
                        ),
                        (
                            "Compléter avec la région et le département",
                            "Aides au dernier commerce, à la revitalisation des centres-bourgs.",
                        ),
                        (
                            "Mobiliser les habitants",
                            "Financement participatif ou parts sociales d'une coopérative.",
                        ),
                    ],
                ),
                _key_point(
                    "Les subventions arrivent après les dépenses : anticipez la trésorerie "
                    "avec un prêt relais."
                ),
                _faq(
                    [
                        (
                            "Peut-on cumuler DETR et fonds LEADER ?",
                            "Oui, dans la limite de 80 % d'aides publiques sur le projet.",
                        ),
                    ]
                ),
            ],
        },
        {
            "slug": "recruter-un-gerant",
            "title": "Recruter la gérante ou le gérant du café",
            "intro": (
                "Rédiger l'annonce, diffuser l'appel à candidatures, conduire les entretiens "
                "et accueillir la personne retenue : la méthode du réseau."
            ),
            "themes": ["gestion-du-cafe"],
            "audience": Audience.ELECTED,
            "stage": Stage.RECRUITMENT,
            "body": [
                _steps(
                    "Le recrutement en quatre temps",
                    [
                        (
                            "Définir le profil",
                            "Sens de l'accueil, goût pour l'animation, notions de gestion.",
                        ),
                        (
                            "Diffuser l'annonce",
                            "Réseau 1000 cafés, France Travail, réseaux sociaux, presse locale.",
                        ),
                        (
                            "Mener les entretiens",
                            "Un jury mixte : élu·es, habitants, l'équipe du réseau.",
                        ),
                        (
                            "Accompagner la prise de poste",
                            "Formation, tuilage, parrainage par un gérant expérimenté.",
                        ),
                    ],
                ),
                _testimonial(
                    "Le jury avec des habitants a tout changé : la gérante retenue connaissait "
                    "déjà la moitié du village le jour de l'ouverture.",
                    "Sophie Lambert",
                    "adjointe à Essoyes (10)",
                ),
            ],
        },
        {
            "slug": "organiser-un-concert-de-poche",
            "title": "Organiser un Concert de Poche au café",
            "intro": (
                "Un concert de musique classique ou de jazz, précédé d'ateliers avec les "
                "habitants : comment accueillir un Concert de Poche dans un café rural."
            ),
            "themes": ["animations", "lien-social"],
            "audience": Audience.MANAGERS,
            "stage": Stage.OPERATION,
            "body": [
                _text(
                    "<p>Les Concerts de Poche associent un concert professionnel et des "
                    "ateliers participatifs en amont. Le café accueille, la commune prête "
                    "souvent la salle.</p>"
                ),
                _checklist(
                    "Logistique",
                    [
                        "Un piano ou la place pour en installer un",
                        "Soixante places assises",
                        "Une buvette tenue par le café",
                        "Une billetterie à prix libre",
                    ],
                ),
                _key_point(
                    "Le Concert de Poche fait partie de l'offre gratuite du réseau : il est "
                    "offert par le réseau, demandez-le par le catalogue des animations."
                ),
            ],
        },
        {
            "slug": "rendre-le-cafe-accessible",
            "title": "Rendre le café accessible à toutes et à tous",
            "intro": (
                "Établissement recevant du public : obligations d'accessibilité, "
                "dérogations possibles et aménagements simples qui changent tout."
            ),
            "themes": ["gestion-du-cafe", "lien-social"],
            "audience": Audience.PUBLIC,
            "stage": Stage.OPENING,
            "body": [
                _checklist(
                    "Points à vérifier",
                    [
                        "Entrée de plain-pied ou rampe amovible",
                        "Cheminement d'au moins 90 cm jusqu'au comptoir",
                        "Toilettes adaptées ou dérogation motivée",
                        "Registre public d'accessibilité à jour",
                        "Carte lisible en gros caractères",
                    ],
                ),
                _faq(
                    [
                        (
                            "Un café en ERP de 5e catégorie doit-il tout adapter ?",
                            "Non : il "
                            "doit permettre l'accès aux prestations dans une partie du local.",
                        ),
                        (
                            "Qui instruit la demande de dérogation ?",
                            "La commission départementale d'accessibilité, via la mairie.",
                        ),
                    ]
                ),
            ],
        },
        {
            "slug": "animer-le-cafe-toute-lannee",
            "title": "Animer le café toute l'année",
            "intro": (
                "Ateliers d'échecs, repas partagés, cinéma en plein air, Tournée des Villages : "
                "un calendrier d'animations qui fait venir de nouveaux publics."
            ),
            "themes": ["animations", "lien-social"],
            "audience": Audience.MANAGERS,
            "stage": Stage.OPERATION,
            "body": [
                _text(
                    "<p>Un café qui propose au moins une animation par mois voit sa "
                    "fréquentation progresser nettement dès la deuxième année.</p>"
                ),
                _steps(
                    "Construire le calendrier",
                    [
                        (
                            "Lister les ressources locales",
                            "Associations, école, club des aînés, artistes du coin.",
                        ),
                        (
                            "Choisir dans le catalogue du réseau",
                            "Spectacles, ateliers, formations aux gestes de premiers secours.",
                        ),
                        ("Annoncer tôt", "Affiche au café, bulletin municipal, panneau lumineux."),
                    ],
                ),
            ],
        },
        {
            "slug": "tenir-la-comptabilite-du-cafe",
            "title": "Tenir la comptabilité d'un café associatif",
            "intro": (
                "Caisse, stocks, buvette et bénévoles : les outils simples pour que "
                "l'association garde des comptes clairs et rassure ses partenaires."
            ),
            "themes": ["gestion-du-cafe", "financements"],
            "audience": Audience.MANAGERS,
            "stage": Stage.OPERATION,
            "body": [
                _checklist(
                    "Chaque semaine",
                    [
                        "Rapprocher la caisse et les relevés de carte bancaire",
                        "Saisir les factures fournisseurs",
                        "Compter les stocks de boissons",
                    ],
                ),
                _key_point(
                    "Un logiciel de caisse certifié est obligatoire dès que le café "
                    "encaisse des particuliers."
                ),
            ],
        },
        {
            "slug": "preparer-louverture",
            "title": "Préparer l'ouverture : les trois derniers mois",
            "intro": (
                "Licence, hygiène, assurances, fournisseurs, fête d'ouverture : le "
                "rétroplanning des trois mois qui précèdent l'ouverture du café."
            ),
            "themes": ["gestion-du-cafe", "commerce-local"],
            "audience": Audience.MEMBERS,
            "stage": Stage.OPENING,
            "body": [
                _steps(
                    "Rétroplanning",
                    [
                        (
                            "J-90 : démarches administratives",
                            "Permis d'exploitation, déclaration de la licence en mairie.",
                        ),
                        (
                            "J-60 : fournisseurs et équipement",
                            "Privilégier les producteurs locaux.",
                        ),
                        (
                            "J-30 : communication",
                            "Affiches, presse locale, page du café sur la "
                            f'<a href="{MAP_PATH}">carte du réseau</a>.',
                        ),
                        (
                            "Jour J : fête d'ouverture",
                            "Invitez tout le village et les communes voisines.",
                        ),
                    ],
                ),
            ],
        },
        {
            "slug": "associer-les-habitants-au-projet",
            "title": "Associer les habitants au projet de café",
            "intro": (
                "Association de préfiguration, coopérative d'habitants, chantier participatif : "
                "les formes d'engagement qui durent au-delà de l'ouverture."
            ),
            "themes": ["participation-citoyenne"],
            "audience": Audience.MEMBERS,
            "stage": "",
            "body": [
                _text(
                    "<p>Une SCIC permet aux habitants, à la commune et au gérant d'être "
                    "ensemble sociétaires du café.</p>"
                ),
                _testimonial(
                    "Le chantier participatif a réuni quarante bénévoles : chacun se sent un "
                    "peu chez soi au café.",
                    "Nadia Kerbrat",
                    "gérante du Ti Kafe Lokorn (29)",
                ),
            ],
        },
        {
            "slug": "bien-vieillir-au-cafe",
            "title": "Bien vieillir au café : ateliers et repas partagés",
            "intro": (
                "Ateliers nutrition, activité physique douce, repas partagés : accueillir "
                "le programme Bien vieillir avec KLESIA, assureur partenaire du réseau."
            ),
            "themes": ["animations", "lien-social"],
            "audience": Audience.PUBLIC,
            "stage": Stage.OPERATION,
            "body": [
                _text(
                    "<p>En 2025, dix cafés membres d'Occitanie et d'Auvergne-Rhône-Alpes ont "
                    "accueilli le programme : 260 repas partagés, onze ateliers nutrition, dix "
                    "séances d'activité physique et cinq formations aux gestes de premiers "
                    "secours.</p>"
                ),
                _faq(
                    [
                        (
                            "Qui finance les ateliers ?",
                            "KLESIA, assureur partenaire du réseau, finance "
                            "les animations du programme : le café fournit le lieu et se fait "
                            "rembourser (25 000 € remboursés aux cafés en 2025).",
                        ),
                    ]
                ),
            ],
        },
    ]


@transaction.atomic
def seed(log: Callable[[str], None]) -> None:
    ensure_themes()
    home = HomePage.objects.first()
    if home is None:
        log("Boîtes à outils : pas de page d'accueil, rien à créer.")
        return
    index = ToolkitIndexPage.objects.filter(slug=INDEX_SLUG).first()
    if index is None:
        index = ToolkitIndexPage(
            title="Boîtes à outils",
            slug=INDEX_SLUG,
            show_in_menus=True,
            intro=(
                "Des fiches pratiques pour ouvrir, faire vivre et animer un café de village : "
                "écrites par l'équipe du réseau avec les élu·es et les gérant·es."
            ),
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    assign_moderation_workflow(index)

    lease_pdf = _document(
        LEASE_TEMPLATE_TITLE,
        "modele-bail-gerance.pdf",
        [
            "Reseau 1000 cafes - Modele de bail de gerance commente",
            "",
            "Article 1 - Objet : mise a disposition du fonds de commerce de cafe.",
            "Article 2 - Duree : deux ans, renouvelable par tacite reconduction.",
            "Article 3 - Redevance : progressive la premiere annee.",
            "Article 4 - Animations : le gerant organise au moins une animation par mois.",
        ],
    )
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    existing = set(ToolkitPage.objects.child_of(index).values_list("slug", flat=True))
    created = 0
    for order, data in enumerate(_toolkits(lease_pdf.pk)):
        # Pages already there are left alone: staff may have edited them since.
        if data["slug"] in existing:
            continue
        page = ToolkitPage(
            slug=data["slug"],
            title=data["title"],
            intro=data["intro"],
            audience=data["audience"],
            stage=data["stage"],
            body=data["body"],
            # Spread over the last months so the listing's order looks natural.
            last_reviewed_on=datetime.date(2025, 11, 20) - datetime.timedelta(days=9 * order),
        )
        index.add_child(instance=page)
        page.themes.set([themes[slug] for slug in data["themes"]])
        page.save_revision().publish()
        created += 1
    log(f"Boîtes à outils : {len(existing) + created} fiches, dont {created} nouvelles.")
