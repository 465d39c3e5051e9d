"""The default progress scale. No official progress scale is published, so these levels are
Scrutiny's own: shipped as data (a data migration loads them) and editable by administrators.
Order 1 is the most progress."""

from __future__ import annotations

from typing import Any

DEFAULT_LEVELS: tuple[tuple[int, str, str], ...] = (
    (1, "Significant progress", "Almost all of the intended improvement is made and evidenced."),
    (2, "Good progress", "Most of the intended improvement is made, with clear evidence."),
    (3, "Some progress", "Improvement has started; less than half of it is evidenced."),
    (4, "Limited progress", "A few changes are made, with little evidence of difference."),
    (5, "No progress", "No improvement is evident."),
)


def ensure_default_scale(level_model: Any) -> None:
    """Load the default levels unless a scale is already there (a data migration uses this)."""
    if level_model.objects.exists():
        return
    for order, label, description in DEFAULT_LEVELS:
        level_model.objects.create(order=order, label=label, description=description)
