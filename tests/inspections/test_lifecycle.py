"""Every transition of an inspection, with its preconditions."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from scrutiny.accounts.models import Role
from scrutiny.inspections import services
from scrutiny.inspections.models import QASignOff, Status, StatusChange
from scrutiny.inspections.services import InspectionError
from scrutiny.publishing.services import inspection_publish
from tests import factories
from tests.inspections import helpers

pytestmark = pytest.mark.django_db


def test_a_planned_inspection_needs_a_notification_date_to_be_notified() -> None:
    lead = helpers.lead_inspector()
    inspection = helpers.planned_inspection(lead)
    with pytest.raises(InspectionError, match=r"The notification date is not set\."):
        services.inspection_advance(inspection=inspection, by=lead)
    inspection.refresh_from_db()
    assert inspection.status == Status.PLANNED
    assert not StatusChange.objects.exists()


def test_evidence_gathering_needs_the_return_due_date() -> None:
    lead = helpers.lead_inspector()
    inspection = helpers.planned_inspection(lead)
    services.inspection_update(inspection=inspection, notification_date=date(2026, 1, 5))
    services.inspection_advance(inspection=inspection, by=lead)
    with pytest.raises(InspectionError, match="pre-inspection return is due is not set"):
        services.inspection_advance(inspection=inspection, by=lead)


def test_evaluating_needs_evidence_and_the_records_review_date() -> None:
    lead = helpers.lead_inspector()
    inspection = helpers.ready_for_qa(lead)
    fresh = helpers.planned_inspection(lead)
    services.inspection_update(
        inspection=fresh,
        notification_date=inspection.notification_date,
        return_due_date=inspection.return_due_date,
    )
    services.inspection_advance(inspection=fresh, by=lead)
    services.inspection_advance(inspection=fresh, by=lead)
    with pytest.raises(InspectionError) as caught:
        services.inspection_advance(inspection=fresh, by=lead)
    assert caught.value.missing == [
        "The evidence log is empty.",
        "The records review date is not set.",
    ]


def test_quality_assurance_needs_every_qi_graded_and_says_which_are_missing() -> None:
    lead = helpers.lead_inspector()
    inspection = helpers.ready_for_qa(lead)
    qis = list(inspection.evaluated_qis())
    for qi in qis[:3]:
        services.evaluation_save(
            inspection=inspection, qi=qi, grade=None, narrative="", evidence=[], by=lead
        )
    with pytest.raises(InspectionError) as caught:
        services.inspection_advance(inspection=inspection, by=lead)
    message = str(caught.value)
    assert "3 QIs have no grade: " in message
    for qi in qis[:3]:
        assert qi.title in message
    assert qis[3].title not in message.split("no grade:")[1].split(".")[0]


def test_quality_assurance_needs_narratives_evidence_strengths_and_areas() -> None:
    lead = helpers.lead_inspector()
    inspection = helpers.ready_for_qa(lead)
    qi = helpers.first_qi(inspection)
    services.evaluation_save(
        inspection=inspection, qi=qi, grade=4, narrative=" ", evidence=[], by=lead
    )
    inspection.key_strengths.all().delete()
    inspection.areas_for_improvement.all().delete()
    missing = services.missing_for(inspection, Status.QUALITY_ASSURANCE)
    assert missing == [
        f"1 QI has no evaluative narrative: {qi.label}.",
        f"1 QI has no evidence linked: {qi.label}.",
        "There are no key strengths.",
        "There are no areas for improvement.",
    ]


def test_the_whole_lifecycle_to_publication() -> None:
    lead = helpers.lead_inspector()
    qa = factories.user(Role.QUALITY_ASSURANCE)
    inspection = helpers.ready_for_qa(lead)
    services.inspection_advance(inspection=inspection, by=lead)
    assert inspection.status == Status.QUALITY_ASSURANCE

    with pytest.raises(InspectionError, match="Quality assurance has not signed off"):
        services.inspection_advance(inspection=inspection, by=lead)
    services.qa_signoff_record(
        inspection=inspection, by=qa, decision=QASignOff.Decision.SIGNED_OFF, comments=""
    )
    inspection = services.inspection_advance(inspection=inspection, by=lead)
    assert inspection.status == Status.FACTUAL_ACCURACY
    assert inspection.draft_date is not None

    partnership_lead = factories.user(Role.PARTNERSHIP_LEAD, "south-ayrshire")
    comment = services.factual_accuracy_comment_add(
        inspection=inspection, section="context", comment="Wrong population.", by=partnership_lead
    )
    with pytest.raises(InspectionError, match="1 factual accuracy comment has no response"):
        inspection_publish(inspection=inspection, by=lead)
    inspection.refresh_from_db()
    assert inspection.status == Status.FACTUAL_ACCURACY

    services.factual_accuracy_respond(
        comment=comment, accept=False, reason="Figure is right.", by=lead
    )
    version = inspection_publish(inspection=inspection, by=lead)
    inspection.refresh_from_db()
    assert inspection.status == Status.PUBLISHED
    assert inspection.publication_date is not None
    assert version.number == 1
    assert bytes(version.pdf).startswith(b"%PDF")
    assert [c.to_status for c in inspection.status_changes.all()] == [
        Status.NOTIFIED,
        Status.EVIDENCE,
        Status.EVALUATING,
        Status.QUALITY_ASSURANCE,
        Status.FACTUAL_ACCURACY,
        Status.PUBLISHED,
    ]


def test_qa_can_return_a_draft_with_reasons() -> None:
    lead = helpers.lead_inspector()
    qa = factories.user(Role.QUALITY_ASSURANCE)
    inspection = helpers.ready_for_qa(lead)
    services.inspection_advance(inspection=inspection, by=lead)
    with pytest.raises(InspectionError, match="Say why the draft is returned"):
        services.qa_signoff_record(
            inspection=inspection, by=qa, decision=QASignOff.Decision.RETURNED, comments=""
        )
    services.qa_signoff_record(
        inspection=inspection,
        by=qa,
        decision=QASignOff.Decision.RETURNED,
        comments="Leadership grade looks high for the evidence.",
    )
    inspection.refresh_from_db()
    assert inspection.status == Status.EVALUATING
    assert inspection.qa_signoffs.get().comments.startswith("Leadership grade")


def test_grades_are_locked_while_the_draft_is_with_qa() -> None:
    lead = helpers.lead_inspector()
    inspection = helpers.ready_for_qa(lead)
    services.inspection_advance(inspection=inspection, by=lead)
    qi = helpers.first_qi(inspection)
    with pytest.raises(InspectionError, match=r"grades are locked|findings are locked"):
        services.evaluation_save(
            inspection=inspection, qi=qi, grade=2, narrative="x", evidence=[], by=lead
        )


def test_publishing_an_inspection_not_at_factual_accuracy_is_refused() -> None:
    lead = helpers.lead_inspector()
    inspection = helpers.ready_for_qa(lead)
    with pytest.raises(InspectionError, match="Only an inspection at factual accuracy"):
        inspection_publish(inspection=inspection, by=lead)
    assert not inspection.report_versions.exists()


def test_a_published_inspection_cannot_move_on() -> None:
    lead = helpers.lead_inspector()
    inspection = factories.inspection(status=Status.PUBLISHED)
    with pytest.raises(InspectionError, match="cannot move on from here"):
        services.inspection_advance(inspection=inspection, by=lead)


def test_key_dates_out_of_order_are_refused_and_nothing_is_saved() -> None:
    lead = helpers.lead_inspector()
    inspection = helpers.planned_inspection(lead)
    with pytest.raises(ValidationError, match="before the notification date"):
        services.inspection_update(
            inspection=inspection,
            notification_date=date(2026, 5, 1),
            return_due_date=date(2026, 4, 1),
        )
    inspection.refresh_from_db()
    assert inspection.notification_date is None


def test_a_report_without_its_context_or_conclusion_cannot_go_to_qa_or_be_published() -> None:
    """
    Given a draft whose sections 3 (context) and 7 (conclusion) are empty
    When it is submitted to QA, or published
    Then both are refused, naming the empty sections
    """
    lead = helpers.lead_inspector()
    inspection = helpers.ready_for_qa(lead)
    services.inspection_update(inspection=inspection, context=" ", conclusion="")
    expected = (
        "2 report sections have no text: 3. The community planning partnership and context; "
        "7. Conclusion, areas of particular strength and areas for improvement."
    )
    assert expected in services.missing_for(inspection, Status.QUALITY_ASSURANCE)
    assert expected in services.missing_for(inspection, Status.PUBLISHED)

    other_lead = helpers.lead_inspector()
    inspection = helpers.at_factual_accuracy(other_lead)
    services.inspection_update(inspection=inspection, conclusion="")
    with pytest.raises(InspectionError) as caught:
        inspection_publish(inspection=inspection, by=other_lead)
    assert caught.value.missing == [
        "1 report section has no text: 7. Conclusion, areas of particular strength and areas "
        "for improvement."
    ]
