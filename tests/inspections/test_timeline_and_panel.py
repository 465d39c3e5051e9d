from __future__ import annotations

from datetime import date

import pytest

from scrutiny.inspections import selectors
from scrutiny.inspections.models import Evaluation, Status
from tests import factories
from tests.fieldwork.helpers import import_return
from tests.inspections import helpers

pytestmark = pytest.mark.django_db


def test_the_timeline_follows_the_week_plan_and_flags_late_steps() -> None:
    inspection = factories.inspection(
        status=Status.EVIDENCE,
        notification_date=date(2026, 1, 5),
        records_review_date=date(2026, 3, 9),
    )
    rows = {
        row.step.label: row
        for row in selectors.inspection_timeline(inspection=inspection, today=date(2026, 3, 20))
    }
    assert rows["Notification"].standard == date(2026, 1, 5)
    assert rows["Records review"].standard == date(2026, 2, 23)  # week 8
    assert rows["Publication"].standard == date(2026, 5, 25)  # week 21
    assert rows["Notification"].done and not rows["Notification"].late
    assert rows["Records review"].late  # planned 9 March, not done by 20 March
    assert rows["Records review"].behind_plan  # planned later than the standard week 8
    assert not rows["On-site"].late  # standard date (30 March) not yet passed


def test_the_panel_compares_draft_grades_with_published_ones() -> None:
    lead = helpers.lead_inspector()
    draft = helpers.ready_for_qa(lead)  # every QI graded 4
    qi = helpers.first_qi(draft)
    for grade in (3, 4, 5, 5):
        published = factories.inspection("fife", status=Status.PUBLISHED)
        Evaluation.objects.create(inspection=published, qi=qi, grade=grade, narrative="")
    unpublished = factories.inspection("fife", status=Status.EVALUATING)
    Evaluation.objects.create(inspection=unpublished, qi=qi, grade=1, narrative="")

    row = next(r for r in selectors.qa_panel(inspection=draft) if r.qi == qi)
    assert row.distribution == {6: 0, 5: 2, 4: 1, 3: 1, 2: 0, 1: 0}
    # Grades are named as on the six-point scale, not left as bare numbers.
    assert row.grade_text == "4 (Good)"
    assert row.columns[:3] == [(6, "Excellent", 0), (5, "Very good", 2), (4, "Good", 1)]
    assert row.published_total == 4
    assert row.position == (
        "Of 4 published grades for this indicator, 1 is lower than this draft's, 1 the same and "
        "2 higher."
    )


def test_the_panel_flags_a_narrative_out_of_line_with_its_grade() -> None:
    lead = helpers.lead_inspector()
    draft = helpers.ready_for_qa(lead)
    qi = helpers.first_qi(draft)
    Evaluation.objects.filter(inspection=draft, qi=qi).update(
        grade=6, narrative="Less than half of plans were good and a few children were seen."
    )
    row = next(r for r in selectors.qa_panel(inspection=draft) if r.qi == qi)
    assert row.check is not None and row.check.flagged
    fine = next(r for r in selectors.qa_panel(inspection=draft) if r.qi != qi)
    assert fine.check is not None and not fine.check.flagged


def test_the_timeline_marks_steps_done_by_what_happened() -> None:
    """
    Given an inspection at evaluating with no return imported, no survey or evidence, and its
    on-site visit planned for next month
    When the timeline is read
    Then the return, the documents and the on-site visit are not done; the records review, whose
    day has passed, is
    """
    inspection = factories.inspection(
        status=Status.EVALUATING,
        notification_date=date(2026, 1, 5),
        return_due_date=date(2026, 1, 26),
        records_review_date=date(2026, 3, 2),
        onsite_date=date(2026, 4, 20),
    )
    rows = {
        row.step.label: row
        for row in selectors.inspection_timeline(inspection=inspection, today=date(2026, 3, 20))
    }
    assert not rows["Pre-inspection return due"].done
    assert rows["Pre-inspection return due"].late
    assert not rows["Documents in, surveys open"].done
    assert rows["Records review"].done
    assert not rows["On-site"].done and not rows["On-site"].late

    lead = helpers.lead_inspector()
    import_return(inspection, lead)
    helpers.add_evidence(inspection, lead)
    rows = {
        row.step.label: row
        for row in selectors.inspection_timeline(inspection=inspection, today=date(2026, 3, 20))
    }
    assert rows["Pre-inspection return due"].done
    assert rows["Documents in, surveys open"].done


def test_quality_assurance_decides_once_per_submission(cast) -> None:
    """
    Given a draft QA has signed off, not yet sent to the partnership
    When QA opens the panel again, or posts a second decision
    Then no decision form is shown and the second decision is refused
    """
    from django.test import Client
    from django.urls import reverse

    from scrutiny.inspections import services
    from scrutiny.inspections.models import QASignOff
    from scrutiny.inspections.services import InspectionError

    lead = helpers.lead_inspector()
    inspection = helpers.ready_for_qa(lead)
    services.inspection_advance(inspection=inspection, by=lead)
    client = Client()
    client.force_login(cast.qa)
    url = reverse("inspections:quality-assurance", args=[inspection.pk])
    assert 'name="decision"' in client.get(url).content.decode()
    services.qa_signoff_record(
        inspection=inspection, by=cast.qa, decision=QASignOff.Decision.SIGNED_OFF, comments=""
    )
    assert 'name="decision"' not in client.get(url).content.decode()
    for decision in QASignOff.Decision.values:
        with pytest.raises(InspectionError, match="already signed off"):
            services.qa_signoff_record(
                inspection=inspection, by=cast.qa, decision=decision, comments="Second thoughts."
            )
    assert inspection.qa_signoffs.count() == 1
