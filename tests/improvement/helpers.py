"""Builders for improvement tests: a published inspection with areas for improvement, and
plans and reviews at each stage."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from scrutiny.accounts.models import User
from scrutiny.improvement import services
from scrutiny.improvement.models import Action, ActionPlan, ProgressLevel, ProgressReview
from scrutiny.improvement.scale import ensure_default_scale
from scrutiny.inspections.models import AreaForImprovement, Inspection, Status
from tests import factories


def today() -> date:
    return timezone.localdate()


def published_inspection(
    slug: str = "south-ayrshire", *, areas: int = 2, published: date | None = None
) -> Inspection:
    inspection = factories.inspection(
        slug,
        status=Status.PUBLISHED,
        notification_date=date(2025, 1, 6),
        publication_date=published or today() - timedelta(days=10),
    )
    qi = inspection.evaluated_qis().first()
    assert qi is not None
    for number in range(1, areas + 1):
        area = AreaForImprovement.objects.create(
            inspection=inspection, number=number, title=f"Area {number}", text="Improve."
        )
        area.qis.add(qi)
    return inspection


def action(
    plan: ActionPlan, *, areas: list[AreaForImprovement] | None = None, **extra: Any
) -> Action:
    fields: dict[str, Any] = {
        "title": "Agree a shared vision",
        "areas": areas if areas is not None else list(plan.inspection.areas_for_improvement.all()),
        "lead_agency": "South Ayrshire Council",
        "start_date": today() - timedelta(days=30),
        "due_date": today() + timedelta(days=120),
        "owner_name": "Helen Rae",
        "owner_email": "helen.rae@example.org",
    }
    fields.update(extra)
    return services.action_save(plan=plan, **fields)


def draft_plan(by: User, inspection: Inspection | None = None) -> ActionPlan:
    return services.action_plan_start(inspection=inspection or published_inspection(), by=by)


def submitted_plan(by: User, inspection: Inspection | None = None) -> ActionPlan:
    plan = draft_plan(by, inspection)
    action(plan)
    return services.action_plan_submit(plan=plan, by=by)


def levels() -> dict[str, ProgressLevel]:
    ensure_default_scale(ProgressLevel)
    return {level.label: level for level in ProgressLevel.objects.all()}


def complete_review(review: ProgressReview, by: User) -> ProgressReview:
    """Judge every area, write the conclusion and decide on further scrutiny."""
    level = levels()["Good progress"]
    for finding in review.findings.all():
        services.progress_finding_save(
            finding=finding, level=level, narrative="Encouraging progress.", by=by
        )
    return services.progress_review_update(
        review=review,
        conclusion="Encouraging progress is being made across most of the recommendations.",
        further_scrutiny=ProgressReview.FurtherScrutiny.NONE,
    )
