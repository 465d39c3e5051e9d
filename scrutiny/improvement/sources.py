"""The link sources improvement offers itself: inspection evidence items and actions."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from scrutiny.improvement.registry import EVIDENCE, LinkSource, register_link_source
from scrutiny.places.models import Partnership


def _evidence_items(partnership: Partnership) -> QuerySet[Any]:
    from scrutiny.inspections.models import EvidenceItem

    return EvidenceItem.objects.filter(inspection__partnership=partnership).order_by("-date")


def _actions(partnership: Partnership) -> QuerySet[Any]:
    from scrutiny.improvement.models import Action

    return (
        Action.objects.filter(plan__partnership=partnership)
        .select_related("plan")
        .order_by("plan", "number")
    )


def _describe_action(action: Any) -> str:
    return f"Action {action.number}: {action.title}"


def register_own_sources() -> None:
    from scrutiny.improvement.models import Action
    from scrutiny.inspections.models import EvidenceItem

    register_link_source(
        LinkSource(
            model=Action,
            label="Actions in the action plan",
            purposes=frozenset({EVIDENCE}),
            candidates=_actions,
            describe=_describe_action,
        )
    )
    register_link_source(
        LinkSource(
            model=EvidenceItem,
            label="Inspection evidence",
            purposes=frozenset({EVIDENCE}),
            candidates=_evidence_items,
        )
    )
