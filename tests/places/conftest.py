from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REGIONS = [
    {"code": "76", "nom": "Occitanie", "chefLieu": "31555", "zone": "metro"},
    {"code": "94", "nom": "Corse", "chefLieu": "2A004", "zone": "metro"},
    {"code": "01", "nom": "Guadeloupe", "chefLieu": "97105", "zone": "drom"},
]
DEPARTMENTS = [
    {"code": "81", "region": "76", "chefLieu": "81004", "nom": "Tarn", "zone": "metro"},
    {"code": "2A", "region": "94", "chefLieu": "2A004", "nom": "Corse-du-Sud", "zone": "metro"},
    {"code": "971", "region": "01", "chefLieu": "97105", "nom": "Guadeloupe", "zone": "drom"},
]
COMMUNES = [
    {
        "code": "81004",
        "nom": "Albi",
        "departement": "81",
        "region": "76",
        "type": "commune-actuelle",
        "codesPostaux": ["81000"],
        "population": 49236,
        "zone": "metro",
    },
    {
        "code": "81240",
        "nom": "Saint-Antonin-de-Lacalm",
        "departement": "81",
        "region": "76",
        "type": "commune-actuelle",
        "codesPostaux": ["81220"],
        "population": 232,
        "zone": "metro",
    },
    {
        "code": "2A004",
        "nom": "Ajaccio",
        "departement": "2A",
        "region": "94",
        "type": "commune-actuelle",
        "codesPostaux": ["20000", "20090", "20167"],
        "population": 76320,
        "zone": "metro",
    },
    {
        "code": "97101",
        "nom": "Les Abymes",
        "departement": "971",
        "region": "01",
        "type": "commune-actuelle",
        "codesPostaux": ["97139"],
        "population": 51914,
        "zone": "drom",
    },
    # Parts of current communes: never imported.
    {
        "code": "81155",
        "nom": "Mouzieys-Teulet (déléguée)",
        "departement": "81",
        "region": "76",
        "type": "commune-deleguee",
        "chefLieu": "81004",
    },
    {"code": "13201", "nom": "Marseille 1er Arrondissement", "type": "arrondissement-municipal"},
]


@pytest.fixture
def write_source(tmp_path: Path) -> Callable[..., Path]:
    """write_source(communes=[...]) writes the three Etalab files; omitted ones get samples."""

    def write(
        regions: Any = REGIONS, departments: Any = DEPARTMENTS, communes: Any = COMMUNES
    ) -> Path:
        source = tmp_path / "data"
        source.mkdir(exist_ok=True)
        for name, records in (
            ("regions.json", regions),
            ("departements.json", departments),
            ("communes.json", communes),
        ):
            text = records if isinstance(records, str) else json.dumps(records, ensure_ascii=False)
            (source / name).write_text(text, encoding="utf-8")
        return source

    return write
