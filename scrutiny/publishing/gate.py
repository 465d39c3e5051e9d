"""The disclosure-control gate: every number that can reach the public or a report passes here.

A thin, settings-aware front over the pure rules in ``scrutiny.analysis.sdc`` so that the
threshold (``SCRUTINY_SDC_THRESHOLD``) is read in one place. Domain apps may import this module
(and only this module) from ``publishing``; the import-linter contract allows it by name.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings

from scrutiny.analysis.sdc import (
    SUPPRESSED,
    CountTable,
    ProtectedRate,
    ProtectedTable,
    Rule,
    protect_rates,
    protect_table,
)

__all__ = [
    "SUPPRESSED",
    "CountTable",
    "ProtectedRate",
    "ProtectedTable",
    "Rule",
    "count_words",
    "protect",
    "protect_column",
    "rates",
    "threshold",
]


def threshold() -> int:
    return int(settings.SCRUTINY_SDC_THRESHOLD)


def protect(table: CountTable) -> ProtectedTable:
    """Protect a table of counts with the configured threshold."""
    return protect_table(table, threshold=threshold())


def protect_column(
    labels: Sequence[str], counts: Sequence[int], *, column: str = "Count"
) -> ProtectedTable:
    """Protect a single column of counts (e.g. answers to one question), whose total is known."""
    return protect(
        CountTable(row_labels=list(labels), column_labels=[column], counts=[[c] for c in counts])
    )


def rates(
    numerators: Sequence[int | None], denominators: Sequence[int | None], *, per: float = 100.0
) -> tuple[ProtectedRate, ...]:
    """Rates or percentages, suppressed where built on a suppressed or small count."""
    return protect_rates(
        numerators=numerators, denominators=denominators, per=per, threshold=threshold()
    )


def count_words(value: int) -> str:
    """One count as a report says it: the number, or "fewer than N" when the gate would
    suppress it (a count from 1 to the threshold - 1)."""
    table = protect(CountTable(row_labels=["count"], column_labels=["count"], counts=[[value]]))
    shown = table.values[0][0]
    return f"fewer than {table.threshold}" if shown is None else f"{shown:,}"
