"""Expectations for the authorisation walk (tests/test_authorisation.py).

Each app's ``tests/<app>/authz.py`` maps every URL name it owns to a ``Case``: who may open it.
A URL with no expectation fails the walk, so a new view cannot ship without one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PUBLIC = "public"
SIGNED_IN = "signed_in"
CAST = ("lead_a", "viewer_a", "lead_b", "inspector_a", "link_a", "admin", "qa", "anonymous")
SIGN_IN_REDIRECT = "sign_in_redirect"


def _no_kwargs(world: Any) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Case:
    """``allowed`` is PUBLIC, SIGNED_IN, or the names of the cast members allowed in.

    Allowed members get ``ok``; other signed-in members ``denied``; anonymous visitors are
    sent to sign in, unless the page is public (``ok``) or ``anonymous`` says otherwise.
    ``overrides`` pins a status for one member where a page answers differently on purpose.
    """

    allowed: str | frozenset[str]
    kwargs: Callable[[Any], dict[str, Any]] = _no_kwargs
    method: str = "get"
    data: Callable[[Any], dict[str, Any]] | None = None
    ok: int = 200
    denied: int = 403
    anonymous: int | str | None = None
    overrides: dict[str, int] = field(default_factory=dict)
    query: str = ""

    def expected_for(self, member: str) -> int | str:
        if member in self.overrides:
            return self.overrides[member]
        if member == "anonymous":
            if self.anonymous is not None:
                return self.anonymous
            return self.ok if self.allowed == PUBLIC else SIGN_IN_REDIRECT
        if self.allowed in (PUBLIC, SIGNED_IN):
            return self.ok
        return self.ok if member in self.allowed else self.denied


def members(*names: str) -> frozenset[str]:
    unknown = set(names) - set(CAST)
    if unknown:
        raise ValueError(f"Not in the test cast: {sorted(unknown)}")
    return frozenset(names)


INSPECTORATE_STAFF = members("inspector_a", "link_a", "admin", "qa")
