"""The disclosure-control gate: protect small counts before a table is published.

Rules (common UK statistics practice; Scottish children's services tables publish no numeric
threshold, so the threshold is a parameter, default `DEFAULT_THRESHOLD`):

primary
    a count from 1 to threshold - 1 is suppressed (shown as ``*``); zero may be shown.
secondary
    more cells are suppressed so that no suppressed count can be worked out from the row and
    column totals (see `protect_table` for the exact algorithm).
rate
    a rate or percentage whose numerator or denominator is suppressed is suppressed too
    (`protect_rates`).

Every protected table records which rule was applied to which cell, so that a publication can
say so.

NumPy is imported only when a table is protected, so that the command line can read
`DEFAULT_THRESHOLD` without loading it.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

DEFAULT_THRESHOLD = 5
SUPPRESSED = "*"

THRESHOLD_INVALID = "the threshold must be a whole number of at least 1, not {value!r}"
NO_ROWS_OR_COLUMNS = "the table has no rows or no columns"
ROW_COUNT_MISMATCH = "the table has {rows} rows of counts but {labels} row labels"
ROW_LENGTH_MISMATCH = "row {row!r} has {cells} counts but the table has {columns} columns"
DUPLICATE_LABEL = "the {axis} label {label!r} appears more than once"
TOTAL_NOT_FOUND = "there is no {axis} labelled {label!r}; the {axis}s are: {labels}"
NOT_A_NUMBER = "row {row!r}, column {column!r}: {value!r} is not a number"
NOT_WHOLE = "row {row!r}, column {column!r}: {value!r} is not a whole number"
NEGATIVE = "row {row!r}, column {column!r}: {value} is negative, and a count cannot be"
TOTAL_ROW_WRONG = (
    "the total row {total!r} does not add up in column {column!r}: "
    "the rows above sum to {expected} but the total says {actual}"
)
TOTAL_COLUMN_WRONG = (
    "the total column {total!r} does not add up in row {row!r}: "
    "the columns sum to {expected} but the total says {actual}"
)
RATE_LENGTHS_DIFFER = "there are {numerators} numerators but {denominators} denominators"
RATE_NEGATIVE = "the {which} at position {position} is negative: {value}"
RATE_ZERO_DENOMINATOR = "the denominator at position {position} is 0: there is no rate to publish"

# A suppressed cell whose unit vector keeps all but this much of its length when projected on
# the row space of the line equations is taken as worked out.
_DETERMINED_TOLERANCE = 1e-9


class Rule(StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"
    RATE = "rate"


RULE_STATEMENTS: dict[Rule, str] = {
    Rule.PRIMARY: "Counts from 1 to {largest} are suppressed (shown as *).",
    Rule.SECONDARY: (
        "Further counts are suppressed so that suppressed counts cannot be worked out from totals."
    ),
    Rule.RATE: "Rates and percentages based on a suppressed count are suppressed.",
}


class DisclosureTableError(ValueError):
    """The table cannot be protected as given; the message names the row and column."""


@dataclass(frozen=True)
class CountTable:
    """Counts to publish: one row per label in ``row_labels``, one column per column label.

    ``total_row`` and ``total_column`` name a row or column that holds the totals of the others
    (it is checked, and protected like any other count). Without them, row and column totals are
    still assumed to be known to readers (published elsewhere, or easy to find), so suppressed
    counts are protected against them all the same.
    """

    row_labels: Sequence[str]
    column_labels: Sequence[str]
    counts: Sequence[Sequence[float]]
    total_row: str | None = None
    total_column: str | None = None


@dataclass(frozen=True)
class Suppression:
    row: str
    column: str
    rule: Rule


@dataclass(frozen=True)
class ProtectedTable:
    """The table as it may be published: ``values`` has ``None`` where a count is suppressed."""

    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    values: tuple[tuple[int | None, ...], ...]
    suppressions: tuple[Suppression, ...]
    threshold: int
    total_row: str | None = None
    total_column: str | None = None

    def text(self, symbol: str = SUPPRESSED) -> tuple[tuple[str, ...], ...]:
        """The values as text, with ``symbol`` for a suppressed count."""
        return tuple(
            tuple(symbol if value is None else str(value) for value in row) for row in self.values
        )

    def rules_applied(self) -> tuple[Rule, ...]:
        """The rules used in this table, in the order primary, secondary."""
        used = {suppression.rule for suppression in self.suppressions}
        return tuple(rule for rule in Rule if rule in used)

    def statements(self) -> tuple[str, ...]:
        """One sentence per rule used, for the notes under a published table."""
        return tuple(
            RULE_STATEMENTS[rule].format(largest=self.threshold - 1)
            for rule in self.rules_applied()
        )


@dataclass(frozen=True)
class _Line:
    """A row or column of the table: its cells add up to a total readers know (or can see)."""

    cells: tuple[tuple[int, int], ...]
    signs: tuple[int, ...]  # -1 for the line's total cell, +1 for the cells it adds up


def protect_table(table: CountTable, *, threshold: int = DEFAULT_THRESHOLD) -> ProtectedTable:
    """Suppress small counts and the complementary cells that protect them.

    1. Primary: every count (totals included) from 1 to ``threshold`` - 1.
    2. Secondary, repeated until nothing changes:
       a. Each row and each column (a "line"; its total cell, if the table has one, is a member)
          is a sum readers know. A line with exactly one suppressed cell gives that cell away,
          so one more of its cells is suppressed. Lines are visited rows first, then columns,
          top to bottom and left to right.
       b. Once no line has exactly one suppressed cell, the whole pattern is checked by linear
          algebra: a suppressed cell can be worked out exactly if it is determined by the
          system of line totals (its unit vector lies in the row space of the lines restricted
          to suppressed cells). For the first such cell, one more cell of one of its lines is
          suppressed.
       The complementary cell is chosen among the line's unsuppressed cells by, in order:
       not a total (inner cells before total-row/column cells, the grand total last); does not
       leave a new line with a single suppressed cell; not zero; smallest count; then first in
       reading order.
    A line with one cell (a table of one row or one column without totals) constrains nothing.
    """
    counts, total_row_index, total_column_index = _validated(table, threshold)
    n_rows, n_columns = len(counts), len(counts[0])
    lines = _lines(n_rows, n_columns, total_row_index, total_column_index)
    lines_of: dict[tuple[int, int], list[int]] = {}
    for number, line in enumerate(lines):
        for cell in line.cells:
            lines_of.setdefault(cell, []).append(number)

    rules: dict[tuple[int, int], Rule] = {}
    suppressed_in = [0] * len(lines)  # suppressed cells in each line

    def suppress(cell: tuple[int, int], rule: Rule) -> None:
        rules[cell] = rule
        for number in lines_of.get(cell, []):
            suppressed_in[number] += 1

    def best(candidates: list[tuple[int, int]], fixing: int | None) -> tuple[int, int]:
        def key(cell: tuple[int, int]) -> tuple[int, int, bool, int, int, int]:
            level = int(cell[0] == total_row_index) + int(cell[1] == total_column_index)
            opens = sum(
                1
                for number in lines_of.get(cell, [])
                if number != fixing and suppressed_in[number] == 0
            )
            value = counts[cell[0]][cell[1]]
            return (level, opens, value == 0, value, cell[0], cell[1])

        return min(candidates, key=key)

    for i in range(n_rows):
        for j in range(n_columns):
            if 0 < counts[i][j] < threshold:
                suppress((i, j), Rule.PRIMARY)
    while True:
        changed = False
        for number, line in enumerate(lines):
            if suppressed_in[number] == 1:
                free = [cell for cell in line.cells if cell not in rules]
                suppress(best(free, number), Rule.SECONDARY)
                changed = True
        if changed:
            continue
        exposed = _determinable(lines, rules)
        if not exposed:
            break
        cell = exposed[0]
        free = [
            c for number in lines_of.get(cell, []) for c in lines[number].cells if c not in rules
        ]
        if not free:
            free = [(i, j) for i in range(n_rows) for j in range(n_columns) if (i, j) not in rules]
        if not free:
            break
        suppress(best(free, None), Rule.SECONDARY)

    row_labels = tuple(table.row_labels)
    column_labels = tuple(table.column_labels)
    values = tuple(
        tuple(None if (i, j) in rules else counts[i][j] for j in range(n_columns))
        for i in range(n_rows)
    )
    suppressions = tuple(
        Suppression(row_labels[i], column_labels[j], rules[i, j]) for i, j in sorted(rules)
    )
    return ProtectedTable(
        row_labels=row_labels,
        column_labels=column_labels,
        values=values,
        suppressions=suppressions,
        threshold=threshold,
        total_row=table.total_row,
        total_column=table.total_column,
    )


def _lines(
    n_rows: int, n_columns: int, total_row: int | None, total_column: int | None
) -> list[_Line]:
    lines = []
    for i in range(n_rows):
        cells = tuple((i, j) for j in range(n_columns))
        lines.append(_Line(cells, tuple(-1 if j == total_column else 1 for j in range(n_columns))))
    for j in range(n_columns):
        cells = tuple((i, j) for i in range(n_rows))
        lines.append(_Line(cells, tuple(-1 if i == total_row else 1 for i in range(n_rows))))
    return [line for line in lines if len(line.cells) >= 2]


def _determinable(lines: list[_Line], rules: dict[tuple[int, int], Rule]) -> list[tuple[int, int]]:
    """Suppressed cells whose value follows exactly from the known line totals."""
    import numpy as np

    hidden = sorted(rules)
    if not hidden or not lines:
        return []
    column = {cell: k for k, cell in enumerate(hidden)}
    system = np.zeros((len(lines), len(hidden)))
    for row, line in enumerate(lines):
        for cell, sign in zip(line.cells, line.signs, strict=True):
            if cell in column:
                system[row, column[cell]] = sign
    # A cell is determined when its unit vector lies in the row space of the system, that is
    # when projecting the unit vector onto the row space leaves its length (1) unchanged.
    _, singular, rows = np.linalg.svd(system, full_matrices=False)
    tolerance = max(system.shape) * np.finfo(float).eps * singular.max(initial=0.0)
    basis = rows[singular > tolerance]
    reach = (basis * basis).sum(axis=0)
    return [cell for k, cell in enumerate(hidden) if reach[k] > 1 - _DETERMINED_TOLERANCE]


def _validated(table: CountTable, threshold: int) -> tuple[list[list[int]], int | None, int | None]:
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        raise DisclosureTableError(THRESHOLD_INVALID.format(value=threshold))
    row_labels = list(table.row_labels)
    column_labels = list(table.column_labels)
    if not row_labels or not column_labels:
        raise DisclosureTableError(NO_ROWS_OR_COLUMNS)
    for axis, labels in (("row", row_labels), ("column", column_labels)):
        seen: set[str] = set()
        for label in labels:
            if label in seen:
                raise DisclosureTableError(DUPLICATE_LABEL.format(axis=axis, label=label))
            seen.add(label)
    if len(table.counts) != len(row_labels):
        raise DisclosureTableError(
            ROW_COUNT_MISMATCH.format(rows=len(table.counts), labels=len(row_labels))
        )
    counts: list[list[int]] = []
    for row_label, row in zip(row_labels, table.counts, strict=True):
        if len(row) != len(column_labels):
            raise DisclosureTableError(
                ROW_LENGTH_MISMATCH.format(
                    row=row_label, cells=len(row), columns=len(column_labels)
                )
            )
        counts.append(
            [
                _whole(value, row=row_label, column=column_label)
                for column_label, value in zip(column_labels, row, strict=True)
            ]
        )

    total_row = _index_of(table.total_row, row_labels, "row")
    total_column = _index_of(table.total_column, column_labels, "column")
    if total_row is not None:
        others = [i for i in range(len(row_labels)) if i != total_row]
        for j, column_label in enumerate(column_labels):
            expected = sum(counts[i][j] for i in others)
            if expected != counts[total_row][j]:
                raise DisclosureTableError(
                    TOTAL_ROW_WRONG.format(
                        total=table.total_row,
                        column=column_label,
                        expected=expected,
                        actual=counts[total_row][j],
                    )
                )
    if total_column is not None:
        others = [j for j in range(len(column_labels)) if j != total_column]
        for i, row_label in enumerate(row_labels):
            expected = sum(counts[i][j] for j in others)
            if expected != counts[i][total_column]:
                raise DisclosureTableError(
                    TOTAL_COLUMN_WRONG.format(
                        total=table.total_column,
                        row=row_label,
                        expected=expected,
                        actual=counts[i][total_column],
                    )
                )
    return counts, total_row, total_column


def _whole(value: object, *, row: str, column: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise DisclosureTableError(NOT_A_NUMBER.format(row=row, column=column, value=value))
    if isinstance(value, numbers.Integral):
        whole = int(value)
    elif math.isfinite(float(value)) and float(value).is_integer():
        whole = int(float(value))
    else:
        raise DisclosureTableError(NOT_WHOLE.format(row=row, column=column, value=value))
    if whole < 0:
        raise DisclosureTableError(NEGATIVE.format(row=row, column=column, value=whole))
    return whole


def _index_of(label: str | None, labels: list[str], axis: str) -> int | None:
    if label is None:
        return None
    if label not in labels:
        raise DisclosureTableError(
            TOTAL_NOT_FOUND.format(axis=axis, label=label, labels=", ".join(labels))
        )
    return labels.index(label)


@dataclass(frozen=True)
class ProtectedRate:
    """A rate as it may be published: ``value`` is ``None`` when ``rule`` is `Rule.RATE`."""

    value: float | None
    rule: Rule | None = None


def protect_rates(
    *,
    numerators: Sequence[int | None],
    denominators: Sequence[int | None],
    per: float = 100.0,
    threshold: int = DEFAULT_THRESHOLD,
) -> tuple[ProtectedRate, ...]:
    """Rates numerator / denominator x ``per``, suppressed where built on a suppressed count.

    ``None`` stands for a count suppressed in the published table. A count from 1 to
    ``threshold`` - 1 is treated as suppressed too, so raw counts are safe to pass.
    """
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        raise DisclosureTableError(THRESHOLD_INVALID.format(value=threshold))
    if len(numerators) != len(denominators):
        raise DisclosureTableError(
            RATE_LENGTHS_DIFFER.format(numerators=len(numerators), denominators=len(denominators))
        )
    rates = []
    for position, (numerator, denominator) in enumerate(
        zip(numerators, denominators, strict=True), start=1
    ):
        for which, count in (("numerator", numerator), ("denominator", denominator)):
            if count is not None and count < 0:
                raise DisclosureTableError(
                    RATE_NEGATIVE.format(which=which, position=position, value=count)
                )
        if (
            numerator is None
            or denominator is None
            or 0 < numerator < threshold
            or 0 < denominator < threshold
        ):
            rates.append(ProtectedRate(None, Rule.RATE))
            continue
        if denominator == 0:
            raise DisclosureTableError(RATE_ZERO_DENOMINATOR.format(position=position))
        rates.append(ProtectedRate(numerator / denominator * per))
    return tuple(rates)
