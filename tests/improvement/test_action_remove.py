"""Removing an action: asked first, refused while it has a history, and the others keep their
numbers (updates, reminders and published progress reviews refer to them)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from scrutiny.improvement import services
from scrutiny.improvement.models import Action, ActionPlan, ActionUpdate, Milestone, ReminderSent
from scrutiny.improvement.services import ImprovementError
from tests.conftest import Cast, client_for
from tests.improvement import helpers
from tests.improvement.helpers import today

pytestmark = pytest.mark.django_db


def _returned(cast: Cast) -> tuple[ActionPlan, Action]:
    """A plan submitted once and returned for changes: editable, and its actions have a past."""
    plan = helpers.draft_plan(cast.lead_a)
    action = helpers.action(plan, title="Chronologies")
    helpers.action(plan, title="Shared vision")
    services.action_plan_submit(plan=plan, by=cast.lead_a)
    services.action_plan_review(plan=plan, by=cast.link_a, accept=False, comments="Add measures.")
    plan.refresh_from_db()
    assert plan.is_editable
    return plan, action


def test_the_other_actions_keep_their_numbers(cast: Cast) -> None:
    """
    Given a draft plan with actions 1, 2 and 3
    When action 2 is removed and another is added
    Then the others are still 1 and 3, and the new one is 4: numbers are never moved
    """
    plan = helpers.draft_plan(cast.lead_a)
    _, second, _ = (helpers.action(plan, title=t) for t in ("One", "Two", "Three"))
    response = client_for(cast.lead_a).post(
        reverse("improvement:action-delete", args=[second.pk]), follow=True
    )
    assert "Action 2 removed. The other actions keep their numbers." in response.text
    assert list(plan.actions.values_list("title", "number")) == [("One", 1), ("Three", 3)]
    assert helpers.action(plan, title="Four").number == 4


@pytest.mark.parametrize("history", ["update", "milestone done", "evidence", "reminder"])
def test_an_action_with_a_history_is_not_removed(cast: Cast, history: str) -> None:
    plan, action = _returned(cast)
    expected = {
        "update": "1 status update",
        "milestone done": "1 milestone marked done",
        "evidence": "1 link as evidence in a progress review",
        "reminder": "1 reminder emailed about it",
    }[history]
    if history == "update":
        services.action_update_add(action=action, date=today(), narrative="Begun.", by=cast.lead_a)
    elif history == "milestone done":
        milestone = services.milestone_add(
            action=action, title="Workshop", due_date=today() + timedelta(days=5)
        )
        services.milestone_mark_done(milestone=milestone, done_on=today())
    elif history == "evidence":
        review = services.progress_review_create(
            inspection=plan.inspection, title="Review", lead=cast.link_a, by=cast.link_a
        )
        finding = review.findings.first()
        assert finding is not None
        services.evidence_link_add(finding=finding, obj=action, note="", by=cast.link_a)
    else:
        ReminderSent.objects.create(
            kind=ReminderSent.Kind.OVERDUE,
            recipient="a@example.org",
            action=action,
            sent_on=today(),
        )
    with pytest.raises(ImprovementError) as refused:
        services.action_delete(action=action)
    message = str(refused.value)
    assert message.startswith(f"Action 1 cannot be removed: it has {expected}")
    assert "Change the action instead" in message
    response = client_for(cast.lead_a).post(
        reverse("improvement:action-delete", args=[action.pk]), follow=True
    )
    assert message.replace("'", "&#x27;") in response.text
    assert Action.objects.filter(pk=action.pk, number=1).exists()


def test_an_action_whose_history_is_only_planned_can_be_removed(cast: Cast) -> None:
    plan, action = _returned(cast)
    services.milestone_add(action=action, title="Workshop", due_date=today() + timedelta(days=5))
    services.action_delete(action=action)
    assert not Action.objects.filter(pk=action.pk).exists()
    assert not Milestone.objects.exists() and not ActionUpdate.objects.exists()
    assert list(plan.actions.values_list("number", flat=True)) == [2]


def test_removing_an_action_asks_first(cast: Cast) -> None:
    plan = helpers.draft_plan(cast.lead_a)
    action = helpers.action(plan)
    page = client_for(cast.lead_a).get(reverse("improvement:action", args=[action.pk])).text
    url = reverse("improvement:action-delete", args=[action.pk])
    form = page.split('<details class="ds_details scrutiny-confirm">', 1)[1].split("</details>")[0]
    assert f'action="{url}"' in form
    assert "<p>Remove action 1? Its milestones and measures go with it" in form
    assert page.count(f'action="{url}"') == 1
