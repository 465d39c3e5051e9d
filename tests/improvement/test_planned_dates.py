"""Planned dates (an action's start and due dates, a progress review's fieldwork, a concern's
follow-up) fall in a sensible window, checked in the services and shown at the form's field."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from scrutiny.improvement import services
from scrutiny.improvement.models import (
    Action,
    Concern,
    ProgressReview,
    years_after,
)
from scrutiny.improvement.services import ImprovementError
from tests.conftest import Cast, client_for
from tests.improvement import helpers
from tests.improvement.helpers import today

pytestmark = pytest.mark.django_db

FIRST_DAY = date(1, 1, 1)
LAST_DAY = date(9999, 12, 31)


def test_years_after_keeps_the_day_or_takes_28_february() -> None:
    assert years_after(date(2026, 11, 27), 10) == date(2036, 11, 27)
    assert years_after(date(2028, 2, 29), 5) == date(2033, 2, 28)


def test_the_service_refuses_action_dates_outside_the_window_at_their_field(cast: Cast) -> None:
    """
    Given a draft plan after an inspection notified on 6 January 2025
    When an action starts on 1 January 0001, or is due on 31 December 9999
    Then the service refuses it, naming the field and the window, and saves nothing
    """
    plan = helpers.draft_plan(cast.lead_a)
    with pytest.raises(ImprovementError) as refused:
        helpers.action(plan, start_date=FIRST_DAY)
    assert refused.value.field == "start_date"
    assert str(refused.value).startswith(
        "The start date (1 January 1) is before the day the inspection was notified "
        "(6 January 2025): give a date from 6 January 2025 to "
    )
    with pytest.raises(ImprovementError) as refused:
        helpers.action(plan, due_date=LAST_DAY)
    assert refused.value.field == "due_date"
    latest = years_after(today(), 10)
    assert str(refused.value).startswith(
        f"The due date (31 December 9999) is later than ten years from today "
        f"({latest.day} {latest:%B %Y})"
    )
    assert not Action.objects.exists()
    saved = helpers.action(plan, start_date=date(2025, 1, 6), due_date=latest)
    assert saved.due_date == latest
    with pytest.raises(ImprovementError, match="later than ten years"):
        helpers.action(plan, action=saved, due_date=latest + timedelta(days=1))


def test_the_action_form_shows_an_implausible_date_at_its_field(cast: Cast) -> None:
    plan = helpers.draft_plan(cast.lead_a)
    area = plan.inspection.areas_for_improvement.first()
    assert area is not None
    response = client_for(cast.lead_a).post(
        reverse("improvement:action-add", args=[plan.pk]),
        {
            "title": "Far away",
            "areas": [area.pk],
            "lead_agency": "Council",
            "owner_name": "A person",
            "owner_email": "a@example.org",
            "start_date": today().isoformat(),
            "due_date": LAST_DAY.isoformat(),
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["due_date"]
    assert (
        "The due date (31 December 9999) is later than ten years from today"
        in errors["due_date"][0]
    )
    assert not Action.objects.exists()


def test_fieldwork_of_a_progress_review_falls_between_the_report_and_five_years_on(
    cast: Cast,
) -> None:
    inspection = helpers.published_inspection()
    published = inspection.publication_date
    assert published is not None
    with pytest.raises(ImprovementError) as refused:
        services.progress_review_create(
            inspection=inspection,
            title="Too early",
            lead=cast.link_a,
            by=cast.link_a,
            fieldwork_start=FIRST_DAY,
        )
    assert refused.value.field == "fieldwork_start"
    assert "before the inspection report's publication" in str(refused.value)
    assert not ProgressReview.objects.exists()
    review = services.progress_review_create(
        inspection=inspection, title="Review", lead=cast.link_a, by=cast.link_a
    )
    with pytest.raises(ImprovementError) as refused:
        services.progress_review_update(
            review=review, fieldwork_start=published, fieldwork_end=LAST_DAY
        )
    assert refused.value.field == "fieldwork_end"
    assert "is later than five years from today" in str(refused.value)
    review.refresh_from_db()
    assert review.fieldwork_end is None


def test_the_review_pages_show_implausible_fieldwork_at_its_field(cast: Cast) -> None:
    inspection = helpers.published_inspection()
    client = client_for(cast.link_a)
    response = client.post(
        reverse("improvement:review-create", args=[inspection.pk]),
        {"title": "Review", "lead": cast.link_a.pk, "fieldwork_start": FIRST_DAY.isoformat()},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["fieldwork_start"]
    assert "The start of fieldwork (1 January 1) is before" in errors["fieldwork_start"][0]
    assert not ProgressReview.objects.exists()
    review = services.progress_review_create(
        inspection=inspection, title="Review", lead=cast.link_a, by=cast.link_a
    )
    response = client.post(
        reverse("improvement:review-edit", args=[review.pk]),
        {"title": "Review", "fieldwork_start": today().isoformat(), "fieldwork_end": "9999-12-31"},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["fieldwork_end"]


def test_a_follow_up_date_falls_within_five_years_of_the_concern(cast: Cast) -> None:
    """
    Given a concern raised on 15 March 2017 (recorded now, as the demonstration does)
    When its follow-up date is 30 June 2017, or 31 December 9999
    Then the first is kept and the second refused at the follow-up field
    """
    partnership = helpers.published_inspection().partnership
    kept = services.concern_raise(
        partnership=partnership,
        raised_on=date(2017, 3, 15),
        title="Recruitment",
        detail="Posts unfilled.",
        severity=Concern.Severity.MEDIUM,
        follow_up_by=date(2017, 6, 30),
        by=cast.link_a,
    )
    assert kept.follow_up_by == date(2017, 6, 30)
    response = client_for(cast.link_a).post(
        reverse("improvement:concern-add", args=[partnership.slug]),
        {
            "raised_on": today().isoformat(),
            "title": "Far",
            "detail": "x",
            "severity": "low",
            "follow_up_by": LAST_DAY.isoformat(),
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["follow_up_by"]
    latest = years_after(today(), 5)
    assert (
        "The follow-up date (31 December 9999) is later than five years from the day the concern "
        f"was raised ({latest.day} {latest:%B %Y})" in errors["follow_up_by"][0]
    )
    assert Concern.objects.count() == 1
