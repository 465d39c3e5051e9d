"""The improvement panels: on a partnership's workspace, and on the home page."""

from __future__ import annotations

from typing import Any

from scrutiny.accounts.models import User
from scrutiny.improvement import selectors
from scrutiny.improvement.models import ActionPlan, ProgressReview
from scrutiny.places.models import Partnership

HOME_OVERDUE_LIMIT = 20


def partnership_panel(*, partnership: Partnership, user: User) -> tuple[str, dict[str, Any]] | None:
    if not user.has_perm("improvement.view_action_plan", partnership):
        return None
    plans: list[dict[str, Any]] = []
    for plan in ActionPlan.objects.filter(partnership=partnership).select_related(
        "inspection", "partnership"
    ):
        actions = selectors.plan_actions(plan=plan)
        plans.append({"plan": plan, "summary": selectors.summarise(actions)})
    can_start = user.has_perm("improvement.change_action_plan", partnership)
    can_see_reviews = user.has_perm("improvement.view_progress_review", partnership)
    reviews = [
        r
        for r in ProgressReview.objects.filter(partnership=partnership).select_related("inspection")
        if r.is_published or can_see_reviews
    ]
    return (
        "improvement/panels/partnership.html",
        {
            "plans": plans,
            "not_started": selectors.plans_not_started(partnership=partnership),
            "can_start": can_start,
            "reviews": reviews,
            "can_see_reviews": can_see_reviews,
            "can_monitor": user.has_perm("improvement.view_monitoring", partnership),
        },
    )


def home_panel(*, user: User) -> tuple[str, dict[str, Any]] | None:
    """Overdue actions the user can see: they stand out on the home page."""
    overdue = selectors.overdue_for(user=user)
    if overdue is None:
        return None
    return (
        "improvement/panels/home.html",
        {"overdue": list(overdue[:HOME_OVERDUE_LIMIT]), "overdue_count": overdue.count()},
    )
