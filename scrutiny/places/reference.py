"""Reading the council-area reference files shipped with the package."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.text import slugify

DATA_DIR = Path(__file__).resolve().parent / "data"
SCOTLAND_CODE = "S92000003"


@dataclass(frozen=True)
class CouncilRow:
    code: str
    name: str
    island: bool


@dataclass(frozen=True)
class AliasRow:
    alias: str
    code: str
    kind: str
    note: str


def council_rows() -> list[CouncilRow]:
    with (DATA_DIR / "council_areas.csv").open(encoding="utf-8", newline="") as handle:
        return [
            CouncilRow(code=r["code"], name=r["name"], island=r["island"] == "true")
            for r in csv.DictReader(handle)
        ]


def alias_rows() -> list[AliasRow]:
    with (DATA_DIR / "aliases.csv").open(encoding="utf-8", newline="") as handle:
        return [
            AliasRow(alias=r["alias"], code=r["code"], kind=r["kind"], note=r["note"])
            for r in csv.DictReader(handle)
        ]


def load_reference(area_model: Any, alias_model: Any, partnership_model: Any) -> None:
    """Create the areas, aliases and one partnership per council that are missing.

    Takes the model classes so a data migration can pass its historical models.
    """
    area_model.objects.get_or_create(
        code=SCOTLAND_CODE, defaults={"name": "Scotland", "kind": "country"}
    )
    for row in council_rows():
        area, _ = area_model.objects.get_or_create(
            code=row.code, defaults={"name": row.name, "kind": "council", "island": row.island}
        )
        partnership_model.objects.get_or_create(
            area=area,
            defaults={
                "name": f"{row.name} Community Planning Partnership",
                "slug": slugify(row.name),
            },
        )
    for alias in alias_rows():
        alias_model.objects.get_or_create(
            alias=alias.alias,
            defaults={
                "area": area_model.objects.get(code=alias.code),
                "kind": alias.kind,
                "note": alias.note,
            },
        )
