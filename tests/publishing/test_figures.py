"""The draft report's figures of the fieldwork are checked against what Scrutiny holds."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from scrutiny.fieldwork import services as fieldwork_services
from scrutiny.fieldwork.models import Reading, SurveyInstrument
from scrutiny.inspections import services
from scrutiny.publishing.figures import figure_checks
from tests.fieldwork.helpers import drawn_sample

pytestmark = pytest.mark.django_db


def _read(sample: Any, by: Any, count: int) -> None:
    for record in sample.records.order_by("pk")[:count]:
        Reading.objects.create(
            record=record, template=sample.template, readers="Inspector", recorded_by=by
        )


def test_figures_typed_for_the_report_are_checked_against_the_fieldwork(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    sample = drawn_sample(inspection_a, cast.inspector_a, size=10)
    _read(sample, cast.inspector_a, 4)
    staff = SurveyInstrument.objects.filter(audience="staff").order_by("-version")[0]
    fieldwork_services.survey_create(
        inspection=inspection_a, instrument=staff, title="Staff survey", by=cast.inspector_a
    )
    services.inspection_update(inspection=inspection_a, records_read=5)
    messages = [check.message for check in figure_checks(inspection=inspection_a)]
    assert messages == [
        "The report says 5 children's records were read; the record reading has 4 of the 10 "
        "sampled records read.",
        "The report does not say how many staff answered the survey: the staff survey has 0 "
        "responses.",
    ]
    page = as_user(cast.inspector_a).get(reverse("publishing:draft", args=[inspection_a.pk]))
    assert "Check these figures before the report goes further" in page.text
    assert "the record reading has 4 of the 10" in page.text
    services.inspection_update(inspection=inspection_a, records_read=4, staff_survey_responses=0)
    assert figure_checks(inspection=inspection_a) == []


def test_the_figure_checks_are_for_the_team_only(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    drawn_sample(inspection_a, cast.inspector_a, size=10)
    services.inspection_update(inspection=inspection_a, records_read=9)
    inspection_a.status = "factual_accuracy"
    inspection_a.save()
    page = as_user(cast.lead_a).get(reverse("publishing:draft", args=[inspection_a.pk]))
    assert page.status_code == 200
    assert "Check these figures" not in page.text


def test_no_checks_without_fieldwork_in_scrutiny(inspection_a: Any) -> None:
    services.inspection_update(inspection=inspection_a, records_read=103)
    assert figure_checks(inspection=inspection_a) == []
