"""Reading the council-area reference files shipped with the package."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


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
