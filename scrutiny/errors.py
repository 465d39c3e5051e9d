"""The exception every service raises for a change it cannot make."""

from __future__ import annotations

from collections.abc import Sequence


class ServiceError(Exception):
    """A change that cannot be made: ``message`` for people, and what is ``missing`` if a list
    of preconditions failed. Apps subclass it (``InspectionError``, ``ImprovementError``…)."""

    def __init__(self, message: str, *, missing: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.missing = list(missing)

    def __str__(self) -> str:
        if not self.missing:
            return self.message
        return f"{self.message} " + " ".join(self.missing)
