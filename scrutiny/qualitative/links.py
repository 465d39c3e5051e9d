"""Offer coded themes to the improvement app: as evidence for progress review findings and as
measures of actions. Only the partnership's own projects' themes are offered: an inspection's
qualitative evidence stays with its team. A published review cites a theme with its count of
comments through the disclosure-control gate and its confirmed quotes (``theme_evidence``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from scrutiny.improvement.registry import EVIDENCE, MEASURE, LinkSource, register_link_source
from scrutiny.places.models import Partnership
from scrutiny.qualitative.models import Code


def _themes(partnership: Partnership) -> QuerySet[Code]:
    return (
        Code.objects.filter(project__partnership=partnership, project__inspection__isnull=True)
        .select_related("project", "parent")
        .order_by("project__title", "order", "name")
    )


def describe(code: Any) -> str:
    """A theme as people name it: "Coded theme: Feeling safe (Young people's views 2026)"; no
    count, which would be out of date (and may need protecting) once written."""
    return f"Coded theme: {code.name} ({code.project.title})"


def register() -> None:
    register_link_source(
        LinkSource(
            model=Code,
            label="Coded qualitative themes",
            purposes=frozenset({EVIDENCE, MEASURE}),
            candidates=_themes,
            describe=describe,
        )
    )
