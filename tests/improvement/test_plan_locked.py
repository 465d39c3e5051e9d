"""A submitted or accepted plan does not offer forms to change its actions: the pages say why
instead, in words that fit the plan's status."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from scrutiny.improvement import services
from scrutiny.improvement.models import Action, ActionPlan
from scrutiny.improvement.services import ImprovementError
from tests.conftest import Cast, client_for
from tests.improvement import helpers
from tests.improvement.helpers import today

pytestmark = pytest.mark.django_db


def _accepted(cast: Cast) -> ActionPlan:
    plan = helpers.submitted_plan(cast.lead_a)
    return services.action_plan_review(plan=plan, by=cast.link_a, accept=True, comments="")


def _long(plan: ActionPlan) -> str:
    day = plan.accepted_on
    assert day is not None
    return f"{day.day} {day:%B %Y}"


def test_an_accepted_plan_says_its_actions_no_longer_change(cast: Cast) -> None:
    """
    Given an accepted plan
    When its lead opens the pages that add or change an action or a milestone
    Then each says the plan was accepted and progress is recorded with status updates, with no
    form to fill in; and the service refuses with the same words
    """
    plan = _accepted(cast)
    action = plan.actions.get()
    milestone = action.milestones.create(title="Workshop", due_date=today() + timedelta(days=5))
    expected = (
        f"The plan was accepted on {_long(plan)}: its actions and milestones no longer change. "
        "Record progress on each action with a status update."
    )
    client = client_for(cast.lead_a)
    for url in (
        reverse("improvement:action-add", args=[plan.pk]),
        reverse("improvement:action-edit", args=[action.pk]),
        reverse("improvement:milestone-edit", args=[milestone.pk]),
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert expected in page.text.replace("&#x27;", "'"), url
        assert page.context["form"] is None, url
        assert "<form" not in page.text.split("<main", 1)[1], url
        posted = client.post(url, {"title": "Changed"})
        assert posted.status_code == 200 and expected in posted.text.replace("&#x27;", "'")
    with pytest.raises(ImprovementError) as refused:
        helpers.action(plan)
    assert str(refused.value) == expected
    assert "returns it" not in expected
    assert Action.objects.get().title == "Agree a shared vision"


def test_a_submitted_plan_says_it_waits_for_the_link_inspector(cast: Cast) -> None:
    plan = helpers.submitted_plan(cast.lead_a)
    page = client_for(cast.lead_a).get(reverse("improvement:action-add", args=[plan.pk]))
    assert page.context["form"] is None
    assert services.PLAN_LOCKED in page.text.replace("&#x27;", "'")


def test_a_returned_plan_still_offers_the_form(cast: Cast) -> None:
    plan = helpers.submitted_plan(cast.lead_a)
    services.action_plan_review(plan=plan, by=cast.link_a, accept=False, comments="More detail.")
    page = client_for(cast.lead_a).get(reverse("improvement:action-add", args=[plan.pk]))
    assert page.context["form"] is not None and "Save the action" in page.text
