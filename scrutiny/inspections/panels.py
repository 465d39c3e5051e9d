from __future__ import annotations

from typing import Any

from scrutiny.accounts.models import User
from scrutiny.places.models import Partnership


def partnership_panel(*, partnership: Partnership, user: User) -> tuple[str, dict[str, Any]]:
    inspections = partnership.inspections.select_related("framework_version__framework")
    return (
        "inspections/panels/partnership.html",
        {
            "inspections": [
                i for i in inspections if user.has_perm("inspections.view_inspection", i)
            ],
            "can_create": user.has_perm("inspections.create_inspection"),
        },
    )
