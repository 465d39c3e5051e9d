"""The exception every service raises for a change it cannot make."""

from __future__ import annotations

from collections.abc import Sequence


class ServiceError(Exception):
    """A change that cannot be made: ``message`` for people, what is ``missing`` if a list
    of preconditions failed, and the form ``field`` it is about, if one (so a view can show the
    message at that field). Apps subclass it (``InspectionError``, ``ImprovementError``…)."""

    def __init__(
        self, message: str, *, missing: Sequence[str] = (), field: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.missing = list(missing)
        self.field = field

    def __str__(self) -> str:
        if not self.missing:
            return self.message
        return f"{self.message} " + " ".join(self.missing)
