"""Action plans: drafting, submitting, reviewing, updating, and the status of actions."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from scrutiny.improvement import selectors, services
from scrutiny.improvement.models import (
    Action,
    ActionPlan,
    ActionUpdate,
    ActionUpdateFile,
    Milestone,
)
from scrutiny.improvement.services import ImprovementError
from scrutiny.inspections.models import Status, TeamMember
from scrutiny.inspections.services import Upload
from tests import factories
from tests.conftest import Cast, client_for
from tests.improvement import helpers
from tests.improvement.helpers import today

pytestmark = pytest.mark.django_db


def test_a_plan_is_due_six_weeks_after_publication_with_a_countdown_then_overdue(
    cast: Cast,
) -> None:
    plan = helpers.draft_plan(cast.lead_a)
    published = plan.inspection.publication_date
    assert published is not None
    assert plan.due_date == published + timedelta(weeks=6)
    assert plan.days_to_due() == 32
    assert not plan.is_overdue
    assert plan.days_to_due(today=plan.due_date + timedelta(days=3)) == -3
    late = helpers.draft_plan(
        cast.lead_a, helpers.published_inspection(published=today() - timedelta(days=50))
    )
    assert late.is_overdue and late.days_overdue == 8
    page = client_for(cast.lead_a).get(reverse("improvement:plan", args=[late.pk]))
    assert "Overdue: it was due on" in page.content.decode()


def test_it_refuses_a_plan_for_an_unpublished_inspection(cast: Cast) -> None:
    inspection = factories.inspection("south-ayrshire", status=Status.EVALUATING)
    with pytest.raises(ImprovementError, match="not published"):
        services.action_plan_start(inspection=inspection, by=cast.lead_a)
    assert not ActionPlan.objects.exists()


def test_it_refuses_an_action_with_no_area_for_improvement(cast: Cast) -> None:
    plan = helpers.draft_plan(cast.lead_a)
    with pytest.raises(ImprovementError, match="at least one area for improvement"):
        helpers.action(plan, areas=[])
    assert not Action.objects.exists()


def test_it_refuses_dates_out_of_order_and_saves_nothing(cast: Cast) -> None:
    plan = helpers.draft_plan(cast.lead_a)
    with pytest.raises(ImprovementError, match="before the start date"):
        helpers.action(plan, start_date=today(), due_date=today() - timedelta(days=1))
    assert not Action.objects.exists()
    saved = helpers.action(plan)
    with pytest.raises(ImprovementError, match="between the action's start"):
        services.milestone_add(
            action=saved, title="Too late", due_date=saved.due_date + timedelta(1)
        )
    assert not saved.milestones.exists()


def test_an_owner_needs_an_account_or_a_name_and_email(cast: Cast) -> None:
    plan = helpers.draft_plan(cast.lead_a)
    with pytest.raises(ImprovementError, match="owner"):
        helpers.action(plan, owner_name="Helen Rae", owner_email="")
    by_account = helpers.action(plan, owner_user=cast.lead_a, owner_name="", owner_email="")
    assert by_account.owner_address == cast.lead_a.email
    named = helpers.action(plan)
    assert named.owner_address == "helen.rae@example.org"


def test_it_refuses_to_submit_a_plan_with_no_actions(cast: Cast) -> None:
    plan = helpers.draft_plan(cast.lead_a)
    with pytest.raises(ImprovementError, match="no actions"):
        services.action_plan_submit(plan=plan, by=cast.lead_a)
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.DRAFT and plan.first_submitted_on is None


def test_every_area_for_improvement_needs_an_action_before_submission(cast: Cast) -> None:
    plan = helpers.draft_plan(cast.lead_a)
    first = plan.inspection.areas_for_improvement.get(number=1)
    helpers.action(plan, areas=[first])
    with pytest.raises(ImprovementError) as raised:
        services.action_plan_submit(plan=plan, by=cast.lead_a)
    assert "No action addresses area for improvement 2: Area 2." in str(raised.value)


def test_the_link_inspector_returns_with_comments_or_accepts(cast: Cast) -> None:
    plan = helpers.submitted_plan(cast.lead_a)
    assert plan.status == ActionPlan.Status.SUBMITTED and plan.first_submitted_on == today()
    with pytest.raises(ImprovementError, match="Say why"):
        services.action_plan_review(plan=plan, by=cast.link_a, accept=False, comments=" ")
    services.action_plan_review(plan=plan, by=cast.link_a, accept=False, comments="Add measures.")
    assert plan.status == ActionPlan.Status.RETURNED
    helpers.action(plan, title="A second action")  # editable again once returned
    services.action_plan_submit(plan=plan, by=cast.lead_a)
    services.action_plan_review(plan=plan, by=cast.link_a, accept=True, comments="")
    assert plan.status == ActionPlan.Status.ACCEPTED and plan.accepted_on == today()
    assert [e.kind for e in plan.events.all()] == ["submitted", "returned", "submitted", "accepted"]
    with pytest.raises(
        ImprovementError,
        match=r"The plan was accepted on .*: its actions and milestones no longer change",
    ):
        helpers.action(plan, title="Too late to add")


def test_updates_build_the_history_and_can_complete_the_action(cast: Cast) -> None:
    plan = helpers.submitted_plan(cast.lead_a)
    action = plan.actions.get()
    services.action_update_add(action=action, date=today(), narrative="Started.", by=cast.lead_a)
    services.action_update_add(
        action=action, date=today(), narrative="Done.", by=cast.lead_a, complete=True
    )
    action.refresh_from_db()
    assert action.completed_on == today()
    assert action.rag.value == "complete"
    assert [u.narrative for u in action.updates.order_by("pk")] == ["Started.", "Done."]
    with pytest.raises(ImprovementError, match="in the future"):
        services.action_update_add(
            action=action, date=today() + timedelta(days=1), narrative="x", by=cast.lead_a
        )


def test_updates_wait_for_submission(cast: Cast) -> None:
    plan = helpers.draft_plan(cast.lead_a)
    action = helpers.action(plan)
    with pytest.raises(ImprovementError, match="once the plan has been submitted"):
        services.action_update_add(action=action, date=today(), narrative="x", by=cast.lead_a)


def test_attachments_are_checked_and_nothing_is_half_saved(cast: Cast) -> None:
    plan = helpers.submitted_plan(cast.lead_a)
    action = plan.actions.get()
    bad = Upload(name="minutes.exe", size=4, stream=io.BytesIO(b"MZ\x00\x00"))
    with pytest.raises(ImprovementError, match="cannot be attached"):
        services.action_update_add(
            action=action, date=today(), narrative="With a bad file", by=cast.lead_a, uploads=[bad]
        )
    assert not ActionUpdate.objects.exists()
    good = Upload(name="minutes.txt", size=7, stream=io.BytesIO(b"minutes"))
    update = services.action_update_add(
        action=action, date=today(), narrative="Minutes", by=cast.lead_a, uploads=[good]
    )
    stored = update.files.get()
    assert stored.content_type == "text/plain" and stored.size == 7
    url = reverse("improvement:update-file", args=[stored.pk])
    assert client_for(cast.viewer_a).get(url).status_code == 200
    assert client_for(cast.lead_b).get(url).status_code == 403
    assert ActionUpdateFile.objects.count() == 1


def test_a_status_set_by_hand_needs_a_reason_and_shows_it(cast: Cast) -> None:
    plan = helpers.submitted_plan(cast.lead_a)
    action = plan.actions.get()
    assert action.rag.value == "green"
    with pytest.raises(ImprovementError, match="reason"):
        services.action_status_override(action=action, rag="red", reason="", by=cast.link_a)
    services.action_status_override(
        action=action, rag="red", reason="Funding withdrawn.", by=cast.link_a
    )
    assert action.rag.value == "red" and action.is_overridden
    page = client_for(cast.lead_a).get(reverse("improvement:action", args=[action.pk]))
    assert "Funding withdrawn." in page.content.decode()
    services.action_status_override(action=action, rag="", reason="", by=cast.link_a)
    assert action.rag.value == "green"


def test_amber_and_red_follow_milestones_and_dates(cast: Cast) -> None:
    plan = helpers.draft_plan(cast.lead_a)
    soon = helpers.action(plan, due_date=today() + timedelta(days=10))
    late_milestone = helpers.action(plan, title="Milestone late")
    services.milestone_add(
        action=late_milestone, title="First step", due_date=today() - timedelta(days=2)
    )
    overdue = helpers.action(
        plan, start_date=today() - timedelta(days=60), due_date=today() - timedelta(days=1)
    )
    fetched = {a.pk: a for a in Action.objects.prefetch_related("milestones")}
    assert fetched[soon.pk].rag.value == "amber"
    assert fetched[late_milestone.pk].rag.value == "amber"
    assert fetched[overdue.pk].rag.value == "red" and fetched[overdue.pk].is_overdue


# --- through the pages -------------------------------------------------------------------------


def test_a_partnership_lead_drafts_and_submits_and_the_link_inspector_accepts(cast: Cast) -> None:
    inspection = helpers.published_inspection(areas=1)
    lead = client_for(cast.lead_a)
    response = lead.post(reverse("improvement:plan-start", args=[inspection.pk]))
    plan = ActionPlan.objects.get(inspection=inspection)
    assert response.headers["Location"] == reverse("improvement:plan", args=[plan.pk])
    area = inspection.areas_for_improvement.get()
    response = lead.post(
        reverse("improvement:action-add", args=[plan.pk]),
        {
            "title": "Agree a shared vision",
            "areas": [area.pk],
            "owner_user": cast.lead_a.pk,
            "lead_agency": "South Ayrshire Council",
            "start_date": today().isoformat(),
            "due_date": (today() + timedelta(days=90)).isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()
    lead.post(reverse("improvement:plan-submit", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.SUBMITTED
    link = client_for(cast.link_a)
    link.post(reverse("improvement:plan-review", args=[plan.pk]), {"decision": "accept"})
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.ACCEPTED


def test_the_action_form_shows_clear_messages_for_bad_input(cast: Cast) -> None:
    plan = helpers.draft_plan(cast.lead_a)
    response = client_for(cast.lead_a).post(
        reverse("improvement:action-add", args=[plan.pk]),
        {
            "title": "No area, dates reversed",
            "lead_agency": "Council",
            "owner_name": "A person",
            "owner_email": "a@example.org",
            "start_date": today().isoformat(),
            "due_date": (today() - timedelta(days=1)).isoformat(),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Link the action to at least one area for improvement." in page
    assert "The due date must be on or after the start date." in page
    assert not Action.objects.exists()


def test_submitting_with_no_actions_shows_the_message(cast: Cast) -> None:
    plan = helpers.draft_plan(cast.lead_a)
    response = client_for(cast.lead_a).post(
        reverse("improvement:plan-submit", args=[plan.pk]), follow=True
    )
    assert "A plan with no actions cannot be submitted" in response.content.decode()


def test_it_hides_a_plan_from_other_partnerships_and_anonymous_visitors(cast: Cast) -> None:
    plan = helpers.submitted_plan(cast.lead_a)
    action = plan.actions.get()
    for name in ("improvement:plan", "improvement:action"):
        url = reverse(name, args=[plan.pk if name == "improvement:plan" else action.pk])
        assert client_for(cast.viewer_a).get(url).status_code == 200
        assert client_for(cast.lead_b).get(url).status_code == 403
        assert client_for(None).get(url).status_code == 302
    workspace = client_for(cast.lead_b).get(reverse("frontend:partnership", args=["east-ayrshire"]))
    assert plan.actions.get().title not in workspace.content.decode()


def test_overdue_actions_stand_out_on_the_home_page_workspace_and_monitoring(cast: Cast) -> None:
    plan = helpers.submitted_plan(cast.lead_a)
    Action.objects.filter(plan=plan).update(
        title="Chronologies",
        start_date=today() - timedelta(days=90),
        due_date=today() - timedelta(days=5),
    )
    pages = {
        "home (lead)": client_for(cast.lead_a).get(reverse("frontend:home")),
        "home (link)": client_for(cast.link_a).get(reverse("frontend:home")),
        "workspace": client_for(cast.lead_a).get(
            reverse("frontend:partnership", args=["south-ayrshire"])
        ),
        "monitoring": client_for(cast.link_a).get(
            reverse("improvement:monitoring", args=["south-ayrshire"])
        ),
    }
    for where, page in pages.items():
        content = page.content.decode()
        assert "Chronologies" in content and "scrutiny-overdue" in content, where
    other = client_for(cast.lead_b).get(reverse("frontend:home")).content.decode()
    assert "Chronologies" not in other


def test_a_status_set_by_hand_never_hides_an_overdue_action_from_the_counts(cast: Cast) -> None:
    """
    Given an overdue action the link inspector has set to green by hand, with a reason
    When the plan page and the partnership's workspace count the plan's actions by status
    Then the overdue action counts as red, agreeing with "1 overdue action", and the action
    itself still shows the green set by hand, marked overdue
    """
    plan = helpers.submitted_plan(cast.lead_a)
    Action.objects.filter(plan=plan).update(
        start_date=today() - timedelta(days=90), due_date=today() - timedelta(days=5)
    )
    action = plan.actions.get()
    services.action_status_override(
        action=action, rag="green", reason="Agreed a new date", by=cast.link_a
    )
    summary = selectors.summarise(selectors.plan_actions(plan=plan))
    assert [a.pk for a in summary.overdue] == [action.pk]
    assert (summary.count("red"), summary.count("green")) == (1, 0)
    page = client_for(cast.link_a).get(reverse("improvement:plan", args=[plan.pk]))
    assert page.context["summary"].count("red") == 1
    content = page.content.decode()
    assert "1 overdue action:" in content
    assert 'Green: on track</strong> <span class="ds_hint-text">(set by hand)' in content
    assert '<strong class="scrutiny-overdue">overdue</strong>' in content
    workspace = client_for(cast.lead_a).get(
        reverse("frontend:partnership", args=["south-ayrshire"])
    )
    row = re.search(r"<tbody><tr>(.*?)</tr></tbody>", workspace.content.decode(), re.S)
    assert row is not None
    assert re.findall(r">(\d+)<", row.group(1)) == ["0", "0", "0", "1"]  # complete, G, A, R


# --- removing a milestone ------------------------------------------------------------------------


def _with_milestone(cast: Cast) -> tuple[ActionPlan, Milestone]:
    plan = helpers.draft_plan(cast.lead_a)
    action = helpers.action(plan)
    milestone = services.milestone_add(
        action=action, title="Workshop held", due_date=today() + timedelta(days=20)
    )
    return plan, milestone


def test_a_lead_removes_a_milestone_from_a_draft_plan(cast: Cast) -> None:
    _, milestone = _with_milestone(cast)
    client = client_for(cast.lead_a)
    response = client.post(reverse("improvement:milestone-remove", args=[milestone.pk]))
    assert response.status_code == 302
    assert not Milestone.objects.filter(pk=milestone.pk).exists()
    entry = LogEntry.objects.get(
        object_pk=str(milestone.pk), action=LogEntry.Action.DELETE, object_repr__contains="Workshop"
    )
    assert entry.actor == cast.lead_a
    page = client.get(reverse("improvement:action", args=[milestone.action_id])).text
    assert "Milestone &#x27;Workshop held&#x27; removed." in page
    assert "No milestones." in page


def test_a_milestone_stays_once_the_plan_is_submitted_or_it_is_done(cast: Cast) -> None:
    plan, milestone = _with_milestone(cast)
    Milestone.objects.filter(pk=milestone.pk).update(done_on=today())
    milestone.refresh_from_db()
    with pytest.raises(ImprovementError, match="stays in the action's history"):
        services.milestone_remove(milestone=milestone)
    Milestone.objects.filter(pk=milestone.pk).update(done_on=None)
    services.action_plan_submit(plan=plan, by=cast.lead_a)
    response = client_for(cast.lead_a).post(
        reverse("improvement:milestone-remove", args=[milestone.pk]), follow=True
    )
    assert services.PLAN_LOCKED in response.text
    assert Milestone.objects.filter(pk=milestone.pk).exists()


def test_only_the_partnerships_editors_remove_milestones(cast: Cast) -> None:
    _, milestone = _with_milestone(cast)
    url = reverse("improvement:milestone-remove", args=[milestone.pk])
    for user in (cast.viewer_a, cast.lead_b, cast.link_a):
        assert client_for(user).post(url).status_code == 403
    anonymous = client_for(None).post(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/account/sign-in/")
    assert Milestone.objects.filter(pk=milestone.pk).exists()


# --- changing a milestone ------------------------------------------------------------------------


def test_a_lead_rewords_and_redates_a_milestone_of_a_draft_plan(cast: Cast) -> None:
    _, milestone = _with_milestone(cast)
    client = client_for(cast.lead_a)
    url = reverse("improvement:milestone-edit", args=[milestone.pk])
    form = client.get(url).text
    assert 'value="Workshop held"' in form
    new_date = today() + timedelta(days=40)
    response = client.post(
        url, {"title": " Workshop held with schools ", "due_date": new_date.isoformat()}
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.title, milestone.due_date) == ("Workshop held with schools", new_date)
    entry = LogEntry.objects.get(object_pk=str(milestone.pk), action=LogEntry.Action.UPDATE)
    assert entry.actor == cast.lead_a
    assert entry.changes_dict["title"] == ["Workshop held", "Workshop held with schools"]
    page = client.get(reverse("improvement:action", args=[milestone.action_id])).text
    assert "Milestone &#x27;Workshop held with schools&#x27; changed." in page


def test_a_changed_milestone_keeps_inside_its_action_and_its_plan_rules(cast: Cast) -> None:
    plan, milestone = _with_milestone(cast)
    url = reverse("improvement:milestone-edit", args=[milestone.pk])
    client = client_for(cast.lead_a)
    late = milestone.action.due_date + timedelta(days=1)
    page = client.post(url, {"title": "Later", "due_date": late.isoformat()}).text
    assert "must fall between the action&#x27;s start" in page
    page = client.post(url, {"title": "  ", "due_date": milestone.due_date.isoformat()}).text
    assert '<a href="#id_title">Milestone: Say what the milestone is.</a>' in page
    milestone.refresh_from_db()
    assert milestone.title == "Workshop held"
    Milestone.objects.filter(pk=milestone.pk).update(done_on=today())
    milestone.refresh_from_db()
    with pytest.raises(ImprovementError, match="stays in the action's history"):
        services.milestone_change(milestone=milestone, title="Other", due_date=milestone.due_date)
    Milestone.objects.filter(pk=milestone.pk).update(done_on=None)
    services.action_plan_submit(plan=plan, by=cast.lead_a)
    page = client.post(url, {"title": "Other", "due_date": milestone.due_date.isoformat()}).text
    assert services.PLAN_LOCKED in page.replace("&#x27;", "'")
    milestone.refresh_from_db()
    assert milestone.title == "Workshop held"


def test_only_the_partnerships_editors_change_milestones(cast: Cast) -> None:
    _, milestone = _with_milestone(cast)
    url = reverse("improvement:milestone-edit", args=[milestone.pk])
    data = {"title": "Taken over", "due_date": milestone.due_date.isoformat()}
    for user in (cast.viewer_a, cast.lead_b, cast.link_a):
        assert client_for(user).get(url).status_code == 403
        assert client_for(user).post(url, data).status_code == 403
    anonymous = client_for(None).post(url, data)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/account/sign-in/")
    milestone.refresh_from_db()
    assert milestone.title == "Workshop held"


def test_the_inspection_pages_link_to_its_fieldwork_and_action_plan(cast: Cast) -> None:
    inspection = helpers.published_inspection()
    TeamMember.objects.create(inspection=inspection, user=cast.inspector_a, role="inspector")
    url = reverse("inspections:detail", args=[inspection.pk])
    page = client_for(cast.inspector_a).get(url).content.decode()
    assert reverse("fieldwork:overview", args=[inspection.pk]) in page
    assert "Action plan</a>" not in page  # none yet
    plan = helpers.submitted_plan(cast.lead_a, inspection)
    page = client_for(cast.inspector_a).get(url).content.decode()
    assert f'href="{reverse("improvement:plan", args=[plan.pk])}">Action plan</a>' in page
    # The partnership's viewer sees the plan; the fieldwork overview is theirs too.
    viewer = client_for(cast.viewer_a).get(url).content.decode()
    assert reverse("improvement:plan", args=[plan.pk]) in viewer
