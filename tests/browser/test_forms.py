"""Pages with forms that the demo crawl cannot reach (they need a draft plan or an inspection
still in fieldwork): each is checked in the browser with axe-core, and used."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.urls import reverse

from scrutiny.accounts.models import Role
from scrutiny.demo import builder
from scrutiny.fieldwork import loader as fieldwork_loader
from scrutiny.fieldwork import mapping
from scrutiny.fieldwork import models as fieldwork_models
from scrutiny.fieldwork import services as fieldwork_services
from scrutiny.fieldwork.models import SurveyInstrument
from scrutiny.improvement import services as improvement_services
from scrutiny.improvement.models import Action, Milestone
from scrutiny.inspections.models import EvidenceItem, Status, TeamMember
from tests import factories
from tests.browser.conftest import axe_violations, describe, landmark_violations
from tests.improvement import helpers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def reference_data(transactional_db: Any) -> None:
    """What migrations load, again: a transactional test before this one emptied the tables."""
    builder.ensure_reference_data()
    fieldwork_loader.load_defaults(fieldwork_models)


@pytest.fixture
def signed_in(browser: Any, live_server: Any) -> Iterator[Callable[[Any], Any]]:
    """Open a page signed in as a user; the pages are closed before the live server lets go of
    the database (a request still in flight would otherwise outlive the test)."""
    contexts = []

    def page_for(user: Any) -> Any:
        context = browser.new_context()
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}/account/sign-in/")
        page.fill("input[name=username]", user.email)
        page.fill("input[name=password]", factories.PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        assert "/account/sign-in/" not in page.url
        return page

    yield page_for
    for context in contexts:
        context.close()


def _checked(page: Any, url: str | None = None) -> None:
    """Open ``url`` (or take the page as it is) and check it: one h1, no axe-core violation."""
    if url is not None:
        response = page.goto(url)
        assert response is not None and response.status == 200, url
    assert page.locator("h1").count() == 1
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n{describe(violations)}"


def test_a_lead_changes_a_milestone(live_server: Any, signed_in: Any, cast: Any) -> None:
    plan = helpers.draft_plan(cast.lead_a)
    action = helpers.action(plan)
    milestone = improvement_services.milestone_add(
        action=action, title="Workshop held", due_date=action.start_date + timedelta(days=40)
    )
    page = signed_in(cast.lead_a)
    action_url = live_server.url + reverse("improvement:action", args=[action.pk])
    _checked(page, action_url)
    page.get_by_role("link", name="Change the milestone Workshop held").click()
    page.wait_for_load_state()
    _checked(page)
    page.get_by_label("Milestone", exact=True).fill("Workshop held with schools")
    page.get_by_role("button", name="Save the milestone").click()
    page.wait_for_load_state()
    assert page.url == action_url
    assert "Milestone 'Workshop held with schools' changed." in page.locator("main").inner_text()
    milestone.refresh_from_db()
    assert milestone.title == "Workshop held with schools"
    assert Milestone.objects.filter(action=action).count() == 1


def test_an_inspector_adds_a_surveys_summary_to_the_evidence_log(
    live_server: Any, signed_in: Any, cast: Any, inspection_a: Any
) -> None:
    survey = fieldwork_services.survey_create(
        inspection=inspection_a,
        instrument=SurveyInstrument.objects.get(slug="scrutiny-staff-survey"),
        title="Staff survey",
        by=cast.inspector_a,
    )
    fieldwork_services.store_responses(
        survey=survey,
        batch=None,
        parsed=[
            mapping.ParsedResponse(
                row=n + 2,
                submitted_at=datetime(2026, 3, 2, 10, 0),
                answers={"joint-working": "agree" if n % 4 else "disagree"},
            )
            for n in range(40)
        ],
    )
    page = signed_in(cast.inspector_a)
    _checked(page, live_server.url + reverse("fieldwork:survey", args=[survey.pk]))
    page.get_by_role("button", name="Add the summary in the evidence log").click()
    page.wait_for_load_state()
    _checked(page)
    main = page.locator("main").inner_text()
    assert "Evidence log updated: Staff survey." in main
    assert 'In the evidence log as "Staff survey"' in main
    item = EvidenceItem.objects.get(inspection=inspection_a)
    assert "% agree: 75% (" in item.summary


def test_removing_a_team_member_asks_first(live_server: Any, signed_in: Any, cast: Any) -> None:
    lead = factories.user(Role.LEAD_INSPECTOR)
    inspection = factories.inspection(
        "south-ayrshire",
        status=Status.EVALUATING,
        team=((lead, "lead_inspector"), (cast.inspector_a, "inspector")),
    )
    page = signed_in(lead)
    _checked(page, live_server.url + reverse("inspections:detail", args=[inspection.pk]))
    confirm = page.get_by_role("button", name=f"Yes, remove {cast.inspector_a.full_name}")
    assert not confirm.is_visible()  # nothing happens on the first click but opening the question
    # (The member's row also offers to make them the lead, behind its own question.)
    page.locator("details.scrutiny-confirm summary", has_text="Remove").first.click()
    assert page.get_by_text(f"Remove {cast.inspector_a.full_name}? They lose access").is_visible()
    _checked(page)
    assert TeamMember.objects.filter(inspection=inspection, user=cast.inspector_a).exists()
    confirm.click()
    page.wait_for_load_state()
    assert page.get_by_text(f"{cast.inspector_a.full_name} removed from the team.").is_visible()
    assert not TeamMember.objects.filter(inspection=inspection, user=cast.inspector_a).exists()


def test_removing_an_action_asks_first(live_server: Any, signed_in: Any, cast: Any) -> None:
    plan = helpers.draft_plan(cast.lead_a)
    action = helpers.action(plan, title="Shared chronologies")
    page = signed_in(cast.lead_a)
    _checked(page, live_server.url + reverse("improvement:action", args=[action.pk]))
    confirm = page.get_by_role("button", name="Yes, remove action 1")
    assert not confirm.is_visible()
    page.locator("details.scrutiny-confirm summary").first.click()
    assert page.get_by_text("Remove action 1? Its milestones and measures go with it").is_visible()
    _checked(page)
    assert Action.objects.filter(pk=action.pk).exists()
    confirm.click()
    page.wait_for_load_state()
    assert page.get_by_text("Action 1 removed. The other actions keep their numbers.").is_visible()
    assert not Action.objects.filter(pk=action.pk).exists()


def test_the_home_page_with_overdue_actions_has_distinct_landmarks(
    live_server: Any, signed_in: Any, cast: Any
) -> None:
    """
    Given an overdue action in the partnership lead's plan
    When the lead opens the home page, where overdue actions stand out
    Then the section and the scrollable table inside it are landmarks with different names
    """
    plan = helpers.submitted_plan(cast.lead_a)
    Action.objects.filter(plan=plan).update(
        start_date=helpers.today() - timedelta(days=90),
        due_date=helpers.today() - timedelta(days=5),
    )
    page = signed_in(cast.lead_a)
    _checked(page, live_server.url + reverse("frontend:home"))
    violations = landmark_violations(page)
    assert not violations, describe(violations)
    assert page.get_by_role("region", name="Overdue actions", exact=True).count() == 1
