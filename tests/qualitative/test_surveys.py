"""Free-text answers of an inspection's surveys become comments to code."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from scrutiny.fieldwork import services as fieldwork
from scrutiny.fieldwork.models import (
    QuestionKind,
    SurveyAnswer,
    SurveyInstrument,
    SurveyResponse,
)
from scrutiny.qualitative import services
from scrutiny.qualitative.models import Segment
from scrutiny.qualitative.services import QualitativeError
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def _survey_with_answers(inspection: Any, by: Any) -> Any:
    instrument = SurveyInstrument.objects.get(slug="scrutiny-staff-survey")
    survey = fieldwork.survey_create(
        inspection=inspection, instrument=instrument, title="Staff survey", by=by
    )
    question = instrument.questions.filter(kind=QuestionKind.FREE_TEXT).first()
    assert question is not None
    for day, agency, text in [
        (5, "NHS health", "Joint visits with the school nurse."),
        (6, "Police Scotland", "Quick sharing of concerns."),
        (7, "Council social work", ""),
    ]:
        response = SurveyResponse.objects.create(
            survey=survey,
            submitted_at=timezone.make_aware(datetime(2026, 3, day, 9)),
            agency=agency,
            role="Practitioner",
        )
        SurveyAnswer.objects.create(response=response, question=question, text=text)
    return survey


def test_an_inspection_project_imports_its_surveys_free_text_once(
    cast: Cast, inspection_a: Any, as_user: Any
) -> None:
    survey = _survey_with_answers(inspection_a, cast.inspector_a)
    project = services.project_create(
        partnership=inspection_a.partnership,
        inspection=inspection_a,
        title="Fieldwork evidence",
        by=cast.inspector_a,
    )
    response = as_user(cast.inspector_a).post(
        reverse("qualitative:survey-import", args=[project.pk]), {"survey": survey.pk}
    )
    assert response.status_code == 302
    segments = list(Segment.objects.filter(source__project=project).order_by("date"))
    assert [(s.text, s.respondent_type, s.agency, s.role) for s in segments] == [
        ("Joint visits with the school nurse.", "staff", "health", "Practitioner"),
        ("Quick sharing of concerns.", "staff", "police", "Practitioner"),
    ]
    assert segments[0].source.kind == "survey"
    assert segments[0].source.respondent_type == "staff"  # the survey's audience, not unknown
    with pytest.raises(QualitativeError, match="already in this project"):
        services.survey_import(project=project, survey=survey, by=cast.inspector_a)
    # The answers stay with those who may read the survey's free text: the link inspector and
    # quality assurance may not, there or here.
    source_url = reverse("qualitative:source", args=[project.pk, segments[0].source.pk])
    export_url = reverse("qualitative:project-export", args=[project.pk])
    free_text_url = reverse("fieldwork:survey-free-text", args=[survey.pk])
    for user, status in ((cast.inspector_a, 200), (cast.link_a, 403), (cast.qa, 403)):
        client = as_user(user)
        assert client.get(free_text_url).status_code == status
        assert client.get(source_url).status_code == status
        assert client.get(export_url).status_code == status


def test_a_partnership_project_cannot_take_an_inspections_survey(
    cast: Cast, inspection_a: Any
) -> None:
    survey = _survey_with_answers(inspection_a, cast.inspector_a)
    project = services.project_create(
        partnership=inspection_a.partnership, title="Partnership's own", by=cast.lead_a
    )
    with pytest.raises(QualitativeError, match="another inspection"):
        services.survey_import(project=project, survey=survey, by=cast.lead_a)
