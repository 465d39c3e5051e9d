"""Indicator values as they may be published: every value passes the disclosure-control gate.

- a count from 1 to the threshold - 1 is suppressed (primary), each on its own, because the
  periods of a series do not add up to any published total;
- the parts of a breakdown (placement types of the children looked after) are protected together,
  one period at a time, against their known total (secondary suppression);
- a rate or percentage is suppressed when the count it is built on is suppressed, or when its
  numerator or denominator is small (the gate's rate rule);
- a cell the publisher suppressed (``*``, ``-``, ``c``) stays suppressed.

Local measures given only as a value (no counts) are published as entered.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from scrutiny.analysis.sdc import RULE_STATEMENTS, DisclosureTableError
from scrutiny.indicators.models import Indicator, Unit
from scrutiny.publishing import gate

SOURCE = "source"
SUPPRESSED_TEXT = gate.SUPPRESSED
SOURCE_STATEMENT = "Cells suppressed by the publisher of the figures are shown as *."
NONE_NEEDED = (
    "No value needed suppression. Counts from 1 to {largest} would be suppressed (shown as *)."
)
AS_ENTERED = "Local measures entered as a value without counts are published as entered."
AS_ENTERED_RULE = "as_entered"


@dataclass(frozen=True)
class Cell:
    """One value to protect."""

    value: float | None
    numerator: float | None
    denominator: float | None
    suppressed: bool


@dataclass(frozen=True)
class Gated:
    """The value as published: ``value`` is ``None`` when ``rule`` says it was suppressed."""

    value: float | None
    rule: str = ""  # "", "source", "primary", "secondary" or "rate"


Key = tuple[int, int, str]  # indicator id, area id, period


def _whole(value: float) -> int:
    return round(value)


def _primary(value: float) -> Gated:
    table = gate.protect(
        gate.CountTable(row_labels=["value"], column_labels=["value"], counts=[[_whole(value)]])
    )
    if table.values[0][0] is None:
        return Gated(None, gate.Rule.PRIMARY.value)
    return Gated(value)


def protect_cells(
    *, indicators: Iterable[Indicator], cells: Mapping[Key, Cell]
) -> tuple[dict[Key, Gated], set[str]]:
    """Every cell as it may be published, and the rules that were applied."""
    by_id = {indicator.pk: indicator for indicator in indicators}
    by_key = {indicator.key: indicator for indicator in by_id.values()}
    gated: dict[Key, Gated] = {}
    rules: set[str] = set()
    as_entered = False

    def keep(key: Key, result: Gated) -> None:
        gated[key] = result
        if result.rule:
            rules.add(result.rule)

    # Breakdowns first: the parts of one total, for one area and period, as one table row.
    parts: dict[tuple[str, int, str], list[Key]] = defaultdict(list)
    for key in cells:
        indicator = by_id.get(key[0])
        if indicator is not None and indicator.part_of and indicator.unit == Unit.COUNT:
            parts[(indicator.part_of, key[1], key[2])].append(key)
    for keys in parts.values():
        ordered = sorted(keys)
        if any(cells[key].suppressed or cells[key].value is None for key in ordered):
            continue  # the publisher protected this breakdown; each part is checked alone below
        try:
            table = gate.protect(
                gate.CountTable(
                    row_labels=["period"],
                    column_labels=[str(key[0]) for key in ordered],
                    counts=[[_whole(cells[key].value or 0) for key in ordered]],
                )
            )
        except DisclosureTableError:
            continue
        suppressed = {s.column: s.rule for s in table.suppressions}
        for key in ordered:
            rule = suppressed.get(str(key[0]))
            keep(key, Gated(None, rule.value) if rule else Gated(cells[key].value))

    # Counts, then rates (which look at the counts they are built on).
    for key, cell in cells.items():
        indicator = by_id.get(key[0])
        if key in gated or indicator is None or indicator.unit != Unit.COUNT:
            continue
        if cell.suppressed or cell.value is None:
            keep(key, Gated(None, SOURCE))
        else:
            keep(key, _primary(cell.value))
    for key, cell in cells.items():
        indicator = by_id.get(key[0])
        if key in gated or indicator is None:
            continue
        if cell.suppressed or cell.value is None:
            keep(key, Gated(None, SOURCE))
            continue
        base = by_key.get(indicator.rate_of)
        base_gated = gated.get((base.pk, key[1], key[2])) if base is not None else None
        if base_gated is not None and base_gated.value is None:
            keep(key, Gated(None, gate.Rule.RATE.value))
            continue
        if cell.numerator is not None and cell.denominator:
            (rate,) = gate.rates(
                [_whole(cell.numerator)], [_whole(cell.denominator)], per=indicator.multiplier
            )
            keep(
                key, Gated(None, gate.Rule.RATE.value) if rate.value is None else Gated(cell.value)
            )
            continue
        if indicator.is_local:
            as_entered = True
        keep(key, Gated(cell.value))
    if as_entered:
        rules.add(AS_ENTERED_RULE)
    return gated, rules


def statements(rules: Iterable[str]) -> list[str]:
    """The notes that go with a published table: one sentence per rule applied."""
    used = set(rules)
    largest = gate.threshold() - 1
    lines = [
        RULE_STATEMENTS[rule].format(largest=largest) for rule in gate.Rule if rule.value in used
    ]
    if SOURCE in used:
        lines.append(SOURCE_STATEMENT)
    if AS_ENTERED_RULE in used:
        lines.append(AS_ENTERED)
    if not lines or lines == [AS_ENTERED]:
        lines.insert(0, NONE_NEEDED.format(largest=largest))
    return lines


def download_statements() -> list[str]:
    """The rules a download may apply, said once on the page that offers it (the file itself
    is data only: each row's note says which rule, if any, hid its value)."""
    return statements([*(rule.value for rule in gate.Rule), SOURCE, AS_ENTERED_RULE])


def rule_words(rule: str) -> str:
    return {
        SOURCE: "suppressed by the publisher",
        gate.Rule.PRIMARY.value: "suppressed: small count",
        gate.Rule.SECONDARY.value: "suppressed: protects a small count",
        gate.Rule.RATE.value: "suppressed: built on a small count",
    }.get(rule, "")
