"""The report's figures of what the team did, checked against the fieldwork recorded in
Scrutiny: the team types them in the inspection's details, and a slip there would be published.

The checks are for the team, on the draft report; they change nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from scrutiny.fieldwork import selectors
from scrutiny.fieldwork.models import Audience
from scrutiny.inspections.models import Inspection


@dataclass(frozen=True)
class FigureCheck:
    """A figure of the report that does not match the fieldwork, said in plain words."""

    message: str
    url: str
    where: str  # the fieldwork page the link opens


def _records(inspection: Inspection) -> FigureCheck | None:
    sample = selectors.sample_of(inspection=inspection)
    if sample is None:
        return None
    progress = selectors.reading_progress(sample=sample)
    read, size = progress.read, progress.records
    url = reverse("fieldwork:reading", args=[inspection.pk])
    typed = inspection.records_read
    if typed is None:
        return FigureCheck(
            f"The report does not say how many records were read: the record reading has "
            f"{read} of the {size} sampled records read.",
            url,
            "record reading",
        )
    if typed != read:
        return FigureCheck(
            f"The report says {typed} children's records were read; the record reading has "
            f"{read} of the {size} sampled records read.",
            url,
            "record reading",
        )
    return None


def _staff_survey(inspection: Inspection) -> FigureCheck | None:
    surveys = [
        survey
        for survey in selectors.surveys(inspection=inspection).order_by("pk")
        if survey.instrument.audience == Audience.STAFF
    ]
    if not surveys:
        return None
    responses = sum(survey.response_count for survey in surveys)  # type: ignore[attr-defined]
    url = reverse("fieldwork:survey", args=[surveys[0].pk])
    typed = inspection.staff_survey_responses
    if typed is None:
        return FigureCheck(
            f"The report does not say how many staff answered the survey: the staff survey has "
            f"{responses} responses.",
            url,
            "staff survey",
        )
    if typed != responses:
        return FigureCheck(
            f"The report says {typed} staff answered the survey; the staff survey has "
            f"{responses} responses.",
            url,
            "staff survey",
        )
    return None


def figure_checks(*, inspection: Inspection) -> list[FigureCheck]:
    """The report's figures that differ from the fieldwork (none when they match, or when the
    fieldwork is not kept in Scrutiny)."""
    return [check for check in (_records(inspection), _staff_survey(inspection)) if check]
