"""One spelling of place names for matching, whatever accents, case or punctuation people type.

"Saint-Étienne", "saint etienne", "ST ETIENNE" and "st-étienne" all become "saint etienne".
Keys hold only ``[a-z0-9 ]``, so the same comparison works on SQLite and PostgreSQL without
the unaccent extension.
"""

from __future__ import annotations

import re
import unicodedata

# NFKD leaves these letters whole, and French names use them ("Œuilly", "Lætitia").
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d"})
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_SEPARATORS = re.compile(r"[^a-z0-9]+")


def _words(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_LIGATURES))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SEPARATORS.sub(" ", bare).split()


def search_key(text: str) -> str:
    """The normalized form stored in Commune.search_name and compared with what is typed."""
    return " ".join(_ABBREVIATIONS.get(word, word) for word in _words(text))


def search_prefixes(text: str) -> list[str]:
    """Keys a name being typed may start: "st" may be "Saint…" or "Stenay" until typed on."""
    words = _words(text)
    if not words:
        return []
    expanded = search_key(text)
    if words[-1] not in _ABBREVIATIONS:
        return [expanded]
    literal = " ".join([*expanded.split()[:-1], words[-1]])
    return [expanded, literal]
