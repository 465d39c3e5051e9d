from __future__ import annotations

from typing import Any

from scrutiny.accounts.models import User
from scrutiny.indicators import selectors
from scrutiny.indicators.models import Observation
from scrutiny.places.models import Partnership


def partnership_panel(*, partnership: Partnership, user: User) -> tuple[str, dict[str, Any]] | None:
    """The latest special-cause signals of the partnership's indicators."""
    if not user.has_perm("indicators.view_dashboard", partnership):
        return None
    return (
        "indicators/panels/partnership.html",
        {
            "signals": selectors.latest_signals(partnership=partnership),
            "charted": Observation.objects.filter(area_id=partnership.area_id).exists(),
        },
    )
