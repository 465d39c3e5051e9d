from __future__ import annotations

from typing import Any

from scrutiny.accounts.models import User
from scrutiny.places.models import Partnership
from scrutiny.qualitative.selectors import projects_for


def partnership_panel(*, partnership: Partnership, user: User) -> tuple[str, dict[str, Any]] | None:
    projects = projects_for(partnership=partnership, user=user)
    can_create = user.has_perm("qualitative.add_partnership_project", partnership)
    if not projects and not can_create:
        return None
    return (
        "qualitative/panels/partnership.html",
        {"projects": projects, "can_create": can_create},
    )
