"""Small builders of indicator test data."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

SOUTH_AYRSHIRE = "S12000028"
EAST_AYRSHIRE = "S12000008"
SCOTLAND = "S92000003"
STATUSES = (
    "All",
    "At Home",
    "Foster / Prospective Adopters",
    "Other Community Placement",
    "Residential Care",
)


def cube(rows: Iterable[tuple[str, str, str, str, str]]) -> bytes:
    """A statistics.gov.scot cube CSV: (FeatureCode, DateCode, Measurement, Value, status)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["FeatureCode", "DateCode", "Measurement", "Units", "Value", "Residential Status"]
    )
    for code, year, measurement, value, status in rows:
        units = "Children" if measurement == "Count" else "Rate per 1000"
        writer.writerow([code, year, measurement, units, value, status])
    return out.getvalue().encode()


def national_cube(years: range = range(2014, 2024)) -> bytes:
    """Counts and ratios of all placements for South Ayrshire, East Ayrshire and Scotland."""
    rows = []
    for year in years:
        step = year - years.start
        for code, base in ((SOUTH_AYRSHIRE, 300), (EAST_AYRSHIRE, 380), (SCOTLAND, 12000)):
            count = base + (7 * step) % 13
            rows.append((code, str(year), "Count", str(count), "All"))
            rows.append((code, str(year), "Ratio", f"{count / 20:.1f}", "All"))
    return cube(rows)
