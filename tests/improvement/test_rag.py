"""The red/amber/green rule for actions (scrutiny.analysis.rag)."""

from __future__ import annotations

from datetime import date

from scrutiny.analysis.rag import MilestoneDates, Rag, derive_rag, rag_counted, rag_with_override

TODAY = date(2026, 6, 1)


def test_it_is_red_past_the_due_date_when_not_complete() -> None:
    assert derive_rag(due=date(2026, 5, 31), completed=None, milestones=[], today=TODAY) is Rag.RED


def test_it_is_amber_within_fourteen_days_of_the_due_date() -> None:
    assert (
        derive_rag(due=date(2026, 6, 15), completed=None, milestones=[], today=TODAY) is Rag.AMBER
    )
    assert (
        derive_rag(due=date(2026, 6, 16), completed=None, milestones=[], today=TODAY) is Rag.GREEN
    )


def test_it_is_amber_when_a_milestone_is_overdue() -> None:
    late = [MilestoneDates(due=date(2026, 5, 1), done=None)]
    assert (
        derive_rag(due=date(2027, 1, 1), completed=None, milestones=late, today=TODAY) is Rag.AMBER
    )
    done = [MilestoneDates(due=date(2026, 5, 1), done=date(2026, 5, 20))]
    assert (
        derive_rag(due=date(2027, 1, 1), completed=None, milestones=done, today=TODAY) is Rag.GREEN
    )


def test_it_judges_as_at_a_past_day() -> None:
    """A report says what the status was on its publication date, not today."""
    milestones = [MilestoneDates(due=date(2017, 3, 1), done=date(2017, 6, 1))]
    as_at = date(2017, 4, 1)
    assert (
        derive_rag(
            due=date(2018, 1, 1), completed=date(2017, 12, 1), milestones=milestones, today=as_at
        )
        is Rag.AMBER
    )
    assert (
        derive_rag(
            due=date(2018, 1, 1),
            completed=date(2017, 12, 1),
            milestones=milestones,
            today=date(2018, 1, 2),
        )
        is Rag.COMPLETE
    )


def test_an_override_replaces_the_derived_status_but_never_hides_completion() -> None:
    assert rag_with_override(Rag.GREEN, "red") is Rag.RED
    assert rag_with_override(Rag.COMPLETE, "red") is Rag.COMPLETE
    assert rag_with_override(Rag.AMBER, None) is Rag.AMBER


def test_an_overdue_action_counts_as_red_whatever_its_status_set_by_hand() -> None:
    assert rag_counted(Rag.GREEN, overdue=True) is Rag.RED
    assert rag_counted(Rag.AMBER, overdue=True) is Rag.RED
    assert rag_counted(Rag.GREEN, overdue=False) is Rag.GREEN
    assert rag_counted(Rag.RED, overdue=False) is Rag.RED
