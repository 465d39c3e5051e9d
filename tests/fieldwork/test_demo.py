"""The demonstration fieldwork: what the brief promises is there, and it builds quickly."""

from __future__ import annotations

import time
from typing import Any

import pytest

from scrutiny.demo import builder
from scrutiny.demo import fieldwork as demo_fieldwork
from scrutiny.demo.inspections import EA_TITLE, SA_TITLE
from scrutiny.fieldwork import selectors
from scrutiny.fieldwork.models import PreInspectionReturn, Reading, Sample, Survey
from scrutiny.inspections.models import Inspection

pytestmark = pytest.mark.django_db


def test_the_demo_has_south_ayrshires_fieldwork_and_east_ayrshires_to_try(
    settings: Any,
) -> None:
    for _, target in builder.SECTIONS[:4]:
        builder._resolve(target)()
    started = time.perf_counter()
    demo_fieldwork.build()
    assert time.perf_counter() - started < 10
    south = Inspection.objects.get(title=SA_TITLE)
    current = selectors.current_return(inspection=south)
    assert current is not None and 550 <= current.children_count <= 650
    sample = Sample.objects.get(inspection=south)
    surveys = Survey.objects.filter(inspection=south)
    assert sample.size == 100
    readings = Reading.objects.filter(record__sample=sample)
    assert readings.filter(is_moderation=False).count() == 100
    assert readings.filter(is_moderation=True).count() == 20
    counts = {s.instrument.audience: s.responses.count() for s in surveys}
    assert counts == {"staff": 400, "children": 60, "parents": 40}
    comments = [
        row["text"] for survey in surveys for row in selectors.free_text_answers(survey=survey)
    ]
    assert len(comments) >= 150 and len(set(comments)) == len(comments)
    # Each survey's protected summary is in the evidence log; the staff survey's replaces the
    # seed's staff survey item rather than adding a second.
    kinds = {s.instrument.audience: s.evidence_item.kind for s in surveys if s.evidence_item}
    assert kinds == {"staff": "staff_survey", "children": "survey", "parents": "survey"}
    assert south.evidence.filter(kind="staff_survey").count() == 1
    staff = next(s for s in surveys if s.instrument.audience == "staff")
    assert staff.evidence_item is not None
    assert staff.evidence_item.source == "Staff survey (synthetic)"
    assert "% agree" in staff.evidence_item.summary and staff.evidence_item.qis.exists()
    east = Inspection.objects.get(title=EA_TITLE)
    assert PreInspectionReturn.objects.filter(inspection=east).exists()
    east_sample = Sample.objects.get(inspection=east)
    assert east_sample.records.filter(pair__isnull=False).count() == 40
    demo_fieldwork.build()  # idempotent
    assert Reading.objects.filter(record__sample=sample).count() == 120
