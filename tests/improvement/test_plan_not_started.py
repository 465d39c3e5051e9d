"""A plan owed for a published report but not started is shown due, then overdue, like a
started one: on the partnership's page, the monitoring page, the timeline and the digest."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from scrutiny.improvement import selectors
from scrutiny.improvement.models import ActionPlan
from scrutiny.inspections.models import Inspection
from tests.conftest import Cast, client_for
from tests.improvement import helpers
from tests.improvement.helpers import today

pytestmark = pytest.mark.django_db


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _late_report() -> tuple[Inspection, date]:
    inspection = helpers.published_inspection(published=today() - timedelta(days=50))
    published = inspection.publication_date
    assert published is not None
    return inspection, published + timedelta(weeks=6)


def test_a_plan_not_started_is_overdue_on_the_partnership_page_and_monitoring(
    cast: Cast,
) -> None:
    """
    Given a report published 50 days ago and no action plan started
    When the partnership lead opens the partnership's page and the link inspector monitoring
    Then both say the plan is overdue, with the day it was due (six weeks after publication)
    """
    _, due = _late_report()
    overdue = f"Overdue: it was due on {_long(due)}, 8 days ago"
    workspace = client_for(cast.lead_a).get(
        reverse("frontend:partnership", args=["south-ayrshire"])
    )
    assert overdue in workspace.text
    assert "Start the action plan for the" in workspace.text
    monitoring = client_for(cast.link_a).get(
        reverse("improvement:monitoring", args=["south-ayrshire"])
    )
    assert "Not started" in monitoring.text and overdue in monitoring.text
    assert "None yet" not in monitoring.text.split("Action plans", 1)[1].split("</dd>", 1)[0]


def test_a_plan_not_started_counts_down_like_a_started_one(cast: Cast) -> None:
    inspection = helpers.published_inspection()
    [owed] = selectors.plans_not_started(partnership=inspection.partnership)
    assert owed.pk is None and owed.inspection == inspection
    assert owed.days_left == 32 and not owed.is_overdue
    page = client_for(cast.lead_a).get(reverse("frontend:partnership", args=["south-ayrshire"]))
    assert f"Due {_long(owed.due_date)}: 32 days left" in page.text
    helpers.draft_plan(cast.lead_a, inspection)
    assert selectors.plans_not_started(partnership=inspection.partnership) == []
    assert ActionPlan.objects.count() == 1


def test_the_timeline_shows_when_a_plan_not_started_was_due(cast: Cast) -> None:
    inspection, due = _late_report()
    events = selectors.partnership_timeline(partnership=inspection.partnership, internal=False)
    [event] = [e for e in events if e.title == "Action plan due"]
    assert event.on == due and event.detail == "Not started yet."
    page = client_for(cast.lead_a).get(reverse("improvement:timeline", args=["south-ayrshire"]))
    assert "Action plan due" in page.text


def test_the_digest_names_a_plan_not_started(cast: Cast) -> None:
    _, due = _late_report()
    call_command("send_reminders", stdout=StringIO())
    digest = next(m for m in mail.outbox if m.to == [cast.link_a.email])
    assert f"- Action plan not started (due {_long(due)})." in digest.body
