"""A partnership's workspace page is made of panels, one or more per app.

Each app offers a function ``partnership_panel(*, partnership, user)`` returning
``(template_name, context)`` or ``None`` (nothing to show this user). Listing them here keeps
the domain apps independent of one another and of ``frontend``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from scrutiny.accounts.models import User
from scrutiny.places.models import Partnership

PanelResult = tuple[str, dict[str, Any]] | None

PARTNERSHIP_PANELS: list[str] = [
    "scrutiny.inspections.panels:partnership_panel",
    "scrutiny.fieldwork.panels:partnership_panel",
    "scrutiny.improvement.panels:partnership_panel",
    "scrutiny.indicators.panels:partnership_panel",
    "scrutiny.qualitative.panels:partnership_panel",
]

# Panels on a signed-in person's home page: ``home_panel(*, user)``, same return shape.
HOME_PANELS: list[str] = [
    "scrutiny.improvement.panels:home_panel",
]


def _load(target: str) -> Callable[..., PanelResult]:
    module_name, _, attribute = target.partition(":")
    function: Callable[..., PanelResult] = getattr(importlib.import_module(module_name), attribute)
    return function


def partnership_panels(*, partnership: Partnership, user: User) -> list[tuple[str, dict[str, Any]]]:
    panels = []
    for target in PARTNERSHIP_PANELS:
        result = _load(target)(partnership=partnership, user=user)
        if result is not None:
            panels.append(result)
    return panels


def home_panels(*, user: User) -> list[tuple[str, dict[str, Any]]]:
    panels = []
    for target in HOME_PANELS:
        result = _load(target)(user=user)
        if result is not None:
            panels.append(result)
    return panels
