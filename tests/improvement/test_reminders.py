"""Reminder emails: owners about actions due soon or overdue, link inspectors' weekly digest."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from scrutiny.improvement import services
from scrutiny.improvement.models import Action, ReminderSent
from tests.conftest import Cast
from tests.improvement import helpers
from tests.improvement.helpers import today

pytestmark = pytest.mark.django_db


def _plan_with_dates(cast: Cast):
    plan = helpers.draft_plan(cast.lead_a, helpers.published_inspection(areas=1))
    helpers.action(plan, title="Due soon", due_date=today() + timedelta(days=10))
    helpers.action(
        plan,
        title="Overdue",
        owner_user=cast.lead_a,
        owner_name="",
        owner_email="",
        start_date=today() - timedelta(days=60),
        due_date=today() - timedelta(days=3),
    )
    helpers.action(plan, title="Far off", due_date=today() + timedelta(days=200))
    services.action_plan_submit(plan=plan, by=cast.lead_a)
    return plan


def _send(*args: str) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_owners_hear_about_actions_due_soon_and_overdue(cast: Cast) -> None:
    _plan_with_dates(cast)
    _send()
    by_recipient = {m.to[0]: m for m in mail.outbox}
    soon = by_recipient["helen.rae@example.org"]
    assert "Due soon" in soon.body and "due in 10 days" in soon.body
    assert "Far off" not in soon.body
    overdue = by_recipient[cast.lead_a.email]
    assert overdue.subject == "Scrutiny: 1 overdue action"
    assert "Overdue" in overdue.body and "overdue by 3 days" in overdue.body


def test_each_link_inspector_gets_a_weekly_digest(cast: Cast) -> None:
    _plan_with_dates(cast)
    _send()
    digest = next(m for m in mail.outbox if m.to == [cast.link_a.email])
    assert digest.subject == "Scrutiny: your weekly digest"
    assert "South Ayrshire Community Planning Partnership" in digest.body
    assert "Overdue actions: 1." in digest.body
    assert "No contact logged yet." in digest.body


def test_running_daily_does_not_repeat_itself(cast: Cast) -> None:
    _plan_with_dates(cast)
    _send()
    first = len(mail.outbox)
    assert first == 3
    _send()
    assert len(mail.outbox) == first  # nothing new the same day
    _send("--date", (today() + timedelta(days=7)).isoformat())
    sent = mail.outbox[first:]
    # A week on: the overdue reminder and the digest again; the due-soon one only once.
    assert sorted(m.to[0] for m in sent) == sorted([cast.lead_a.email, cast.link_a.email])


def test_a_dry_run_prints_and_sends_nothing(cast: Cast) -> None:
    _plan_with_dates(cast)
    output = _send("--dry-run")
    assert "Dry run: 3 email(s) would be sent; none sent." in output
    assert "Subject: Scrutiny: your weekly digest" in output
    assert mail.outbox == []
    assert not ReminderSent.objects.exists()


def test_completed_actions_and_draft_plans_send_nothing(cast: Cast) -> None:
    plan = helpers.draft_plan(cast.lead_a, helpers.published_inspection(areas=1))
    helpers.action(plan, due_date=today() + timedelta(days=3))
    cast.link_a.link_assignments.all().delete()
    _send()
    assert mail.outbox == []
    assert Action.objects.count() == 1


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "31/12/2026"])
def test_a_date_it_cannot_act_on_is_refused_with_a_message(cast: Cast, day: str) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--date must be"):
        _send("--date", day, "--dry-run")
