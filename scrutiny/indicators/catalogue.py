"""The national indicator catalogue shipped in ``indicators/data/catalogue.json``.

Loaded by a data migration (with the historical model) and by the demo after a database flush.
Loading is idempotent and never overwrites: an indicator that exists keeps the edits an
administrator made to it; only missing indicators are added.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
CATALOGUE_FILE = DATA_DIR / "catalogue.json"

FIELDS = (
    "title",
    "theme",
    "definition",
    "numerator",
    "denominator",
    "unit",
    "improvement",
    "frequency",
    "source",
    "chart",
    "rate_of",
    "part_of",
    "cube_match",
    "order",
)


def catalogue_entries() -> list[dict[str, Any]]:
    data = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    entries: list[dict[str, Any]] = data["indicators"]
    return entries


def catalogue_load(indicator_model: Any) -> int:
    """Create the catalogue's indicators that are missing; return how many were created."""
    existing = set(indicator_model.objects.values_list("key", flat=True))
    missing = [
        indicator_model(key=entry["key"], **{name: entry[name] for name in FIELDS})
        for entry in catalogue_entries()
        if entry["key"] not in existing
    ]
    indicator_model.objects.bulk_create(missing)
    return len(missing)
