"""The disclosure-control gate: protect small counts before a table is published.

Rules (common UK statistics practice; Scottish children's services tables publish no numeric
threshold, so the threshold is a parameter, default `DEFAULT_THRESHOLD`):

primary
    a count from 1 to threshold - 1 is suppressed (shown as ``*``); zero may be shown.
secondary
    more cells are suppressed so that no suppressed count can be worked out, or narrowed down
    closely, from the row and column totals (see `protect_table` for the algorithm).
rate
    a rate or percentage whose numerator or denominator is suppressed is suppressed too
    (`protect_rates`).

Every protected table records which rule was applied to which cell, so that a publication can
say so.

Protection rule (the audit)
---------------------------
Readers know more than the totals. Zeros are shown, and publications say which rule hid each
cell (indicator downloads do, cell by cell), so a reader knows that a primary-suppressed count
lies from 1 to threshold - 1 and that a secondary-suppressed count is at least the threshold.
With the shown cells and the row, column and grand totals (in the table, or assumed known when
the table has none), those bounds let a reader narrow each suppressed count to the interval
[min, max] of its values over all tables that agree with what is published. The gate computes
that interval for every suppressed cell by linear programming (HiGHS, through highspy: one
minimisation and one maximisation per cell; the constraints are a two-way table's, whose corners
are whole numbers, so the interval's ends are counts a reader could reach).

A pattern of suppressions is accepted when every interval is wide enough. This is the *sliding
protection level* of Hundepool et al., Statistical Disclosure Control (Wiley, 2012), ch. 4, as
used by tau-ARGUS: the interval's width max - min must be at least the protection level,
wherever the true value lies in it.

- a primary cell: width at least `PROTECTION_WIDTH` (2), so a reader cannot tell the count to
  better than one of three values; with a threshold of 3 the rule itself leaves only 1 and 2
  (width 1), and with a threshold of 2 a primary count is 1 by the rule alone (width 0).
- a secondary cell: never worked out exactly (width at least 1).

Counts tied by other sums than a table's rows and columns (`protect_linked`) are audited the
same way, each sum a line; a group of cells tied by one sum only is solved without a linear
programme (`_Audit._one_line`). There the constraints are general sums, so an interval's ends
may not be whole numbers: they are rounded inwards, and a reader limited to whole numbers could
do a little better than the audit assumes.

Insiders know more still: a council's staff know their own council's counts. For counts tied
by relations, each insider's counts can be named (`protect_linked`'s ``insiders``); the audit is
then repeated from each insider's side, with their counts known (fixed like shown counts), and
more counts are suppressed until no insider can narrow another's suppressed count too far,
reading every sum together (`_Insiders`). Only the groups of suppressed counts that hold one of
the insider's suppressed counts can change, so only those are solved again.

A suppressed zero would be known to be 0 or at least the threshold, which a linear audit cannot
credit, so zeros are never suppressed. A cell that would stay exposed even if every non-zero
count in the table were suppressed is given away by something outside the table (a small total
published elsewhere) or by the rule itself; suppressing more cannot help, so it is left as is.

NumPy and HiGHS are imported only when a table is protected, so that the command line can read
`DEFAULT_THRESHOLD` without loading them.
"""

from __future__ import annotations

import contextlib
import math
import numbers
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import cast

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

# The sliding protection level of a primary-suppressed count: its feasible interval must span
# at least this much (see "Protection rule" above).
PROTECTION_WIDTH = 2

# Linear programming answers are rounded to counts with this much slack.
_LP_TOLERANCE = 1e-6
_UNBOUNDED = 2**62
# The weight of the other counts beside the one a linear programme pushes (`_Insiders`).
_NUDGE = 1e-3
# How many counts are tried as the complement of a count exposed to an insider.
_TRIALS = 12


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
    """Suppress small counts and the complementary cells that protect them (see `_protect`).

    The result depends on the table and the threshold alone and is immutable, so it is kept
    for tables seen before: pages that publish the same figures again (a dashboard's other
    councils, request after request) do not solve the same linear programmes again."""
    try:
        key = (
            tuple(table.row_labels),
            tuple(table.column_labels),
            tuple(tuple(row) for row in table.counts),
            table.total_row,
            table.total_column,
            threshold,
        )
        hash(key)
    except TypeError:  # a count that cannot be hashed is refused by the checks with its place
        return _protect(table, threshold=threshold)
    return _protect_seen(key, table, threshold)


@dataclass(frozen=True)
class Relation:
    """Counts readers know to agree: the counts at positions ``plus`` add up to those at
    positions ``minus`` (a total and its parts: ``plus`` the parts, ``minus`` the total; a
    stock and its flows: last year's stock and this year's entries = this year's stock and
    exits)."""

    plus: tuple[int, ...]
    minus: tuple[int, ...]


RELATION_OUT_OF_RANGE = (
    "relation {number} refers to position {position}, but there are {count} counts"
)
RELATION_WRONG = "relation {number} does not hold: {plus} on one side, {minus} on the other"


def protect_linked(
    counts: Sequence[float],
    relations: Sequence[Relation],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    known: Iterable[int] = (),
    insiders: Iterable[Iterable[int]] = (),
) -> dict[int, Rule]:
    """Suppress small counts among counts tied by ``relations``, and the complementary counts
    that protect them: the positions suppressed, each with its rule.

    The same rules and audit as `protect_table`, with each relation in place of a row or column
    of a table: figures published on many pages (a council's placement types and their total,
    every council and Scotland, a register and its registrations and de-registrations year on
    year) are protected together, so that no page, nor all of them read side by side, gives a
    suppressed count away. Every relation must hold for the counts; a position in no relation
    is protected on its own (primary suppression only).

    ``known`` are positions readers know anyway (never suppressed); ``insiders`` are the
    positions each insider knows (a council's staff, their council's counts): the pattern is
    then safe from each insider too, who knows their own counts (see the module's notes).
    """
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        raise DisclosureTableError(THRESHOLD_INVALID.format(value=threshold))
    row = [
        _whole(value, row="counts", column=str(position)) for position, value in enumerate(counts)
    ]
    if not row:
        return {}
    lines = []
    for number, relation in enumerate(relations, start=1):
        for position in (*relation.plus, *relation.minus):
            if not 0 <= position < len(row):
                raise DisclosureTableError(
                    RELATION_OUT_OF_RANGE.format(number=number, position=position, count=len(row))
                )
        plus = sum(row[position] for position in relation.plus)
        minus = sum(row[position] for position in relation.minus)
        if plus != minus:
            raise DisclosureTableError(RELATION_WRONG.format(number=number, plus=plus, minus=minus))
        cells = tuple((0, position) for position in (*relation.plus, *relation.minus))
        if len(cells) >= 2:
            signs = (1,) * len(relation.plus) + (-1,) * len(relation.minus)
            lines.append(_Line(cells, signs))
    fixed = frozenset((0, position) for position in known)
    owner: dict[tuple[int, int], frozenset[int]] = {}
    for number, positions in enumerate(insiders):
        for position in positions:
            owner[(0, position)] = owner.get((0, position), frozenset()) | {number}
    rules = _suppress([row], lines, threshold, None, None, fixed, owner)
    return {cell[1]: rule for cell, rule in sorted(rules.items())}


def _insider_complements(
    row: list[int],
    lines: list[_Line],
    rules: dict[tuple[int, int], Rule],
    audit: _Audit,
    fixed: frozenset[tuple[int, int]],
    owner: Mapping[tuple[int, int], frozenset[int]],
) -> dict[tuple[int, int], Rule]:
    """Counts to suppress so that no insider (``owner``: cell → the insiders who know it)
    narrows another's suppressed count too far in a relation where the insider's own count is
    suppressed: with the insider's counts known, each other suppressed count of the relation
    must keep the width it needs over that relation alone. A quick first pass, without linear
    programming: `_Insiders` then reads every relation together."""
    threshold = audit.threshold
    added: dict[tuple[int, int], Rule] = {}
    for line in lines:
        insiders = {n for cell in line.cells if cell in rules for n in owner.get(cell, ())}
        for insider in sorted(insiders):
            hidden = {
                cell: added.get(cell) or rules[cell]
                for cell in line.cells
                if cell in rules or cell in added
            }
            others = [
                (cell, sign)
                for cell, sign in zip(line.cells, line.signs, strict=True)
                if cell in hidden and insider not in owner.get(cell, ())
            ]
            if not others:
                continue
            seen: dict[tuple[int, int], tuple[int, int]] = {}
            group = [cell for cell, _ in others]
            audit._one_line(hidden, seen, group, [sign for _, sign in others])
            if all(seen[cell][1] - seen[cell][0] >= audit.required(hidden[cell]) for cell in group):
                continue
            free = [
                cell
                for cell in line.cells
                if cell not in hidden
                and cell not in fixed
                and insider not in owner.get(cell, ())
                and row[cell[1]] != 0
            ]
            if free:
                added[
                    min(
                        free,
                        key=lambda cell: (
                            row[cell[1]] < threshold + PROTECTION_WIDTH,
                            row[cell[1]],
                            cell,
                        ),
                    )
                ] = Rule.SECONDARY
    return added


class _Insiders:
    """The audit from each insider's side: with the insider's own counts known (fixed, like
    shown counts), every other suppressed count linked to one of the insider's suppressed counts
    must keep the width it needs, over all the sums at once (`_insider_complements` looks at
    one sum at a time, which is quicker but not enough: sums read together can narrow a count
    that each sum alone leaves wide).

    Only the groups holding one of the insider's suppressed counts can change when the insider
    knows them; the others were audited for every reader. Each insider has an `_Audit` of its
    own, kept from round to round: as in the readers' audit, a table found on the way stays a
    witness when more counts are suppressed."""

    def __init__(
        self,
        row: list[int],
        lines: list[_Line],
        threshold: int,
        fixed: frozenset[tuple[int, int]],
        owner: Mapping[tuple[int, int], frozenset[int]],
    ) -> None:
        self.row = row
        self.lines = lines
        self.threshold = threshold
        self.fixed = fixed
        self.members: dict[int, set[tuple[int, int]]] = {}
        for cell, insiders in owner.items():
            for insider in insiders:
                self.members.setdefault(insider, set()).add(cell)
        self.audits: dict[int, _Audit] = {}
        self.rest: dict[int, dict[tuple[int, int], Rule]] = {}  # suppressed, but theirs

    def exposed(
        self, rules: dict[tuple[int, int], Rule], audit: _Audit
    ) -> list[tuple[tuple[int, int], int]]:
        """The suppressed counts an insider can narrow too far, each with that insider, in
        the insiders' order and then reading order (``audit``: the readers' audit, for the
        groups of suppressed counts)."""
        found: list[tuple[tuple[int, int], int]] = []
        for insider, owned in sorted(self.members.items()):
            mine = [cell for cell in rules if cell in owned]
            if not mine:
                continue
            linked = sorted(
                {cell for group in audit._groups(rules, mine) for cell in group} - owned
            )
            if not linked:
                continue
            rest = self.rest.setdefault(insider, {})
            rest.update((cell, rule) for cell, rule in rules.items() if cell not in owned)
            theirs = self.audits.get(insider)
            if theirs is None:
                theirs = _Audit(
                    [self.row],
                    self.lines,
                    self.threshold,
                    None,
                    None,
                    self.fixed | owned,
                    signs=audit.signs,
                )
                self.audits[insider] = theirs
            for cell in linked:
                theirs.seen.setdefault(cell, (self.row[cell[1]], self.row[cell[1]]))
            pending = [cell for cell in linked if theirs._short(cell, rest, theirs.seen)]
            for cell in pending:
                # Push the count up and down, and a little the others still too narrow with
                # it: each answer is a table the insider cannot rule out, and may be a witness
                # for many counts at once (`confirm` then solves for the count alone).
                (group,) = theirs._groups(rest, [cell])
                for direction in (1.0, -1.0):
                    if not theirs._short(cell, rest, theirs.seen):
                        break
                    weights = {
                        other: direction * _NUDGE
                        for other in group
                        if other in rest and theirs._short(other, rest, theirs.seen)
                    }
                    weights[cell] = direction
                    theirs._solve(rest, theirs.seen, group, weights)
            found.extend(
                (cell, insider)
                for cell in pending
                if theirs._short(cell, rest, theirs.seen) and theirs.confirm(cell, rest)
            )
        return found

    def helping(
        self, cell: tuple[int, int], insider: int, candidates: list[tuple[int, int]]
    ) -> tuple[int, int] | None:
        """The first of ``candidates`` that, suppressed too, leaves ``cell`` wide enough for
        ``insider`` (by linear programming; the witnesses found so far still hold)."""
        theirs = self.audits[insider]
        for candidate in candidates:
            trial = {**self.rest[insider], candidate: Rule.SECONDARY}
            seen = dict(theirs.seen)
            seen.setdefault(candidate, (self.row[candidate[1]], self.row[candidate[1]]))
            if not theirs._exact(cell, trial, seen):
                return candidate
        return None


_SEEN: dict[tuple[object, ...], ProtectedTable] = {}
_SEEN_LIMIT = 4096


def _protect_seen(key: tuple[object, ...], table: CountTable, threshold: int) -> ProtectedTable:
    found = _SEEN.get(key)
    if found is None:
        found = _protect(table, threshold=threshold)
        if len(_SEEN) >= _SEEN_LIMIT:
            # The oldest first; another thread (pages are served by threads) may have just
            # removed it.
            with contextlib.suppress(KeyError, RuntimeError, StopIteration):
                _SEEN.pop(next(iter(_SEEN)))
        _SEEN[key] = found
    return found


def _protect(table: CountTable, *, threshold: int) -> ProtectedTable:
    """Suppress small counts and the complementary cells that protect them.

    1. Primary: every count (totals included) from 1 to ``threshold`` - 1.
    2. Secondary, repeated until nothing changes:
       a. Each row and each column (a "line"; its total cell, if the table has one, is a member)
          is a sum readers know. A line with exactly one suppressed cell gives that cell away,
          so one more of its cells is suppressed. Lines are visited rows first, then columns,
          top to bottom and left to right.
       b. Once no line has exactly one suppressed cell, the whole pattern is audited by linear
          programming (see "Protection rule" in the module's notes). Each suppressed cell whose
          interval is too narrow, in reading order and unless a cell of its lines was already
          added in this round, gets the other corners of a rectangle of suppressed cells
          through it (a rectangle whose corners can move far enough, with fewest corners in
          totals, then fewest new corners, then the smallest sum, then first in reading order);
          where there is none, one more cell of its own row or column (of the lines of the
          suppressed cells linked to it when its own are all suppressed, then of any line).
       A single complementary cell is chosen among the unsuppressed non-zero cells by, in
       order: not a total (inner cells before total-row/column cells, the grand total last);
       does not leave a new line with a single suppressed cell; has room to move down (at least
       threshold + 2); smallest count; then first in reading order.
    A line with one cell (a table of one row or one column without totals) constrains nothing.
    """
    counts, total_row_index, total_column_index = _validated(table, threshold)
    lines = _lines(len(counts), len(counts[0]), total_row_index, total_column_index)
    rules = _suppress(counts, lines, threshold, total_row_index, total_column_index)
    n_rows, n_columns = len(counts), len(counts[0])

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


def _suppress(
    counts: list[list[int]],
    lines: list[_Line],
    threshold: int,
    total_row_index: int | None,
    total_column_index: int | None,
    fixed: frozenset[tuple[int, int]] = frozenset(),
    owner: Mapping[tuple[int, int], frozenset[int]] | None = None,
) -> dict[tuple[int, int], Rule]:
    """The suppressed cells of ``counts`` and their rules, with ``lines`` the sums readers know
    (the steps are described in `_protect`; rectangles exist only in a table of two or more
    rows and columns). Cells in ``fixed`` are known to readers anyway: never suppressed. With
    ``owner`` (a table of one row: cell → the insiders who know it), once the pattern is safe
    from readers, it is made safe from insiders too, one sum at a time
    (`_insider_complements`), then all sums together (`_Insiders`: for a count an insider can
    narrow, the first count of its sums, else of the sums linked to it, that protects it when
    suppressed too, trying `_TRIALS` in the order of the complements above), and so on."""
    n_rows, n_columns = len(counts), len(counts[0])
    lines_of: dict[tuple[int, int], list[int]] = {}
    level_of: dict[tuple[int, int], int] = {}  # in how many lines the cell is the total
    for number, line in enumerate(lines):
        for cell, sign in zip(line.cells, line.signs, strict=True):
            lines_of.setdefault(cell, []).append(number)
            level_of[cell] = level_of.get(cell, 0) + int(sign < 0)

    rules: dict[tuple[int, int], Rule] = {}
    suppressed_in = [0] * len(lines)  # suppressed cells in each line

    def suppress(cell: tuple[int, int], rule: Rule) -> None:
        rules[cell] = rule
        for number in lines_of.get(cell, []):
            suppressed_in[number] += 1

    def free_in(numbers: Iterable[int]) -> list[tuple[int, int]]:
        return [
            cell
            for number in numbers
            for cell in lines[number].cells
            if cell not in rules and counts[cell[0]][cell[1]] != 0 and cell not in fixed
        ]

    def rank(cell: tuple[int, int], fixing: int | None) -> tuple[int, int, bool, int, int, int]:
        level = level_of.get(cell, 0)
        opens = sum(
            1
            for number in lines_of.get(cell, [])
            if number != fixing and suppressed_in[number] == 0
        )
        value = counts[cell[0]][cell[1]]
        # Readers know a complement is at least the threshold, so one that is no more than
        # that has no room to move down and protects little.
        return (level, opens, value < threshold + PROTECTION_WIDTH, value, cell[0], cell[1])

    def best(candidates: list[tuple[int, int]], fixing: int | None) -> tuple[int, int]:
        return min(candidates, key=lambda cell: rank(cell, fixing))

    def box(cell: tuple[int, int]) -> list[tuple[int, int]]:
        """The cheapest other corners of a rectangle of suppressed cells through ``cell``.

        Its four corners can move together without changing any total, so once they are all
        suppressed ``cell`` can move as far as the corners' bounds let the rectangle move,
        which must be at least the width asked of it.
        """
        width = audit.required(rules[cell])
        choice: tuple[tuple[int, int, int, int, int], list[tuple[int, int]]] | None = None
        for i in range(n_rows):
            for j in range(n_columns):
                if i == cell[0] or j == cell[1]:
                    continue
                corners = [(cell[0], j), (i, cell[1]), (i, j)]
                new = [c for c in corners if c not in rules]
                if not new or any(counts[a][b] == 0 or (a, b) in fixed for a, b in new):
                    continue
                _, up, down = audit.rectangle(cell, (i, j), rules)
                if up + down < width:
                    continue
                level = sum(
                    int(a == total_row_index) + int(b == total_column_index) for a, b in new
                )
                key = (level, len(new), sum(counts[a][b] for a, b in new), i, j)
                if choice is None or key < choice[0]:
                    choice = (key, new)
        return [] if choice is None else choice[1]

    for i in range(n_rows):
        for j in range(n_columns):
            if 0 < counts[i][j] < threshold and (i, j) not in fixed:
                suppress((i, j), Rule.PRIMARY)
    audit = _Audit(counts, lines, threshold, total_row_index, total_column_index, fixed)
    insiders = _Insiders(counts[0], lines, threshold, fixed, owner) if owner else None
    # A table of one count has nothing else to hide and nothing to audit: only the rule itself
    # says anything of it (and the indicators protect thousands of such single counts).
    while n_rows * n_columns > 1:
        changed = False
        for number in range(len(lines)):
            if suppressed_in[number] == 1:
                free = free_in([number])
                if free:
                    suppress(best(free, number), Rule.SECONDARY)
                    changed = True
        if changed:
            continue
        touched: set[int] = set()
        for cell in audit.short(rules):
            own = lines_of.get(cell, [])
            if touched.intersection(own) or not audit.confirm(cell, rules):
                continue
            added = box(cell)
            if not added:
                free = free_in(own) or free_in(_linked_lines(cell, rules, lines, lines_of))
                if not free:
                    free = [
                        (i, j)
                        for i in range(n_rows)
                        for j in range(n_columns)
                        if (i, j) not in rules and counts[i][j] != 0 and (i, j) not in fixed
                    ]
                added = [best(free, None)] if free else []
            for complement in added:
                suppress(complement, Rule.SECONDARY)
                touched.update(own, lines_of.get(complement, []))
                changed = True
        if not changed and owner:
            for complement in _insider_complements(counts[0], lines, rules, audit, fixed, owner):
                suppress(complement, Rule.SECONDARY)
                changed = True
        if not changed and insiders is not None:
            touched = set()
            for cell, insider in insiders.exposed(rules, audit):
                own = lines_of.get(cell, [])
                if touched.intersection(own):
                    continue
                owned = insiders.members[insider]
                # The counts of its own sums first, then of the sums linked to it, then any,
                # each but the insider's own; the first that protects it from this insider
                # (in the order of `rank`), else the cheapest.
                near = {c for c in free_in(own) if c not in owned}
                linked = {
                    c
                    for c in free_in(_linked_lines(cell, insiders.rest[insider], lines, lines_of))
                    if c not in owned
                } - near
                free = [
                    *sorted(near, key=lambda c: rank(c, None)),
                    *sorted(linked, key=lambda c: rank(c, None)),
                ]
                if not free:
                    free = [
                        (0, j)
                        for j in range(n_columns)
                        if (0, j) not in rules
                        and counts[0][j] != 0
                        and (0, j) not in fixed
                        and (0, j) not in owned
                    ]
                if free:
                    complement = insiders.helping(cell, insider, free[:_TRIALS]) or best(free, None)
                    suppress(complement, Rule.SECONDARY)
                    touched.update(own, lines_of.get(complement, []))
                    changed = True
        if not changed:
            break
    return rules


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


def _linked_lines(
    cell: tuple[int, int],
    rules: dict[tuple[int, int], Rule],
    lines: list[_Line],
    lines_of: dict[tuple[int, int], list[int]],
) -> list[int]:
    """The lines of every suppressed cell joined to ``cell`` through lines, in order."""
    seen_cells = {cell}
    seen_lines: set[int] = set()
    queue = [cell]
    while queue:
        for number in lines_of.get(queue.pop(), []):
            if number in seen_lines:
                continue
            seen_lines.add(number)
            for other in lines[number].cells:
                if other in rules and other not in seen_cells:
                    seen_cells.add(other)
                    queue.append(other)
    return sorted(seen_lines)


# The groups of a pattern of suppressed cells (`_Audit._groups`): the pattern, its size, each
# cell's group (by a cell of it) and each group's cells in reading order.
_Grouped = tuple[
    Mapping[tuple[int, int], "Rule"],
    int,
    dict[tuple[int, int], tuple[int, int]],
    dict[tuple[int, int], list[tuple[int, int]]],
]


class _Audit:
    """The feasible interval of each suppressed cell, by linear programming.

    Suppressing one more cell only widens the other cells' intervals (every table that agreed
    with the old pattern still agrees, with that cell at its true value), so a cell found safe
    stays safe, and every table found on the way stays a witness. The audit keeps, for each
    cell, the least and greatest values seen in such tables, and solves linear programmes only
    where the spread so far is too narrow: first one that pushes all those cells up and one
    that pushes them down, then (`confirm`) the exact minimum and maximum of one cell. Each
    group of suppressed cells linked through rows and columns is solved on its own.
    """

    def __init__(
        self,
        counts: list[list[int]],
        lines: list[_Line],
        threshold: int,
        total_row: int | None,
        total_column: int | None,
        fixed: frozenset[tuple[int, int]] = frozenset(),
        signs: dict[tuple[int, int], list[tuple[int, int]]] | None = None,
    ) -> None:
        self.counts = counts
        self.fixed = fixed
        self.total_row = total_row
        self.total_column = total_column
        self.lines = lines
        self.threshold = threshold
        self.seen: dict[tuple[int, int], tuple[int, int]] = {}
        self.widest: dict[tuple[int, int], tuple[int, int]] = {}  # all non-zero suppressed
        self.hopeless: set[tuple[int, int]] = set()
        self.helped: set[tuple[int, int]] = set()
        self._grouped: _Grouped | None = None
        self._programmes: dict[tuple[tuple[int, int], ...], _Programme] = {}
        self.failures = 0  # linear programmes HiGHS gave no answer to (`_Programme.solve`)
        # cell: (line, sign) for each of its lines (``signs``: another audit's, of the same lines)
        if signs is None:
            signs = {}
            for number, line in enumerate(lines):
                for cell, sign in zip(line.cells, line.signs, strict=True):
                    signs.setdefault(cell, []).append((number, sign))
        self.signs = signs

    def required(self, rule: Rule) -> int:
        if rule is Rule.PRIMARY:
            return max(0, min(PROTECTION_WIDTH, self.threshold - 2))
        return 1

    def short(self, rules: dict[tuple[int, int], Rule]) -> list[tuple[int, int]]:
        """Suppressed cells that may be exposed, in reading order (`confirm` decides)."""
        for cell in rules:
            value = self.counts[cell[0]][cell[1]]
            self.seen.setdefault(cell, (value, value))
        pending = [cell for cell in sorted(rules) if self._short(cell, rules, self.seen)]
        self._rectangles(rules, self.seen, pending)
        pending = [cell for cell in pending if self._short(cell, rules, self.seen)]
        for group in self._groups(rules, pending):
            together = dict.fromkeys((cell for cell in group if cell in pending), 1.0)
            self._solve(rules, self.seen, group, together)
            self._solve(rules, self.seen, group, dict.fromkeys(together, -1.0))
        return [cell for cell in pending if self._short(cell, rules, self.seen)]

    def confirm(self, cell: tuple[int, int], rules: dict[tuple[int, int], Rule]) -> bool:
        """Whether ``cell`` is exposed and more suppression could protect it."""
        if cell in self.hopeless or not self._exact(cell, rules, self.seen):
            return False
        if cell in self.helped:
            # Protected once and still exposed: would it be safe if every non-zero count
            # were suppressed? If not, what gives it away is outside the table or the rule
            # itself, and suppressing more cannot help.
            every = {
                (i, j): Rule.PRIMARY if value < self.threshold else Rule.SECONDARY
                for i, row in enumerate(self.counts)
                for j, value in enumerate(row)
                if value != 0 and (i, j) not in self.fixed
            }
            for other in every:
                self.widest.setdefault(other, (self.counts[other[0]][other[1]],) * 2)
            failures = self.failures
            # Only an answer proves it hopeless: a programme HiGHS could not solve proves
            # nothing, and the cell is protected as if it could be.
            if self._exact(cell, every, self.widest) and self.failures == failures:
                self.hopeless.add(cell)
                return False
        self.helped.add(cell)
        return True

    def _short(
        self,
        cell: tuple[int, int],
        rules: dict[tuple[int, int], Rule],
        seen: dict[tuple[int, int], tuple[int, int]],
    ) -> bool:
        low, high = seen[cell]
        return high - low < self.required(rules[cell])

    def _exact(
        self,
        cell: tuple[int, int],
        rules: dict[tuple[int, int], Rule],
        seen: dict[tuple[int, int], tuple[int, int]],
    ) -> bool:
        """Solve for the cell's least and greatest values; whether its interval is too narrow."""
        self._rectangles(rules, seen, [cell])
        (group,) = self._groups(rules, [cell])
        for direction in (-1.0, 1.0):
            if self._short(cell, rules, seen):
                self._solve(rules, seen, group, {cell: direction}, alone=cell)
        return self._short(cell, rules, seen)

    def _bounds(self, cell: tuple[int, int], rule: Rule) -> tuple[int, float]:
        """What readers know of a suppressed cell before they look at the totals."""
        if rule is Rule.PRIMARY:
            return 1, self.threshold - 1
        return self.threshold, math.inf

    def rectangle(
        self,
        cell: tuple[int, int],
        opposite: tuple[int, int],
        rules: Mapping[tuple[int, int], Rule],
    ) -> tuple[tuple[tuple[tuple[int, int], int], ...], float, float]:
        """The corners of the rectangle from ``cell`` to ``opposite``, each with the direction
        it moves in when ``cell`` goes up, and how far ``cell`` can go up and down."""
        (i, j), (i2, j2) = cell, opposite

        def side(index: int, total: int | None) -> int:
            return -1 if index == total else 1

        a = -side(i, self.total_row) * side(i2, self.total_row)
        b = -side(j, self.total_column) * side(j2, self.total_column)
        corners = ((cell, 1), ((i, j2), b), ((i2, j), a), (opposite, a * b))
        up = down = math.inf
        for corner, sign in corners:
            low, high = self._bounds(corner, rules.get(corner, Rule.SECONDARY))
            value = self.counts[corner[0]][corner[1]]
            above, below = high - value, value - low
            up = min(up, above if sign > 0 else below)
            down = min(down, below if sign > 0 else above)
        return corners, up, down

    def _rectangles(
        self,
        rules: dict[tuple[int, int], Rule],
        seen: dict[tuple[int, int], tuple[int, int]],
        cells: list[tuple[int, int]],
    ) -> None:
        """Widen ``seen`` by moving rectangles of suppressed cells, without a linear programme.

        Four suppressed cells at the corners of a rectangle can move together without changing
        any total (inner corners up, down, down, up; a total moves with the cells it adds up),
        as far as the corners' bounds allow: each such move is a table readers cannot rule out.
        """
        if len(self.counts) < 2:
            return  # one row (counts tied by relations, `protect_linked`): no rectangles
        in_row: dict[int, list[int]] = {}
        in_column: dict[int, list[int]] = {}
        for i, j in sorted(rules):
            in_row.setdefault(i, []).append(j)
            in_column.setdefault(j, []).append(i)
            value = self.counts[i][j]
            seen.setdefault((i, j), (value, value))

        for i, j in cells:
            for j2 in in_row[i]:
                for i2 in in_column[j]:
                    if j2 == j or i2 == i or (i2, j2) not in rules:
                        continue
                    if not self._short((i, j), rules, seen):
                        break
                    corners, up, down = self.rectangle((i, j), (i2, j2), rules)
                    for corner, sign in corners:
                        value = self.counts[corner[0]][corner[1]]
                        ends = (value + sign * up, value - sign * down)
                        low, high = seen[corner]
                        seen[corner] = (
                            int(max(-_UNBOUNDED, min(low, *ends))),
                            int(min(_UNBOUNDED, max(high, *ends))),
                        )

    def _groups(
        self, rules: dict[tuple[int, int], Rule], cells: list[tuple[int, int]]
    ) -> list[list[tuple[int, int]]]:
        """The groups of suppressed cells, linked through lines, that hold ``cells``."""
        grouped = self._grouped
        if grouped is None or grouped[0] is not rules or grouped[1] != len(rules):
            # Suppressed cells are only ever added, so the same dict at the same length holds
            # the same cells (it is kept here, so its id is not another's meanwhile).
            parent = {cell: cell for cell in rules}

            def root(cell: tuple[int, int]) -> tuple[int, int]:
                while parent[cell] != cell:
                    parent[cell] = parent[parent[cell]]
                    cell = parent[cell]
                return cell

            first: dict[int, tuple[int, int]] = {}  # each line's first suppressed cell
            for cell in rules:
                for number, _ in self.signs.get(cell, ()):
                    if number in first:
                        parent[root(cell)] = root(first[number])
                    else:
                        first[number] = cell
            roots = {cell: root(cell) for cell in rules}
            groups: dict[tuple[int, int], list[tuple[int, int]]] = {}
            for cell in sorted(rules):
                groups.setdefault(roots[cell], []).append(cell)
            grouped = self._grouped = (rules, len(rules), roots, groups)
        _, _, roots, groups = grouped
        wanted = {roots[cell] for cell in cells}
        return [groups[top] for top in sorted(wanted, key=lambda top: groups[top][0])]

    def _one_line(
        self,
        rules: dict[tuple[int, int], Rule],
        seen: dict[tuple[int, int], tuple[int, int]],
        group: list[tuple[int, int]],
        signs: list[int],
    ) -> None:
        """Widen ``seen`` to each cell's least and greatest values when the group's cells are
        tied by one sum only (in order, with their signs in it): the cell takes up what the
        others, each within its bounds, leave of their sum. Both ends are reached by tables
        that agree with what is published (the bounds are whole numbers), so this is what
        linear programming would find."""
        truth = [self.counts[i][j] for i, j in group]
        total = sum(sign * value for sign, value in zip(signs, truth, strict=True))
        spans = []
        for cell, sign in zip(group, signs, strict=True):
            low, high = self._bounds(cell, rules[cell])
            ends = (sign * low, sign * high)
            spans.append((min(ends), max(ends)))

        lows = [low for low, _ in spans]
        highs = [high for _, high in spans]

        def leave_out(ends: list[float]) -> Callable[[int], float]:
            """The sum of ``ends`` but one (infinite ends, all of one sign, kept apart)."""
            finite = sum(end for end in ends if not math.isinf(end))
            infinite = [end for end in ends if math.isinf(end)]

            def others(number: int) -> float:
                end = ends[number]
                if math.isinf(end):
                    return infinite[1] if len(infinite) > 1 else finite
                return infinite[0] if infinite else finite - end

            return others

        others_low_of, others_high_of = leave_out(lows), leave_out(highs)
        for number, (cell, sign) in enumerate(zip(group, signs, strict=True)):
            value = truth[number]
            seen.setdefault(cell, (value, value))
            # sign * x = total - (sum of the others), the others within their spans
            others_low, others_high = others_low_of(number), others_high_of(number)
            reach = sorted(((total - others_high) * sign, (total - others_low) * sign))
            low, high = self._bounds(cell, rules[cell])
            lowest = max(low, reach[0])
            highest = min(high, reach[1])
            seen_low, seen_high = seen[cell]
            seen[cell] = (
                min(seen_low, int(lowest)),
                max(seen_high, _UNBOUNDED if math.isinf(highest) else int(highest)),
            )

    def _solve(
        self,
        rules: dict[tuple[int, int], Rule],
        seen: dict[tuple[int, int], tuple[int, int]],
        group: list[tuple[int, int]],
        weights: dict[tuple[int, int], float],
        alone: tuple[int, int] | None = None,
    ) -> None:
        """Optimise the weighted sum of ``group``'s cells; widen ``seen`` with the answer."""
        column = {cell: k for k, cell in enumerate(group)}
        row: dict[int, int] = {}
        entries = [
            (row.setdefault(number, len(row)), column[cell], sign)
            for cell in group
            for number, sign in self.signs.get(cell, ())
        ]
        if not row:
            # In no sum (a count published on its own): each cell ranges over its bounds.
            for cell in group:
                value = self.counts[cell[0]][cell[1]]
                low, high = self._bounds(cell, rules[cell])
                seen_low, seen_high = seen.setdefault(cell, (value, value))
                seen[cell] = (
                    min(seen_low, int(low)),
                    max(seen_high, _UNBOUNDED if math.isinf(high) else int(high)),
                )
            return
        if len(row) == 1:
            self._one_line(rules, seen, group, [sign for _, _, sign in entries])
            return
        for cell in group:
            value = self.counts[cell[0]][cell[1]]
            seen.setdefault(cell, (value, value))
        key = tuple(group)
        programme = self._programmes.pop(key, None)
        if programme is None:
            programme = _Programme(
                [self.counts[i][j] for i, j in group],
                [self._bounds(cell, rules[cell]) for cell in group],
                len(row),
                entries,
            )
            if len(self._programmes) >= _PROGRAMMES:
                self._programmes.pop(next(iter(self._programmes)))  # the least recently used
        self._programmes[key] = programme
        outcome = programme.solve({column[cell]: weight for cell, weight in weights.items()})
        if outcome is None:  # no answer: the intervals stay as narrow as they were
            self.failures += 1
            return
        if isinstance(outcome, str):  # no maximum: as wide as can be
            if alone is not None:
                seen[alone] = (seen[alone][0], _UNBOUNDED)
            return
        for cell, answer in zip(group, outcome, strict=True):
            low, high = seen[cell]
            seen[cell] = (
                min(low, math.ceil(answer - _LP_TOLERANCE)),
                max(high, math.floor(answer + _LP_TOLERANCE)),
            )


# Linear programmes kept by an audit for the groups it solves again (`_Programme`).
_PROGRAMMES = 16
_NO_MINIMUM = "no minimum"


class _Programme:
    """The linear programme of one group of suppressed cells, kept for solving again with
    another objective: HiGHS starts again from the last answer's basis (the constraints have
    not changed), which is many times quicker than starting afresh. Now and then (about 3 in
    1,000 solves) that ends with no answer, status unknown, where a fresh start finds one
    (ERGO-Code/HiGHS#1528): the solve is then run again from scratch.

    ``entries`` are (row, column, sign) of the sums; each sum holds at the true counts."""

    def __init__(
        self,
        truth: list[int],
        bounds: list[tuple[int, float]],
        rows: int,
        entries: list[tuple[int, int, int]],
    ) -> None:
        import highspy
        import numpy as np

        # The solver without highspy's callbacks (its base class, with the same methods):
        # `highspy.Highs` prints a banner on standard output when it sets them up, before
        # output can be turned off, and the command line's output must stay the command's.
        self.highs = cast("highspy.Highs", highspy._Highs())  # type: ignore[attr-defined]
        self.highs.setOptionValue("output_flag", False)
        self.status = highspy.HighsModelStatus
        infinite = highspy.kHighsInf
        self.size = len(truth)
        self.columns = np.arange(self.size, dtype=np.int32)
        self.highs.addVars(
            self.size,
            np.array([low for low, _ in bounds], dtype=float),
            np.array([infinite if math.isinf(high) else high for _, high in bounds], dtype=float),
        )
        by_row: list[list[tuple[int, int]]] = [[] for _ in range(rows)]
        for i, j, sign in entries:
            by_row[i].append((j, sign))
        starts: list[int] = []
        indices: list[int] = []
        values: list[float] = []
        sums: list[float] = []
        for members in by_row:
            starts.append(len(indices))
            indices.extend(j for j, _ in members)
            values.extend(float(sign) for _, sign in members)
            sums.append(float(sum(sign * truth[j] for j, sign in members)))
        self.highs.addRows(
            rows,
            np.array(sums),
            np.array(sums),
            len(indices),
            np.array(starts, dtype=np.int32),
            np.array(indices, dtype=np.int32),
            np.array(values),
        )

    def solve(self, weights: Mapping[int, float]) -> list[float] | str | None:
        """Minimise the weighted sum of the columns: their values, `_NO_MINIMUM` when there is
        no minimum, or ``None`` when HiGHS finds no answer."""
        import numpy as np

        costs = np.zeros(self.size)
        for j, weight in weights.items():
            costs[j] = weight
        self.highs.changeColsCost(self.size, self.columns, costs)
        for fresh in (False, True):
            if fresh:
                self.highs.clearSolver()  # forget the basis: start from scratch
            self.highs.run()
            status = self.highs.getModelStatus()
            if status == self.status.kOptimal:
                return list(self.highs.getSolution().col_value)
            if status in (self.status.kUnbounded, self.status.kUnboundedOrInfeasible):
                return _NO_MINIMUM  # the true counts are an answer, so it is not infeasible
        return None


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
