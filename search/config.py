"""French index settings: stop words, synonyms, typo tolerance, ranking."""

from __future__ import annotations

from community.lib import searchable

FRENCH_STOP_WORDS = sorted(
    {
        "a",
        "à",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "cet",
        "cette",
        "c",
        "d",
        "dans",
        "de",
        "des",
        "du",
        "elle",
        "en",
        "et",
        "eux",
        "il",
        "ils",
        "je",
        "j",
        "l",
        "la",
        "le",
        "les",
        "leur",
        "leurs",
        "lui",
        "ma",
        "mais",
        "me",
        "même",
        "mes",
        "moi",
        "mon",
        "n",
        "ne",
        "nos",
        "notre",
        "nous",
        "on",
        "ou",
        "où",
        "par",
        "pas",
        "pour",
        "qu",
        "que",
        "qui",
        "s",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "ta",
        "te",
        "tes",
        "toi",
        "ton",
        "tu",
        "un",
        "une",
        "vos",
        "votre",
        "vous",
        "y",
        "été",
        "est",
        "sont",
        "être",
        "avoir",
        "ai",
        "as",
        "avons",
        "avez",
        "ont",
        "comment",
        "quel",
        "quelle",
        "quels",
        "quelles",
        "dont",
    }
)

# Groups of words a member may use for one another; each word maps to all the others.
SYNONYM_GROUPS: list[list[str]] = [
    ["élu", "élue", "maire", "adjoint", "adjointe", "conseiller municipal"],
    ["gérant", "gérante", "exploitant", "exploitante", "tenancier", "repreneur"],
    ["café", "bistrot", "bistro", "bar", "estaminet"],
    ["échecs", "jeu d'échecs"],
    ["subvention", "financement", "aide financière"],
    ["webinaire", "webinar", "visioconférence", "replay"],
    ["commune", "village", "municipalité"],
    ["guinguette", "bal populaire"],
    ["premiers secours", "secourisme", "gestes qui sauvent"],
    ["concert", "spectacle musical"],
    ["accessibilité", "handicap", "pmr"],
]


def synonyms() -> dict[str, list[str]]:
    mapping: dict[str, list[str]] = {}
    for group in SYNONYM_GROUPS:
        for word in group:
            mapping[word] = [other for other in group if other != word]
    return mapping


# Static filterable attributes; every registered access attribute is added.
BASE_FILTERABLE = ["kind", "type", "themes", "published", "audience", "forum_id"]


def index_settings() -> dict:
    filterable = sorted(set(BASE_FILTERABLE) | searchable.access_attributes() | _extra_attributes())
    return {
        # Order matters: a match in the title ranks above one in the text.
        "searchableAttributes": ["title", "themes", "text"],
        # Queries only test equality (`=`, `IN`): no range structures, no facet-value search,
        # which Meilisearch would otherwise build at every indexing.
        "filterableAttributes": [
            {
                "attributePatterns": filterable,
                "features": {
                    "facetSearch": False,
                    "filter": {"equality": True, "comparison": False},
                },
            }
        ],
        # "date" orders equally relevant documents (ranking rule below); nothing sorts by
        # another attribute.
        "sortableAttributes": ["date"],
        "displayedAttributes": ["*"],
        # "date:desc" last: among equally relevant documents, recent ones (a fresh forum
        # answer moves its topic up) come first.
        "rankingRules": [
            "words",
            "typo",
            "proximity",
            "attribute",
            "sort",
            "exactness",
            "date:desc",
        ],
        "stopWords": FRENCH_STOP_WORDS,
        "synonyms": synonyms(),
        "typoTolerance": {
            "enabled": True,
            "minWordSizeForTypos": {"oneTypo": 4, "twoTypos": 8},
        },
        "localizedAttributes": [{"attributePatterns": ["*"], "locales": ["fra"]}],
        "faceting": {"maxValuesPerFacet": 100},
        # Indexing speed: word proximity within an attribute only (not across attributes),
        # and no search inside facet values (the page lists facets, it does not search them).
        "proximityPrecision": "byAttribute",
        "facetSearch": False,
        "pagination": {"maxTotalHits": 5000},
    }


def _extra_attributes() -> set[str]:
    # Types may declare extra filterable attributes (e.g. forum_id for the forum's search).
    attributes: set[str] = set()
    for doc_type in searchable.types().values():
        attributes.update(getattr(doc_type, "filterable", ()) or ())
    return attributes
