"""Background work (Django's Tasks API; the database-backed worker runs it)."""

from __future__ import annotations

from django.tasks import task


@task
def compute_child_level(run_id: int) -> None:
    """Compute a ``ChildLevelRun``'s files, store the aggregates and delete the files."""
    from scrutiny.indicators.services import child_level_run_execute

    child_level_run_execute(run_id=run_id)
