"""Key dates: planned by the team, recorded by Scrutiny when the draft is sent and the report
published, and kept in order without blocking unrelated edits."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from scrutiny.accounts.models import Role
from scrutiny.improvement.services import action_plan_start
from scrutiny.inspections import services
from scrutiny.inspections.models import Inspection, QASignOff, Status
from scrutiny.publishing.services import inspection_publish
from tests import factories
from tests.inspections import helpers

pytestmark = pytest.mark.django_db


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _planned_ahead(lead):
    """Ready for QA, with the panel, the draft and publication planned months ahead."""
    today = timezone.localdate()
    inspection = helpers.ready_for_qa(lead)
    services.inspection_update(
        inspection=inspection,
        context="A coastal council area.",
        conclusion="Partners were well placed to improve.",
        qa_panel_date=today + timedelta(days=90),
        draft_date=today + timedelta(days=100),
        publication_date=today + timedelta(days=110),
    )
    return inspection


def _send_draft(inspection: Inspection, lead) -> Inspection:
    services.inspection_advance(inspection=inspection, by=lead)
    services.qa_signoff_record(
        inspection=inspection,
        by=factories.user(Role.QUALITY_ASSURANCE),
        decision=QASignOff.Decision.SIGNED_OFF,
        comments="",
    )
    return services.inspection_advance(inspection=inspection, by=lead)


def test_it_records_the_day_the_draft_is_sent_and_keeps_the_dates_in_order() -> None:
    """
    Given a draft whose panel, draft and publication dates were planned months ahead
    When QA signs off and the draft is sent today
    Then the draft date and the panel date are today, the dates are in order, and the status
    change says what was planned
    """
    lead = helpers.lead_inspector()
    inspection = _planned_ahead(lead)
    planned_draft = inspection.draft_date
    assert planned_draft is not None
    inspection = _send_draft(inspection, lead)
    today = timezone.localdate()
    inspection.refresh_from_db()
    assert inspection.draft_date == today
    assert inspection.qa_panel_date == today
    inspection.full_clean()  # the order rule holds
    note = inspection.status_changes.get(to_status=Status.FACTUAL_ACCURACY).note
    assert f"planned {_long(planned_draft)}" in note


def test_the_report_shows_the_day_it_was_published_not_the_planned_one() -> None:
    """
    Given a report planned for publication in 110 days
    When it is published today
    Then the report page, its PDF cover, the public list and the action plan's due date use today
    """
    lead = helpers.lead_inspector()
    inspection = _send_draft(_planned_ahead(lead), lead)
    planned = inspection.publication_date
    assert planned is not None
    version = inspection_publish(inspection=inspection, by=lead)
    today = timezone.localdate()
    inspection.refresh_from_db()
    assert inspection.publication_date == today
    assert f"planned {_long(planned)}" in (
        inspection.status_changes.get(to_status=Status.PUBLISHED).note
    )

    page = Client().get(reverse("publishing:report", args=[inspection.pk])).content.decode()
    assert _long(today) in page
    assert _long(planned) not in page
    listing = Client().get(reverse("publishing:partnerships")).content.decode()
    assert f"{today:%B %Y}" in listing
    cover = PdfReader(io.BytesIO(bytes(version.pdf))).pages[0].extract_text()
    assert f"Published {_long(today)}" in " ".join(cover.split())

    plan = action_plan_start(inspection=inspection, by=lead)
    assert plan.due_date == today + timedelta(weeks=6)


def test_the_details_page_saves_other_changes_when_stored_dates_are_out_of_order() -> None:
    """
    Given stored key dates out of order (the panel after the draft)
    When the team changes only the title on "Change key dates and report text"
    Then it is saved; changing a date out of order is still refused, next to the field
    """
    lead = helpers.lead_inspector()
    inspection = helpers.ready_for_qa(lead)
    Inspection.objects.filter(pk=inspection.pk).update(
        qa_panel_date=date(2027, 2, 22), draft_date=date(2026, 11, 26)
    )
    inspection.refresh_from_db()
    client = Client()
    client.force_login(lead)
    url = reverse("inspections:edit", args=[inspection.pk])
    form = client.get(url).context["form"]
    data = {
        name: ("on" if value is True else "")
        if isinstance(value, bool)
        else (value.isoformat() if isinstance(value, date) else ("" if value is None else value))
        for name, value in ((n, form[n].value()) for n in form.fields)
    }
    data = {k: v for k, v in data.items() if v != ""}
    data["title"] = "A corrected title"
    response = client.post(url, data)
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.title == "A corrected title"

    data["onsite_date"] = "2025-12-01"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "before the notification date" in response.context["form"].errors["onsite_date"][0]


def test_recorded_dates_cannot_be_changed() -> None:
    lead = helpers.lead_inspector()
    inspection = _send_draft(_planned_ahead(lead), lead)
    with pytest.raises(ValidationError, match="recorded"):
        services.inspection_update(
            inspection=inspection, draft_date=timezone.localdate() + timedelta(days=1)
        )
