"""An inspection that is ready to move through every status, for the lifecycle tests."""

from __future__ import annotations

from datetime import date

from scrutiny.accounts.models import Role, User
from scrutiny.frameworks.models import QualityIndicator
from scrutiny.inspections import services
from scrutiny.inspections.models import EvidenceItem, Inspection, Status
from tests import factories


def first_qi(inspection: Inspection) -> QualityIndicator:
    qi = inspection.evaluated_qis().first()
    assert qi is not None
    return qi


def lead_inspector() -> User:
    return factories.user(Role.LEAD_INSPECTOR)


def planned_inspection(lead: User) -> Inspection:
    return services.inspection_create(
        partnership=factories.partnership("south-ayrshire"),
        title="Joint inspection in South Ayrshire",
        model="A",
        lead_inspector=lead,
        by=lead,
    )


def add_evidence(inspection: Inspection, lead: User) -> EvidenceItem:
    return services.evidence_add(
        inspection=inspection,
        kind=EvidenceItem.Kind.DOCUMENT,
        date=date(2026, 3, 1),
        source="Children's services plan",
        summary="Priorities and measures.",
        qis=list(inspection.evaluated_qis()),
        by=lead,
    )


def grade_everything(inspection: Inspection, lead: User, grade: int = 4) -> None:
    evidence = list(inspection.evidence.all())
    for qi in inspection.evaluated_qis():
        services.evaluation_save(
            inspection=inspection,
            qi=qi,
            grade=grade,
            narrative="Most records showed effective practice.",
            evidence=evidence,
            by=lead,
        )


def ready_for_qa(lead: User) -> Inspection:
    inspection = planned_inspection(lead)
    services.inspection_update(
        inspection=inspection,
        notification_date=date(2026, 1, 5),
        return_due_date=date(2026, 1, 26),
        records_review_date=date(2026, 3, 2),
        context="A coastal council area.",
        conclusion="Partners were well placed to improve.",
    )
    services.inspection_advance(inspection=inspection, by=lead)  # notified
    services.inspection_advance(inspection=inspection, by=lead)  # evidence
    add_evidence(inspection, lead)
    services.inspection_advance(inspection=inspection, by=lead)  # evaluating
    grade_everything(inspection, lead)
    services.key_strength_add(inspection=inspection, text="Prompt responses to risk.")
    qi = first_qi(inspection)
    services.area_for_improvement_save(
        inspection=inspection, title="Plans", text="Make plans SMART.", qis=[qi]
    )
    inspection.refresh_from_db()
    assert inspection.status == Status.EVALUATING
    return inspection


def at_factual_accuracy(lead: User) -> Inspection:
    """Signed off by quality assurance and sent to the partnership."""
    from scrutiny.inspections.models import QASignOff

    inspection = ready_for_qa(lead)
    services.inspection_advance(inspection=inspection, by=lead)
    services.qa_signoff_record(
        inspection=inspection,
        by=factories.user(Role.QUALITY_ASSURANCE),
        decision=QASignOff.Decision.SIGNED_OFF,
        comments="",
    )
    services.inspection_advance(inspection=inspection, by=lead)
    assert inspection.status == Status.FACTUAL_ACCURACY
    return inspection
