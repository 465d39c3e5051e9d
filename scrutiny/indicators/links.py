"""Offer indicator charts to the improvement app: as evidence for progress review findings, as
measures of actions, and as the latest signals on the link inspector's monitoring page."""

from __future__ import annotations

from django.db.models import QuerySet

from scrutiny.improvement.registry import (
    EVIDENCE,
    MEASURE,
    LinkSource,
    Signal,
    register_link_source,
    register_signal_provider,
)
from scrutiny.indicators.models import IndicatorSeries
from scrutiny.places.models import Partnership


def _series(partnership: Partnership) -> QuerySet[IndicatorSeries]:
    return IndicatorSeries.objects.filter(partnership=partnership).select_related(
        "indicator", "partnership__area"
    )


def _signals(partnership: Partnership) -> list[Signal]:
    from scrutiny.indicators.selectors import latest_signals

    return [
        Signal(label=f"{s.label} ({s.period})", detail=s.detail, url=s.url, on=s.on)
        for s in latest_signals(partnership=partnership)
    ]


def register() -> None:
    register_link_source(
        LinkSource(
            model=IndicatorSeries,
            label="Indicator charts",
            purposes=frozenset({EVIDENCE, MEASURE}),
            candidates=_series,
        )
    )
    register_signal_provider(_signals)
