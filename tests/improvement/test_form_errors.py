"""Forms of the action plan show each problem at its field, keep what was typed, and write
dates as the rest of the app does (1 December 2026, not 01 December 2026)."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from scrutiny.improvement import services
from scrutiny.improvement.models import Action, ActionUpdate, Milestone
from scrutiny.improvement.services import ImprovementError
from tests.conftest import Cast, client_for
from tests.improvement import helpers
from tests.improvement.helpers import today

pytestmark = pytest.mark.django_db


def _first_of_next_month() -> date:
    return (today().replace(day=1) + timedelta(days=32)).replace(day=1)


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def test_a_milestone_with_blank_fields_is_refused_at_each_field(cast: Cast) -> None:
    """
    Given an action of a draft plan
    When its lead adds a milestone with no due date, then with no description
    Then the action's page comes back with the problem under each field and what was typed kept
    """
    plan = helpers.draft_plan(cast.lead_a)
    action = helpers.action(plan)
    client = client_for(cast.lead_a)
    url = reverse("improvement:milestone-add", args=[action.pk])
    response = client.post(url, {"milestone-title": "Workshop with schools"})
    assert response.status_code == 200
    form = response.context["milestone_form"]
    assert form.errors == {"due_date": ["Give the milestone's due date."]}
    assert 'value="Workshop with schools"' in response.text
    assert "A milestone needs a description" not in response.text
    response = client.post(url, {"milestone-due_date": action.due_date.isoformat()})
    form = response.context["milestone_form"]
    assert form.errors == {"title": ["Say what the milestone is."]}
    assert f'value="{action.due_date.isoformat()}"' in response.text
    assert not Milestone.objects.exists()


def test_a_milestone_outside_its_action_is_refused_at_its_due_date(cast: Cast) -> None:
    plan = helpers.draft_plan(cast.lead_a)
    start = _first_of_next_month()
    action = helpers.action(plan, start_date=start, due_date=start + timedelta(days=60))
    late = action.due_date + timedelta(days=1)
    response = client_for(cast.lead_a).post(
        reverse("improvement:milestone-add", args=[action.pk]),
        {"milestone-title": "Too late", "milestone-due_date": late.isoformat()},
    )
    assert response.status_code == 200
    errors = response.context["milestone_form"].errors
    assert errors == {
        "due_date": [
            f"The milestone's due date ({_long(late)}) must fall between the action's start "
            f"({_long(start)}) and due date ({_long(action.due_date)})."
        ]
    }
    assert 'value="Too late"' in response.text
    assert not Milestone.objects.exists()


def test_an_update_before_the_action_started_is_refused_at_its_date(cast: Cast) -> None:
    plan = helpers.draft_plan(cast.lead_a)
    start = today() - timedelta(days=today().day - 1)  # the 1st of this month
    action = helpers.action(plan, start_date=start)
    services.action_plan_submit(plan=plan, by=cast.lead_a)
    before = start - timedelta(days=1)
    response = client_for(cast.lead_a).post(
        reverse("improvement:update-add", args=[action.pk]),
        {"date": before.isoformat(), "narrative": "Started early."},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {
        "date": [f"The update's date is before the action started ({_long(start)})."]
    }
    assert not ActionUpdate.objects.exists()


def test_dates_in_messages_have_no_leading_zero(cast: Cast) -> None:
    plan = helpers.draft_plan(cast.lead_a)
    start = _first_of_next_month() + timedelta(days=1)  # the 2nd
    with pytest.raises(ImprovementError) as refused:
        helpers.action(plan, start_date=start, due_date=start - timedelta(days=1))
    assert str(refused.value) == (
        f"The due date ({_long(start - timedelta(days=1))}) is before the start date "
        f"({_long(start)})."
    )
    assert refused.value.field == "due_date"
    assert not Action.objects.exists()


def test_reminders_write_dates_without_a_leading_zero(cast: Cast) -> None:
    plan = helpers.draft_plan(cast.lead_a)
    due = today() + timedelta(days=10)
    helpers.action(plan, title="Due soon", due_date=due)
    services.action_plan_submit(plan=plan, by=cast.lead_a)
    call_command("send_reminders", stdout=StringIO())
    soon = next(m for m in mail.outbox if m.to == ["helen.rae@example.org"])
    assert f"due {_long(due)}: due in 10 days" in soon.body


def test_a_milestone_for_an_accepted_plan_is_refused_with_the_reason(cast: Cast) -> None:
    plan = helpers.submitted_plan(cast.lead_a)
    services.action_plan_review(plan=plan, by=cast.link_a, accept=True, comments="")
    action = plan.actions.get()
    response = client_for(cast.lead_a).post(
        reverse("improvement:milestone-add", args=[action.pk]),
        {"milestone-title": "Late", "milestone-due_date": action.due_date.isoformat()},
        follow=True,
    )
    assert "its actions and milestones no longer change" in response.text
    assert not Milestone.objects.exists()
