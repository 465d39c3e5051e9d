from __future__ import annotations

import subprocess
import sys
from typing import Any, cast

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from scrutiny.analysis.sdc import (
    DEFAULT_THRESHOLD,
    PROTECTION_WIDTH,
    CountTable,
    DisclosureTableError,
    ProtectedRate,
    ProtectedTable,
    Relation,
    Rule,
    Suppression,
    protect_linked,
    protect_rates,
    protect_table,
)

Cell = tuple[int, int]


def with_totals(counts: list[list[int]], *, row: bool = True, column: bool = True) -> CountTable:
    """A table with labels r0, r1, … and c0, c1, …, and a "Total" row and/or column added."""
    body = [list(line) for line in counts]
    row_labels = [f"r{i}" for i in range(len(body))]
    column_labels = [f"c{j}" for j in range(len(body[0]))]
    if column:
        for line in body:
            line.append(sum(line))
        column_labels.append("Total")
    if row:
        body.append([sum(values) for values in zip(*body, strict=True)])
        row_labels.append("Total")
    return CountTable(
        row_labels=row_labels,
        column_labels=column_labels,
        counts=body,
        total_row="Total" if row else None,
        total_column="Total" if column else None,
    )


def hidden(protected: ProtectedTable) -> set[Cell]:
    return {
        (i, j)
        for i, line in enumerate(protected.values)
        for j, value in enumerate(line)
        if value is None
    }


def lines_of(table: CountTable) -> list[list[tuple[Cell, int]]]:
    """Each row and column (with two or more cells) as (cell, sign): -1 marks its total cell."""
    rows, columns = len(table.row_labels), len(table.column_labels)
    total_row = table.row_labels.index(table.total_row) if table.total_row else None
    total_column = table.column_labels.index(table.total_column) if table.total_column else None
    lines = [
        [((i, j), -1 if j == total_column else 1) for j in range(columns)] for i in range(rows)
    ]
    lines += [[((i, j), -1 if i == total_row else 1) for i in range(rows)] for j in range(columns)]
    return [line for line in lines if len(line) >= 2]


def worked_out(table: CountTable, suppressed: set[Cell]) -> set[Cell]:
    """Suppressed cells a reader could compute exactly from the row and column totals.

    Independent of the gate's own check: a cell is determined when its unit vector lies in the
    row space of the line equations restricted to the suppressed cells (a rank test).
    """
    cells = sorted(suppressed)
    position = {cell: k for k, cell in enumerate(cells)}
    system = np.zeros((len(lines_of(table)), len(cells)))
    for r, line in enumerate(lines_of(table)):
        for cell, sign in line:
            if cell in position:
                system[r, position[cell]] = sign
    rank = np.linalg.matrix_rank(system) if system.size else 0
    found = set()
    for cell in cells:
        unit = np.zeros(len(cells))
        unit[position[cell]] = 1
        if np.linalg.matrix_rank(np.vstack([system, unit])) == rank:
            found.add(cell)
    return found


def intervals(
    table: CountTable, rules: dict[Cell, Rule], threshold: int
) -> dict[Cell, tuple[float, float]]:
    """The least and greatest value of each suppressed count over every table a reader cannot
    rule out: the shown counts as they are, every row and column adding up to its (known)
    total, a primary count from 1 to threshold - 1, a secondary count at least the threshold.

    Independent of the gate's own audit: one linear programme per end of each interval, over
    all the cells of the table.
    """
    cells = [(i, j) for i in range(len(table.row_labels)) for j in range(len(table.column_labels))]
    position = {cell: k for k, cell in enumerate(cells)}
    truth = np.array([table.counts[i][j] for i, j in cells], dtype=float)
    system = np.zeros((len(lines_of(table)), len(cells)))
    for r, line in enumerate(lines_of(table)):
        for cell, sign in line:
            system[r, position[cell]] = sign
    bounds = [
        (1, threshold - 1)
        if rules.get(cell) is Rule.PRIMARY
        else (threshold, None)
        if rules.get(cell) is Rule.SECONDARY
        else (truth[position[cell]], truth[position[cell]])
        for cell in cells
    ]
    found = {}
    for cell in rules:
        ends = []
        for direction in (1, -1):
            objective = np.zeros(len(cells))
            objective[position[cell]] = direction
            result = linprog(objective, A_eq=system, b_eq=system @ truth, bounds=bounds)
            ends.append(np.inf if result.status == 3 else direction * result.fun)
        found[cell] = (ends[0], ends[1])
    return found


def required(rule: Rule, threshold: int) -> int:
    """How wide a suppressed count's interval must be (the module's protection rule)."""
    if rule is Rule.PRIMARY:
        return max(0, min(PROTECTION_WIDTH, threshold - 2))
    return 1


def rules_of(table: CountTable, protected: ProtectedTable) -> dict[Cell, Rule]:
    return {
        (table.row_labels.index(s.row), table.column_labels.index(s.column)): s.rule
        for s in protected.suppressions
    }


def too_narrow(table: CountTable, rules: dict[Cell, Rule], threshold: int) -> set[Cell]:
    return {
        cell
        for cell, (low, high) in intervals(table, rules, threshold).items()
        if high - low < required(rules[cell], threshold) - 1e-6
    }


def test_it_suppresses_a_small_count_and_protects_it_from_the_totals() -> None:
    """
    Given a table with a cell of 3 children, and row and column totals
    When it passes the disclosure gate
    Then the 3, and the cells that would give it away, are suppressed; the rest are shown
    """
    table = with_totals([[3, 10, 12], [20, 2, 30], [15, 16, 40]])
    protected = protect_table(table)
    assert protected.text() == (
        ("*", "*", "12", "25"),
        ("*", "*", "30", "52"),
        ("15", "16", "40", "71"),
        ("38", "28", "82", "148"),
    )
    assert protected.suppressions == (
        Suppression("r0", "c0", Rule.PRIMARY),
        Suppression("r0", "c1", Rule.SECONDARY),
        Suppression("r1", "c0", Rule.SECONDARY),
        Suppression("r1", "c1", Rule.PRIMARY),
    )


def test_it_chooses_the_smallest_complementary_cell() -> None:
    """
    Given a row 2, 40, 9, 30 without totals in the table
    When the 2 is suppressed
    Then the 9 is its complement in the row, and the column of the 2 gets its smallest too
    """
    protected = protect_table(
        CountTable(["a", "b"], ["w", "x", "y", "z"], [[2, 40, 9, 30], [50, 60, 70, 80]])
    )
    assert protected.text() == (("*", "40", "*", "30"), ("*", "60", "*", "80"))


def test_it_shows_zero() -> None:
    protected = protect_table(with_totals([[0, 10], [20, 30]]))
    assert protected.values[0][0] == 0
    assert protected.suppressions == ()


def test_it_suppresses_a_small_total_like_any_other_count() -> None:
    """A row total of 3 is a count of 3 children, with its cells 1 and 2."""
    protected = protect_table(with_totals([[1, 2, 0], [20, 30, 40], [25, 35, 45]]))
    rules = {(s.row, s.column): s.rule for s in protected.suppressions}
    assert rules["r0", "Total"] is Rule.PRIMARY
    assert rules["r0", "c0"] is Rule.PRIMARY
    assert rules["r0", "c1"] is Rule.PRIMARY
    assert not worked_out(with_totals([[1, 2, 0], [20, 30, 40], [25, 35, 45]]), hidden(protected))


def test_the_threshold_is_a_parameter() -> None:
    table = with_totals([[6, 10, 20], [9, 30, 40]], row=False, column=False)
    assert DEFAULT_THRESHOLD == 5
    assert protect_table(table).suppressions == ()
    # 10 and 30 would be secondary, so at least 10, which pins the 6 and the 9: the 20 and the
    # 40 have room to move.
    assert protect_table(table, threshold=10).text() == (("*", "10", "*"), ("*", "30", "*"))


def test_a_threshold_of_one_suppresses_nothing() -> None:
    assert protect_table(with_totals([[1, 2], [3, 4]]), threshold=1).suppressions == ()


def test_it_protects_cells_that_rows_and_columns_alone_would_not() -> None:
    """
    Given two blocks of small counts joined by one small count (a "bridge")
    When every row and column already has two or more suppressed cells
    Then the bridge could still be worked out from the totals, so more cells are suppressed
    """
    counts = [
        [1, 2, 50, 60, 70],
        [3, 4, 2, 80, 90],
        [55, 65, 1, 2, 75],
        [85, 95, 3, 4, 99],
        [40, 45, 47, 49, 51],
    ]
    table = with_totals(counts)
    primaries = {
        (i, j) for i, line in enumerate(counts) for j, value in enumerate(line) if value < 5
    }
    assert (1, 2) in worked_out(table, primaries)
    protected = protect_table(table)
    assert hidden(protected) > primaries
    assert worked_out(table, hidden(protected)) == set()


# Rows whose totals are small and whose cells readers know are at least 1: the pattern the old
# gate chose (one complement per row and column) left the 4s and 8s with a single possible value.
PINNED = [[4, 8, 20], [4, 8, 20], [20, 10, 20]]
PINNED_BEFORE = {(0, 0), (0, 1), (1, 0), (1, 1)}


def test_it_protects_counts_that_readers_could_pin_down_with_what_they_know() -> None:
    """
    Given a table whose small counts, with their one complement in each row and column, could
    each be worked out by a reader who knows a suppressed count is at least 1
    When it passes the disclosure gate
    Then no suppressed count can be narrowed below its protection width, even knowing that a
    primary count is at most 4 and a secondary one at least 5
    """
    table = with_totals(PINNED)
    before = {
        cell: Rule.PRIMARY if table.counts[cell[0]][cell[1]] < 5 else Rule.SECONDARY
        for cell in PINNED_BEFORE
    }
    assert {low for low, high in intervals(table, before, 5).values() if low == high} == {4, 8}

    protected = protect_table(table)
    rules = rules_of(table, protected)
    assert set(rules) > PINNED_BEFORE
    assert too_narrow(table, rules, 5) == set()
    for cell, (low, high) in intervals(table, rules, 5).items():
        assert high > low, cell


def test_it_keeps_a_pattern_that_is_already_safe() -> None:
    """A table the gate protected well before is published as it was."""
    table = with_totals([[3, 10, 12], [20, 2, 30], [15, 16, 40]])
    rules = rules_of(table, protect_table(table))
    assert set(rules) == {(0, 0), (0, 1), (1, 0), (1, 1)}
    assert too_narrow(table, rules, 5) == set()


def test_it_never_suppresses_a_zero() -> None:
    """
    Given a row whose only other cell is a zero
    When its small count is suppressed
    Then the zero stays shown: suppressed, it would be known to be 0 or at least the threshold
    """
    protected = protect_table(CountTable(["a", "b"], ["x", "y"], [[3, 0], [0, 20]]))
    assert protected.values[0][1] == 0
    assert protected.values[1][0] == 0


def test_it_protects_a_30_by_12_table_quickly() -> None:
    import random
    import time

    generator = random.Random(7)
    counts = [
        [
            generator.choice([1, 2, 3, 4])
            if generator.random() < 0.1
            else generator.choice([0, 5, 6, 8, 10, 12, 15, 20, 30, 45])
            for _ in range(12)
        ]
        for _ in range(30)
    ]
    table = with_totals(counts)
    protect_table(with_totals([[1, 2], [3, 4]]))  # SciPy loaded
    started = time.process_time()
    protected = protect_table(table)
    assert time.process_time() - started < 1.0  # about 0.05 s; generous for shared machines
    assert too_narrow(table, rules_of(table, protected), 5) == set()


def test_it_records_the_rules_for_the_notes_under_the_table() -> None:
    protected = protect_table(with_totals([[3, 10], [20, 30]]))
    assert protected.rules_applied() == (Rule.PRIMARY, Rule.SECONDARY)
    assert protected.statements() == (
        "Counts from 1 to 4 are suppressed (shown as *).",
        "Further counts are suppressed so that suppressed counts cannot be worked out from totals.",
    )


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        (
            CountTable(["Ayr", "Troon"], ["boys", "girls"], [[3, -1], [4, 5]]),
            "row 'Ayr', column 'girls': -1 is negative, and a count cannot be",
        ),
        (
            CountTable(["Ayr", "Troon"], ["boys", "girls"], [[3, 1], [4.5, 5]]),
            "row 'Troon', column 'boys': 4.5 is not a whole number",
        ),
        (
            CountTable(["Ayr"], ["boys"], [["many"]]),  # type: ignore[list-item]
            "row 'Ayr', column 'boys': 'many' is not a number",
        ),
        (
            CountTable(["Ayr", "Total"], ["boys", "girls"], [[3, 1], [3, 2]], total_row="Total"),
            "the total row 'Total' does not add up in column 'girls': "
            "the rows above sum to 1 but the total says 2",
        ),
        (
            CountTable(["Ayr", "Troon"], ["boys", "All"], [[3, 3], [4, 5]], total_column="All"),
            "the total column 'All' does not add up in row 'Troon': "
            "the columns sum to 4 but the total says 5",
        ),
        (
            CountTable(["Ayr"], ["boys"], [[3]], total_row="Total"),
            "there is no row labelled 'Total'; the rows are: Ayr",
        ),
        (
            CountTable(["Ayr", "Ayr"], ["boys"], [[3], [4]]),
            "the row label 'Ayr' appears more than once",
        ),
        (
            CountTable(["Ayr"], ["boys", "girls"], [[3]]),
            "row 'Ayr' has 1 counts but the table has 2 columns",
        ),
    ],
)
def test_it_rejects_a_table_it_cannot_protect(table: CountTable, problem: str) -> None:
    with pytest.raises(DisclosureTableError) as raised:
        protect_table(table)
    assert str(raised.value) == problem


def test_it_accepts_whole_numbers_written_as_decimals() -> None:
    table = CountTable(["Ayr", "Troon"], ["boys", "girls"], [[3.0, 10.0], [20.0, 30.0]])
    assert protect_table(table).values == ((None, None), (None, None))


def test_it_suppresses_rates_built_on_suppressed_counts() -> None:
    rates = protect_rates(
        numerators=[None, 12, 30, 3, 0], denominators=[40, None, 60, 100, 50], per=100
    )
    assert rates == (
        ProtectedRate(None, Rule.RATE),
        ProtectedRate(None, Rule.RATE),
        ProtectedRate(50.0),
        ProtectedRate(None, Rule.RATE),  # a raw count of 3 is suppressed too
        ProtectedRate(0.0),
    )


@pytest.mark.parametrize(
    ("numerators", "denominators", "problem"),
    [
        ([1, 2], [10], "there are 2 numerators but 1 denominators"),
        ([10], [0], "the denominator at position 1 is 0: there is no rate to publish"),
        ([-6], [10], "the numerator at position 1 is negative: -6"),
    ],
)
def test_it_rejects_rates_that_cannot_be_computed(
    numerators: list[int | None], denominators: list[int | None], problem: str
) -> None:
    with pytest.raises(DisclosureTableError) as raised:
        protect_rates(numerators=numerators, denominators=denominators)
    assert str(raised.value) == problem


small_counts = st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 8, 12, 25, 60, 150])


@st.composite
def tables(draw: st.DrawFn) -> CountTable:
    rows = draw(st.integers(min_value=2, max_value=6))
    columns = draw(st.integers(min_value=2, max_value=6))
    counts = draw(
        st.lists(
            st.lists(small_counts, min_size=columns, max_size=columns),
            min_size=rows,
            max_size=rows,
        )
    )
    return with_totals(counts, row=draw(st.booleans()), column=draw(st.booleans()))


@settings(max_examples=200, deadline=None)
@given(table=tables(), threshold=st.integers(min_value=1, max_value=10))
def test_no_suppressed_count_can_be_narrowed_and_nothing_else_changes(
    table: CountTable, threshold: int
) -> None:
    protected = protect_table(table, threshold=threshold)
    suppressed = hidden(protected)
    rules = rules_of(table, protected)
    assert set(rules) == suppressed
    for i, counts in enumerate(table.counts):
        for j, count in enumerate(counts):
            published = protected.values[i][j]
            assert published is None or published == count
            assert published is None or not 0 < published < threshold
            assert (rules.get((i, j)) is Rule.PRIMARY) == (0 < count < threshold)
            assert published is not None or count != 0
    # Every suppressed count's interval is wide enough, unless it would be too narrow even with
    # every non-zero count suppressed (a small total given elsewhere, or the rule, gives it away).
    exposed = too_narrow(table, rules, threshold)
    if exposed:
        every = {
            (i, j): Rule.PRIMARY if count < threshold else Rule.SECONDARY
            for i, counts in enumerate(table.counts)
            for j, count in enumerate(counts)
            if count != 0
        }
        assert exposed <= too_narrow(table, every, threshold)


def test_a_table_seen_before_is_not_protected_again() -> None:
    from scrutiny.analysis import sdc

    def table() -> CountTable:
        return CountTable(row_labels=["a"], column_labels=["x", "y", "z"], counts=[[3, 20, 12]])

    first = protect_table(table(), threshold=5)
    assert protect_table(table(), threshold=5) is first  # kept: no linear programmes again
    assert first == sdc._protect(table(), threshold=5)
    assert protect_table(table(), threshold=10) is not first  # another threshold, another key


class _Unsure:
    """A HiGHS solver that ends its first ``times`` runs with status unknown, as a solve from
    the last basis now and then does (ERGO-Code/HiGHS#1528)."""

    def __init__(self, highs: Any, times: int) -> None:
        self.highs, self.times, self.runs = highs, times, 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.highs, name)

    def run(self) -> Any:
        self.runs += 1
        return self.highs.run()

    def getModelStatus(self) -> Any:  # HiGHS's name
        import highspy

        if self.runs <= self.times:
            return highspy.HighsModelStatus.kUnknown
        return self.highs.getModelStatus()


def test_a_solve_without_an_answer_is_run_again_from_scratch() -> None:
    from scrutiny.analysis.sdc import _Programme

    # x0 + x1 = 10, x0 - x2 = 1, each from 1 to 9: the least x0 is 2 (x2 at its lowest, 1).
    programme = _Programme(
        [4, 6, 3], [(1, 9), (1, 9), (1, 9)], 2, [(0, 0, 1), (0, 1, 1), (1, 0, 1), (1, 2, -1)]
    )
    unsure = _Unsure(programme.highs, times=1)
    programme.highs = cast(Any, unsure)
    answer = programme.solve({0: 1.0})
    assert isinstance(answer, list) and round(answer[0]) == 2
    assert unsure.runs == 2  # once from the last basis, once from scratch


def test_a_programme_without_an_answer_never_proves_a_count_hopeless() -> None:
    from scrutiny.analysis import sdc

    # Counts 3 + 2 + 40 + 50 = 95 and 3 + 40 = 43. With 3 and 2 suppressed, the second sum
    # gives the 3 away; with every count suppressed it would not, so more suppression can
    # protect it. When HiGHS gives no answer at all, nothing is proved either way: the count
    # is treated as one that suppression can protect, never as hopeless.
    counts = [[3, 2, 40, 50, 95, 43]]
    cells = [(0, k) for k in range(6)]
    lines = [
        sdc._Line((cells[0], cells[1], cells[2], cells[3], cells[4]), (1, 1, 1, 1, -1)),
        sdc._Line((cells[0], cells[2], cells[5]), (1, 1, -1)),
    ]
    audit = sdc._Audit(counts, lines, 5, None, None)
    rules = {cells[0]: Rule.PRIMARY, cells[1]: Rule.PRIMARY}
    audit.seen.update({cells[0]: (3, 3), cells[1]: (2, 2)})  # what the truth shows
    made = sdc._Programme

    def failing(*args: Any) -> Any:
        programme = made(*args)
        programme.highs = cast(Any, _Unsure(programme.highs, times=10**6))
        return programme

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sdc, "_Programme", failing)
        audit.helped.add((0, 0))  # protected once already: the hopeless test is due
        assert audit.confirm((0, 0), rules)
    assert audit.failures > 0
    assert (0, 0) not in audit.hopeless


def test_the_linear_programmes_print_nothing() -> None:
    # The command line's output is the command's: the solver must not write its banner there
    # (highspy's `Highs` does when it is made; a new process, so that it is the first one).
    script = (
        "from scrutiny.analysis import sdc\n"
        "table = sdc.CountTable(row_labels=['a', 'b', 'c'], column_labels=['x', 'y', 'z'],\n"
        "    counts=[[1, 20, 30], [2, 40, 50], [30, 60, 70]])\n"
        "protected = sdc.protect_table(table, threshold=5)\n"
        "assert len(protected.suppressions) >= 4, protected.suppressions\n"
        "print('done')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout == "done\n"
    assert done.stderr == ""


# --- counts tied by relations (protect_linked) --------------------------------------------------


def linked_intervals(
    counts: list[int], relations: list[Relation], rules: dict[int, Rule], threshold: int
) -> dict[int, tuple[float, float]]:
    """Each suppressed count's least and greatest value over all counts a reader cannot rule
    out: shown counts as they are, every relation holding, primary counts from 1 to
    threshold - 1, secondary counts at least the threshold. One linear programme per end, over
    every count (independent of the gate's audit)."""
    system = np.zeros((len(relations), len(counts)))
    for r, relation in enumerate(relations):
        for position in relation.plus:
            system[r, position] += 1
        for position in relation.minus:
            system[r, position] -= 1
    truth = np.array(counts, dtype=float)
    bounds = [
        (1, threshold - 1)
        if rules.get(k) is Rule.PRIMARY
        else (threshold, None)
        if rules.get(k) is Rule.SECONDARY
        else (value, value)
        for k, value in enumerate(counts)
    ]
    found = {}
    for cell in rules:
        ends = []
        for direction in (1, -1):
            objective = np.zeros(len(counts))
            objective[cell] = direction
            result = linprog(
                objective,
                A_eq=system if relations else None,
                b_eq=system @ truth if relations else None,
                bounds=bounds,
            )
            ends.append(np.inf if result.status == 3 else direction * result.fun)
        found[cell] = (ends[0], ends[1])
    return found


def linked_too_narrow(
    counts: list[int], relations: list[Relation], rules: dict[int, Rule], threshold: int
) -> set[int]:
    return {
        cell
        for cell, (low, high) in linked_intervals(counts, relations, rules, threshold).items()
        if high - low < required(rules[cell], threshold) - 1e-6
    }


def test_linked_counts_protect_a_part_against_two_totals() -> None:
    # Children looked after: total 29 = home 2 + away 27; away = kinship 10 + foster 12
    # + adopters 0 + other community 2 + residential 3. Hiding "home" alone is not enough:
    # total - away gives it back, so "away" goes too.
    counts = [29, 2, 27, 10, 12, 0, 2, 3]
    relations = [Relation(plus=(1, 2), minus=(0,)), Relation(plus=(3, 4, 5, 6, 7), minus=(2,))]
    rules = protect_linked(counts, relations, threshold=5)
    assert rules[1] is Rule.PRIMARY
    assert rules[2] is Rule.SECONDARY
    assert {rules[6], rules[7]} == {Rule.PRIMARY}
    assert 0 not in rules and 5 not in rules  # the total, and the zero, stay shown
    assert linked_too_narrow(counts, relations, rules, 5) == set()


def test_linked_counts_protect_a_stock_from_its_flows_year_on_year() -> None:
    # Register: 7 last year, 4 this year (small), 8 next year; registrations 7 then 6,
    # de-registrations 10 then 2: last year + registrations - de-registrations = this year.
    counts = [7, 7, 10, 4, 6, 2, 8]
    relations = [Relation(plus=(0, 1), minus=(3, 2)), Relation(plus=(3, 4), minus=(6, 5))]
    rules = protect_linked(counts, relations, threshold=5)
    assert rules[3] is Rule.PRIMARY and rules[5] is Rule.PRIMARY
    assert linked_too_narrow(counts, relations, rules, 5) == set()
    # Without the relations, only the small counts would be hidden, and 7 + 7 - 10 = 4.
    assert set(protect_linked(counts, [], threshold=5)) == {3, 5}


def test_known_counts_are_never_suppressed() -> None:
    # Two parts of a total (20) and what the parts shown leave over (5), known to readers.
    counts = [20, 3, 12, 5]
    relations = [Relation(plus=(1, 2, 3), minus=(0,))]
    rules = protect_linked(counts, relations, threshold=5, known=[3])
    assert 3 not in rules
    assert rules == {1: Rule.PRIMARY, 2: Rule.SECONDARY}


def test_linked_counts_refuse_a_relation_that_does_not_hold() -> None:
    with pytest.raises(DisclosureTableError, match="relation 1 does not hold: 5 on one side"):
        protect_linked([3, 2, 9], [Relation(plus=(0, 1), minus=(2,))])
    with pytest.raises(DisclosureTableError, match="refers to position 7, but there are 3"):
        protect_linked([3, 2, 5], [Relation(plus=(0, 7), minus=(2,))])


def test_an_insider_cannot_work_out_another_s_count_from_a_shared_total() -> None:
    # Four councils and Scotland: councils A (3) and B (2) are small. The public cannot tell
    # them apart (3 + 2 = 5 between them), but A's staff know A's 3, and so B's 2: a third
    # council is hidden too.
    counts = [3, 2, 40, 50, 95]
    relations = [Relation(plus=(0, 1, 2, 3), minus=(4,))]
    assert protect_linked(counts, relations, threshold=5) == {0: Rule.PRIMARY, 1: Rule.PRIMARY}
    rules = protect_linked(counts, relations, threshold=5, insiders=[[0], [1], [2], [3]])
    assert rules == {0: Rule.PRIMARY, 1: Rule.PRIMARY, 2: Rule.SECONDARY}
    for own in (0, 1, 2):
        known = {k: r for k, r in rules.items() if k != own}
        assert linked_too_narrow(counts, relations, known, 5) == set(), own


def test_an_insider_cannot_read_two_sums_together_to_narrow_another_s_count() -> None:
    # Sum 1: counts 0 + 1 + 2 + 3 + 5 = 6 (0 + 1 + 0 + 0 + 4 = 5); sum 2: 0 + 1 = 7 + 2
    # (0 + 1 = 1 + 0). With a threshold of 3, counts 1 and 7 (both 1) are small, and count 5
    # protects count 1 in sum 1. Whoever knows count 7 learns count 1 from sum 2 (a zero is
    # shown, so nothing can hide it), and then count 5 from sum 1, although sum 1 alone
    # leaves count 5 a choice of two values: the total of sum 1 is hidden too.
    counts = [0, 1, 0, 0, 0, 4, 5, 1]
    relations = [Relation(plus=(0, 1, 2, 3, 5), minus=(6,)), Relation(plus=(0, 1), minus=(7, 2))]
    public = protect_linked(counts, relations, threshold=3)
    assert public == {1: Rule.PRIMARY, 5: Rule.SECONDARY, 7: Rule.PRIMARY}
    rules = protect_linked(counts, relations, threshold=3, insiders=[[7]])
    assert rules == {**public, 6: Rule.SECONDARY}
    theirs = {k: r for k, r in rules.items() if k != 7}
    assert linked_too_narrow(counts, relations, theirs, 3) == {1}  # given away by a zero


def test_a_count_two_insiders_know_is_known_to_both() -> None:
    # Count 4 (9) is known to insiders 0 and 1: each must be protected against with it known.
    counts = [31, 4, 2, 6, 9, 33, 81]
    relations = [Relation(plus=(5, 3, 4, 2, 0), minus=(6,))]
    insiders = [[2, 4, 5, 6], [0, 4], [1, 3, 6]]
    rules = protect_linked(counts, relations, threshold=3, known=[5], insiders=insiders)
    for own in insiders:
        theirs = {k: r for k, r in rules.items() if k not in own}
        assert linked_too_narrow(counts, relations, theirs, 3) == set(), own


@st.composite
def linked(draw: st.DrawFn) -> tuple[list[int], list[Relation], list[int]]:
    """Counts with sums over them, sums of sums, and stocks with flows, as published figures
    are: base counts (many small, some zero), then totals and flows built from them."""
    counts = draw(
        st.lists(st.one_of(st.integers(0, 4), st.integers(0, 60)), min_size=2, max_size=10)
    )
    relations: list[Relation] = []
    for _ in range(draw(st.integers(0, 5))):
        if draw(st.booleans()) and len(counts) >= 3:
            a, b, d = draw(st.lists(st.integers(0, len(counts) - 1), min_size=3, max_size=3))
            if len({a, b, d}) < 3 or counts[a] + counts[b] < counts[d]:
                continue
            counts.append(counts[a] + counts[b] - counts[d])
            relations.append(Relation(plus=(a, b), minus=(len(counts) - 1, d)))
        else:
            parts = draw(
                st.lists(st.integers(0, len(counts) - 1), min_size=2, max_size=5, unique=True)
            )
            counts.append(sum(counts[p] for p in parts))
            relations.append(Relation(plus=tuple(parts), minus=(len(counts) - 1,)))
    known = draw(st.lists(st.integers(0, len(counts) - 1), max_size=1, unique=True))
    return counts, relations, known


Linked = tuple[list[int], list[Relation], list[int]]


@settings(max_examples=150, deadline=None)
@given(case=linked(), threshold=st.integers(min_value=2, max_value=8), data=st.data())
def test_no_linked_count_can_be_narrowed_and_nothing_else_changes(
    case: Linked, threshold: int, data: st.DataObject
) -> None:
    counts, relations, known = case
    # Some counts are known to one of two insiders, some to both.
    who = data.draw(
        st.lists(
            st.sampled_from([(), (0,), (1,), (0, 1)]), min_size=len(counts), max_size=len(counts)
        )
    )
    insiders = [[k for k, w in enumerate(who) if n in w] for n in (0, 1)]
    rules = protect_linked(counts, relations, threshold=threshold, known=known, insiders=insiders)
    for position, count in enumerate(counts):
        assert (rules.get(position) is Rule.PRIMARY) == (
            0 < count < threshold and position not in known
        )
        assert position not in rules or (count != 0 and position not in known)
    exposed = linked_too_narrow(counts, relations, rules, threshold)
    if exposed:
        every = {
            k: Rule.PRIMARY if count < threshold else Rule.SECONDARY
            for k, count in enumerate(counts)
            if count != 0 and k not in known
        }
        assert exposed <= linked_too_narrow(counts, relations, every, threshold)
    # An insider, knowing their own counts, cannot narrow another's too far either, reading
    # every relation together, unless suppressing every other count could not stop it.
    for own in insiders:
        theirs = {k: r for k, r in rules.items() if k not in own}
        narrow = linked_too_narrow(counts, relations, theirs, threshold)
        if narrow:
            every = {
                k: Rule.PRIMARY if count < threshold else Rule.SECONDARY
                for k, count in enumerate(counts)
                if count != 0 and k not in known and k not in own
            }
            assert narrow <= linked_too_narrow(counts, relations, every, threshold), (own, narrow)
