"""The three child-level CSV formats, their code lists, the reporting year and the indicator list.

Everything here is data; ``validate`` checks files against it, ``compute`` and ``synth`` use the
codes. Council codes come from the places app's data files (read as files, not imported), so the
list of current codes and replaced codes is kept in one place.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SCOTLAND = "S92000003"

LOOKED_AFTER_FILE = "looked_after.csv"
CHILD_PROTECTION_FILE = "child_protection.csv"
POPULATION_FILE = "population.csv"

LOOKED_AFTER_COLUMNS: tuple[str, ...] = (
    "child_id",
    "council",
    "sex",
    "birth_month",
    "episode_start",
    "episode_end",
    "placement_start",
    "placement_end",
    "placement_type",
)
CHILD_PROTECTION_COLUMNS: tuple[str, ...] = (
    "child_id",
    "council",
    "sex",
    "birth_month",
    "registration_date",
    "deregistration_date",
    "concerns",
)
POPULATION_COLUMNS: tuple[str, ...] = ("council", "year", "population_0_17")

# Placement types in the order of the Scottish Government's categories.
PLACEMENT_TYPES: tuple[str, ...] = (
    "home",
    "kinship",
    "foster",
    "prospective_adopters",
    "other_community",
    "la_home",
    "voluntary_home",
    "residential_school",
    "secure",
    "crisis",
    "other_residential",
)
AT_HOME = "home"
RESIDENTIAL_TYPES: tuple[str, ...] = PLACEMENT_TYPES[5:]
AWAY_TYPES: tuple[str, ...] = PLACEMENT_TYPES[1:]
COMMUNITY_TYPES: tuple[str, ...] = PLACEMENT_TYPES[:5]

CONCERN_CODES: tuple[str, ...] = (
    "domestic_abuse",
    "neglect",
    "parental_mental_health",
    "parental_alcohol",
    "parental_drugs",
    "emotional_abuse",
    "physical_abuse",
    "sexual_abuse",
    "cse",
    "non_engagement",
    "parental_learning_disability",
    "other",
)
CONCERN_SEPARATOR = ";"

# Looked after away from home aged 11 to 15 inclusive (completed years at the snapshot).
AGE_11_15 = (11, 15)

# Per 1,000 children aged 0-17.
RATE_PER = 1000

COUNT_INDICATORS: tuple[str, ...] = (
    "lac_total",
    "lac_home",
    "lac_kinship",
    "lac_foster",
    "lac_prospective_adopters",
    "lac_other_community",
    "lac_residential",
    "lac_away",
    "lac_away_11_15",
    "lac_starts",
    "lac_ceases",
    "cp_register",
    "cp_registrations",
    "cp_deregistrations",
    "cp_reregistrations_18m",
    *(f"cp_concern_{code}" for code in CONCERN_CODES),
)
# Each rate and the count that is its numerator.
RATE_INDICATORS: dict[str, str] = {
    "lac_total_rate": "lac_total",
    "lac_away_rate": "lac_away",
    "cp_register_rate": "cp_register",
}
INDICATORS: tuple[str, ...] = tuple(sorted((*COUNT_INDICATORS, *RATE_INDICATORS)))

OUTPUT_COLUMNS: tuple[str, ...] = (
    "council",
    "year",
    "indicator",
    "numerator",
    "denominator",
    "value",
)

# A re-registration follows a de-registration of the same child within this many calendar months.
REREGISTRATION_MONTHS = 18

_PLACES_DATA = Path(__file__).resolve().parents[2] / "places" / "data"


@dataclass(frozen=True)
class CouncilCodes:
    """Current S12 council codes, and replaced codes mapped to the code that replaced them."""

    current: tuple[str, ...]
    replaced: dict[str, str]

    def canonical(self, code: str) -> str | None:
        """The current code for ``code``, or ``None`` when it is not a council code."""
        if code in self.replaced:
            return self.replaced[code]
        return code if code in self.current else None


@cache
def council_codes(data_dir: Path = _PLACES_DATA) -> CouncilCodes:
    """Read ``council_areas.csv`` and the replaced codes in ``aliases.csv``."""
    with (data_dir / "council_areas.csv").open(encoding="utf-8", newline="") as fh:
        current = tuple(row["code"] for row in csv.DictReader(fh))
    with (data_dir / "aliases.csv").open(encoding="utf-8", newline="") as fh:
        replaced = {
            row["alias"]: row["code"]
            for row in csv.DictReader(fh)
            if row["kind"] == "replaced_code"
        }
    return CouncilCodes(current=current, replaced=replaced)


def snapshot(year: int) -> dt.date:
    """The snapshot date of reporting year ``year``: 31 July ``year``."""
    return dt.date(year, 7, 31)


def year_start(year: int) -> dt.date:
    """The first day of reporting year ``year``: 1 August ``year - 1``."""
    return dt.date(year - 1, 8, 1)


def reporting_year(day: dt.date) -> int:
    """The reporting year (1 August to 31 July, named by its end) that ``day`` falls in."""
    return day.year + 1 if day.month >= 8 else day.year


def age_at(birth_month: dt.date, day: dt.date) -> int:
    """Completed years at ``day`` of a child born on ``birth_month`` (the first of the month)."""
    return (
        day.year - birth_month.year - ((day.month, day.day) < (birth_month.month, birth_month.day))
    )
