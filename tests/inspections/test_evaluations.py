from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from scrutiny.frameworks.models import QualityIndicator
from scrutiny.inspections import services
from scrutiny.inspections.models import Evaluation
from scrutiny.inspections.services import GRADE_RANGE, InspectionError
from tests.inspections import helpers

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("grade", [0, 7, -1])
def test_a_grade_outside_1_to_6_is_refused(grade: int) -> None:
    lead = helpers.lead_inspector()
    inspection = helpers.ready_for_qa(lead)
    qi = helpers.first_qi(inspection)
    before = Evaluation.objects.get(inspection=inspection, qi=qi).grade
    with pytest.raises(InspectionError, match=re.escape(GRADE_RANGE)):
        services.evaluation_save(
            inspection=inspection, qi=qi, grade=grade, narrative="x", evidence=[], by=lead
        )
    assert Evaluation.objects.get(inspection=inspection, qi=qi).grade == before


def test_the_evaluation_form_refuses_a_grade_of_seven() -> None:
    lead = helpers.lead_inspector()
    inspection = helpers.ready_for_qa(lead)
    qi = helpers.first_qi(inspection)
    client = Client()
    client.force_login(lead)
    response = client.post(
        reverse("inspections:evaluation-edit", args=[inspection.pk, qi.pk]),
        {"grade": "7", "narrative": "Excellent."},
    )
    assert response.status_code == 200
    assert services.GRADE_RANGE in response.content.decode()
    assert Evaluation.objects.get(inspection=inspection, qi=qi).grade == 4


def test_a_qi_outside_the_inspections_model_cannot_be_graded() -> None:
    lead = helpers.lead_inspector()
    inspection = helpers.ready_for_qa(lead)
    other = QualityIndicator.objects.exclude(version=inspection.framework_version).first()
    assert other is not None
    with pytest.raises(InspectionError, match="is not evaluated in this inspection's model"):
        services.evaluation_save(
            inspection=inspection, qi=other, grade=3, narrative="x", evidence=[], by=lead
        )


def test_areas_for_improvement_are_numbered_and_renumbered() -> None:
    lead = helpers.lead_inspector()
    inspection = helpers.ready_for_qa(lead)
    qi = helpers.first_qi(inspection)
    for title in ("Second", "Third"):
        services.area_for_improvement_save(inspection=inspection, title=title, text="t", qis=[qi])
    assert [(a.number, a.title) for a in inspection.areas_for_improvement.all()] == [
        (1, "Plans"),
        (2, "Second"),
        (3, "Third"),
    ]
    services.area_for_improvement_delete(area=inspection.areas_for_improvement.get(number=1))
    assert [(a.number, a.title) for a in inspection.areas_for_improvement.all()] == [
        (1, "Second"),
        (2, "Third"),
    ]


def test_an_area_for_improvement_needs_its_quality_indicators() -> None:
    lead = helpers.lead_inspector()
    inspection = helpers.ready_for_qa(lead)
    with pytest.raises(InspectionError, match="which quality indicators"):
        services.area_for_improvement_save(inspection=inspection, title="T", text="X", qis=[])


def test_the_evaluation_page_lists_the_evidence_logged_against_its_qi() -> None:
    from datetime import date

    lead = helpers.lead_inspector()
    inspection = helpers.ready_for_qa(lead)
    qi = helpers.first_qi(inspection)
    other = inspection.evaluated_qis().exclude(pk=qi.pk).first()
    assert other is not None
    mine = services.evidence_add(
        inspection=inspection,
        kind="discussion",
        date=date(2026, 2, 3),
        source="Focus group A",
        summary="Staff described joint visits.",
        qis=[qi],
        by=lead,
    )
    services.evidence_add(
        inspection=inspection,
        kind="discussion",
        date=date(2026, 2, 4),
        source="Elsewhere only",
        summary="Not about this QI.",
        qis=[other],
        by=lead,
    )
    client = Client()
    client.force_login(lead)
    page = client.get(
        reverse("inspections:evaluation-edit", args=[inspection.pk, qi.pk])
    ).content.decode()
    link = reverse("inspections:evidence", args=[inspection.pk]) + f"#evidence-{mine.pk}"
    assert f'href="{link}">Professional discussion: Focus group A</a> (3 Feb 2026): Staff' in page
    assert "Elsewhere only" not in page.split("Evidence this evaluation rests on")[0]
