"""Background work (Django's Tasks API; the database-backed worker runs it)."""

from __future__ import annotations

from django.tasks import task


@task
def train_suggestions(run_id: int) -> None:
    """Train the assisted-coding model for a ``SuggestionRun`` and store its suggestions."""
    from scrutiny.qualitative.services import suggestion_run_execute

    suggestion_run_execute(run_id=run_id)
