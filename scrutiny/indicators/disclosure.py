"""Indicator values as they may be published: every value passes the disclosure-control gate.

- a count from 1 to the threshold - 1 is suppressed (primary);
- the national counts are protected together, over every area and period at once
  (`linked_pattern`), against the sums that readers can form from published figures: the parts
  of a breakdown and their total (placement types of the children looked after; at home and
  away from home), the councils and Scotland, and a stock with its flows year on year (the
  register, registrations and de-registrations; children looked after, episodes started and
  ended). More counts are suppressed until no suppressed count can be worked out, or narrowed
  closely, from them (secondary suppression, by the gate's audit: `sdc.protect_linked`), by
  the public or by a council's staff, who know their own council's counts. The pattern is the
  same on every page and download, so reading them side by side gives nothing away either;
- a rate or percentage is suppressed when the count it is built on is suppressed, or when its
  numerator or denominator is small (the gate's rate rule);
- a cell the publisher suppressed (``*``, ``-``, ``c``) stays suppressed.

Local measures given only as a value (no counts) are published as entered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from scrutiny.analysis.sdc import RULE_STATEMENTS, Relation, protect_linked
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


@dataclass(frozen=True)
class LinkedPattern:
    """The rule of each national count suppressed when they are protected together (every
    national count with a value not suppressed by its publisher is: the others are shown)."""

    rules: Mapping[Key, str]


# The version of the rules below: part of the fingerprint under which a worked-out pattern is
# kept (``selectors.linked_fingerprint``), so a change of rules is not met by an old pattern.
PATTERN_VERSION = 4

# Sums readers can form besides each breakdown's parts and total (``part_of``) and the councils
# and Scotland: a total and its parts.
EXTRA_SUMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("lac_total", ("lac_home", "lac_away")),
    (
        "lac_away",
        (
            "lac_kinship",
            "lac_foster",
            "lac_prospective_adopters",
            "lac_other_community",
            "lac_residential",
        ),
    ),
)
# A stock and its flows: stock last year + in = stock this year + out, when the figures agree.
FLOWS: tuple[tuple[str, str, str], ...] = (
    ("cp_register", "cp_registrations", "cp_deregistrations"),
    ("lac_total", "lac_starts", "lac_ceases"),
)


def _year(period: str) -> int | None:
    return int(period) if len(period) == 4 and period.isdigit() else None


def families(indicators: Iterable[Indicator]) -> list[list[Indicator]]:
    """The national counts in groups that sums tie together (a breakdown and its total, the
    sums in ``EXTRA_SUMS``, the stocks and flows in ``FLOWS``), in catalogue order; a count in
    no such sum is a group of its own. No sum ties two groups (the councils and Scotland are
    figures of one count), so each group can be protected on its own."""
    counts = [i for i in indicators if i.partnership_id is None and i.unit == Unit.COUNT]
    parent = {i.key: i.key for i in counts}

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def join(keys: Iterable[str]) -> None:
        present = [key for key in keys if key in parent]
        for key in present[1:]:
            parent[root(key)] = root(present[0])

    for indicator in counts:
        if indicator.part_of:
            join((indicator.part_of, indicator.key))
    for total, parts in EXTRA_SUMS:
        join((total, *parts))
    for flow in FLOWS:
        join(flow)
    grouped: dict[str, list[Indicator]] = {}
    for indicator in sorted(counts, key=lambda i: i.pk):
        grouped.setdefault(root(indicator.key), []).append(indicator)
    return list(grouped.values())


def linked_pattern(
    *,
    indicators: Iterable[Indicator],
    cells: Mapping[Key, Cell],
    scotland: int,
    councils: Iterable[int],
    threshold: int,
) -> LinkedPattern:
    """The suppression pattern of the national counts in ``cells`` (every area and period),
    protected together against the sums readers can form from them (see the module's notes).

    Figures suppressed by their publisher are left out. The councils and Scotland are a sum
    when Scotland has a figure; a stock and its flows when the four figures agree. The
    parts of a breakdown given (at least two, or its total) are taken to add up to a total
    readers know even when it is not given (a breakdown's total is usually published with it).
    When the parts add up to less than their total (a category not given; council figures that
    do not add to Scotland's), what they leave over is known to readers too: one more part,
    never suppressed. When they add up to more, they are not such a sum, and nothing is assumed.
    """
    by_key = {i.key: i for i in indicators if i.partnership_id is None and i.unit == Unit.COUNT}
    ids = {indicator.pk: key for key, indicator in by_key.items()}
    keys = sorted(
        key
        for key, cell in cells.items()
        if key[0] in ids and not cell.suppressed and cell.value is not None
    )
    position = {key: number for number, key in enumerate(keys)}
    counts = [_whole(cells[key].value or 0) for key in keys]
    known: list[int] = []
    relations: list[Relation] = []

    def known_count(value: int) -> int:
        known.append(len(counts))
        counts.append(value)
        return len(counts) - 1

    def add_sum(total: Key, parts: list[Key], *, complete: bool) -> None:
        """``total`` = the sum of ``parts``: what the parts given leave over of the total is
        known to readers (one more part, never suppressed). With ``complete``, only when the
        total is given; else the parts given are a breakdown whose total readers are taken to
        know even when it is not (a breakdown's total is usually published with it)."""
        present = tuple(position[part] for part in parts if part in position)
        if complete and total not in position:
            return
        if len(present) < 2 and total not in position:
            return
        if total not in position:
            relations.append(
                Relation(plus=present, minus=(known_count(sum(counts[n] for n in present)),))
            )
            return
        left = counts[position[total]] - sum(counts[number] for number in present)
        if left < 0:
            return
        plus = (*present, known_count(left)) if left else present
        relations.append(Relation(plus=plus, minus=(position[total],)))

    areas = sorted({key[1] for key in keys})
    periods = sorted({key[2] for key in keys})
    sums = [
        *(
            (total, tuple(i.key for i in by_key.values() if i.part_of == total))
            for total in sorted({i.part_of for i in by_key.values() if i.part_of})
        ),
        *EXTRA_SUMS,
    ]
    for total_key, part_keys in sums:
        if any(part not in by_key for part in part_keys):
            continue
        total_id = by_key[total_key].pk if total_key in by_key else -1  # -1: not given
        part_ids = [by_key[part].pk for part in part_keys]
        for area in areas:
            for period in periods:
                add_sum(
                    (total_id, area, period),
                    [(part, area, period) for part in part_ids],
                    complete=False,
                )
    council_ids = sorted(set(councils))
    for indicator_id in sorted(ids):
        for period in periods:
            add_sum(
                (indicator_id, scotland, period),
                [(indicator_id, council, period) for council in council_ids],
                complete=True,
            )
    for stock_key, in_key, out_key in FLOWS:
        if not {stock_key, in_key, out_key} <= by_key.keys():
            continue
        stock, into, out = (by_key[k].pk for k in (stock_key, in_key, out_key))
        for area in areas:
            for period in periods:
                year = _year(period)
                if year is None:
                    continue
                before = (stock, area, str(year - 1))
                figures = [before, (into, area, period), (stock, area, period), (out, area, period)]
                if any(figure not in position for figure in figures):
                    continue
                a, b, c, d = (position[figure] for figure in figures)
                if counts[a] + counts[b] == counts[c] + counts[d]:
                    relations.append(Relation(plus=(a, b), minus=(c, d)))
    # Each council's staff know their own figures: the sums, read together, must still protect
    # the other councils' counts (and Scotland's) when one council's are known.
    insiders: dict[int, list[int]] = {}
    for number, key in enumerate(keys):
        if key[1] != scotland:
            insiders.setdefault(key[1], []).append(number)
    found = protect_linked(
        counts, relations, threshold=threshold, known=known, insiders=list(insiders.values())
    )
    return LinkedPattern(
        rules={keys[number]: rule.value for number, rule in found.items() if number < len(keys)}
    )


def protect_cells(
    *,
    indicators: Iterable[Indicator],
    cells: Mapping[Key, Cell],
    linked: LinkedPattern | None = None,
) -> tuple[dict[Key, Gated], set[str]]:
    """Every cell as it may be published, and the rules that were applied. A national count
    takes its rule from ``linked`` when it is given; a local count is checked on its own."""
    by_id = {indicator.pk: indicator for indicator in indicators}
    by_key = {indicator.key: indicator for indicator in by_id.values()}
    gated: dict[Key, Gated] = {}
    rules: set[str] = set()
    as_entered = False

    def keep(key: Key, result: Gated) -> None:
        gated[key] = result
        if result.rule:
            rules.add(result.rule)

    # Counts, then rates (which look at the counts they are built on).
    for key, cell in cells.items():
        indicator = by_id.get(key[0])
        if key in gated or indicator is None or indicator.unit != Unit.COUNT:
            continue
        if cell.suppressed or cell.value is None:
            keep(key, Gated(None, SOURCE))
        elif linked is not None and indicator.partnership_id is None:
            # The pattern's rule; and a small count the pattern has not seen (a figure stored
            # since the page read the pattern) is still suppressed.
            rule = linked.rules.get(key)
            keep(key, Gated(None, rule) if rule else _primary(cell.value))
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
