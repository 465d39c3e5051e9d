"""Red, amber or green for an action in an improvement plan, derived from its dates.

The rule (Scrutiny's own; no official rule is published):

- **complete**: the action has a completion date on or before the day it is judged;
- **red**: not complete and past its due date;
- **amber**: not complete, and a milestone is past its due date without being done, or the
  action's own due date is within ``AMBER_WINDOW_DAYS`` (14) days;
- **green**: otherwise: on track.

A person may override the derived colour, with a reason; the override never hides that an
action is complete, and counts of actions by colour never hide that one is overdue (it counts as
red whatever colour was set by hand). Pure: plain dates in, a word out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

AMBER_WINDOW_DAYS = 14


class Rag(StrEnum):
    COMPLETE = "complete"
    GREEN = "green"
    AMBER = "amber"
    RED = "red"

    @property
    def label(self) -> str:
        return {
            "complete": "Complete",
            "green": "Green: on track",
            "amber": "Amber: at risk",
            "red": "Red: overdue",
        }[self.value]


@dataclass(frozen=True)
class MilestoneDates:
    due: date
    done: date | None


def derive_rag(
    *,
    due: date,
    completed: date | None,
    milestones: Iterable[MilestoneDates],
    today: date,
) -> Rag:
    """The colour of an action on ``today`` (which may be a past day: "as at")."""
    if completed is not None and completed <= today:
        return Rag.COMPLETE
    if due < today:
        return Rag.RED
    late_milestone = any(m.due < today and (m.done is None or m.done > today) for m in milestones)
    if late_milestone or due <= today + timedelta(days=AMBER_WINDOW_DAYS):
        return Rag.AMBER
    return Rag.GREEN


def rag_with_override(derived: Rag, override: str | None) -> Rag:
    """The colour shown: the override, unless the action is complete."""
    if derived is Rag.COMPLETE or not override:
        return derived
    return Rag(override)


def rag_counted(shown: Rag, *, overdue: bool) -> Rag:
    """The colour an action is counted under in a plan's summary: red when it is overdue, so a
    colour set by hand (which the action itself still shows) cannot hide it from the counts."""
    return Rag.RED if overdue else shown
