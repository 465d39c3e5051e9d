"""A large action plan, made quickly: for query-count tests and the benchmark."""

from __future__ import annotations

from datetime import date, timedelta

from scrutiny.accounts.models import User
from scrutiny.improvement.models import Action, ActionPlan, ActionUpdate, Milestone
from scrutiny.inspections.models import Inspection


def large_plan(
    inspection: Inspection, *, by: User, actions: int, updates: int, today: date
) -> ActionPlan:
    plan = ActionPlan.objects.create(
        inspection=inspection,
        partnership=inspection.partnership,
        status=ActionPlan.Status.ACCEPTED,
        created_by=by,
        first_submitted_on=today - timedelta(days=300),
        accepted_on=today - timedelta(days=290),
    )
    areas = list(inspection.areas_for_improvement.all())
    made = Action.objects.bulk_create(
        Action(
            plan=plan,
            number=n,
            title=f"Action number {n}",
            owner_user=by if n % 2 else None,
            owner_name="" if n % 2 else f"Owner {n}",
            owner_email="" if n % 2 else f"owner{n}@example.org",
            lead_agency="South Ayrshire Council",
            start_date=today - timedelta(days=400),
            due_date=today + timedelta(days=(n % 40) * 10 - 50),
            completed_on=today - timedelta(days=5) if n % 5 == 0 else None,
        )
        for n in range(1, actions + 1)
    )
    through = Action.areas.through
    through.objects.bulk_create(
        through(action_id=action.pk, areaforimprovement_id=areas[i % len(areas)].pk)
        for i, action in enumerate(made)
    )
    Milestone.objects.bulk_create(
        Milestone(action=action, title="Step", due_date=today - timedelta(days=i % 30))
        for i, action in enumerate(made)
    )
    ActionUpdate.objects.bulk_create(
        ActionUpdate(
            action=made[i % len(made)],
            date=today - timedelta(days=i % 300),
            narrative="Progress as planned.",
            rag="green",
            by=by,
        )
        for i in range(updates)
    )
    return plan
