"""Audit trail of the indicator models.

Observations are not registered one by one: they are never changed once stored, and the
publication they belong to records who loaded them, when, from which file.
"""

from auditlog.registry import auditlog

from scrutiny.indicators.models import (
    ChildLevelRun,
    Indicator,
    IndicatorLink,
    IndicatorSeries,
    Publication,
    Rebase,
)

for model in (Indicator, Publication, IndicatorSeries, IndicatorLink, Rebase, ChildLevelRun):
    auditlog.register(model)
