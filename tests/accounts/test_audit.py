from __future__ import annotations

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from scrutiny.accounts.access import log_child_level_access
from scrutiny.accounts.models import AccessLogEntry, Role
from scrutiny.inspections.models import Inspection
from tests import factories

pytestmark = pytest.mark.django_db


def test_changes_to_domain_records_are_kept_with_who_and_what(cast) -> None:
    client = Client()
    client.force_login(cast.admin)
    inspection = factories.inspection("south-ayrshire")
    inspection.title = "A corrected title"
    inspection.save()
    entries = LogEntry.objects.get_for_object(inspection).order_by("timestamp")
    assert [e.action for e in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert entries.last().changes_dict["title"][1] == "A corrected title"
    assert entries.last().additional_data == {
        "partnership_id": inspection.partnership_id,
        "inspection_id": inspection.pk,
    }


def test_the_audit_trail_filters_by_partnership_and_date(cast) -> None:
    a = factories.inspection("south-ayrshire", title="Inspection in A")
    b = factories.inspection("east-ayrshire", title="Inspection in B")
    LogEntry.objects.filter(object_pk=str(b.pk), content_type__model="inspection").update(
        timestamp=timezone.now() - timedelta(days=40)
    )
    client = Client()
    client.force_login(cast.admin)
    only_a = client.get(reverse("accounts:audit"), {"partnership": a.partnership_id})
    shown = {entry.object_repr for entry in only_a.context["page"]}
    assert "Inspection in A" in shown and "Inspection in B" not in shown

    recent = client.get(
        reverse("accounts:audit"), {"date_from": str(timezone.localdate() - timedelta(days=7))}
    )
    shown = {entry.object_repr for entry in recent.context["page"]}
    assert "Inspection in A" in shown and "Inspection in B" not in shown
    assert Inspection.objects.count() == 2


def test_a_bad_date_range_is_explained(cast) -> None:
    client = Client()
    client.force_login(cast.admin)
    response = client.get(
        reverse("accounts:audit"), {"date_from": "2026-05-01", "date_to": "2026-04-01"}
    )
    assert "on or after the" in response.content.decode()


def test_child_level_access_is_logged_and_listed(cast, rf) -> None:
    inspection = factories.inspection("south-ayrshire")
    request = rf.get("/inspections/1/sample/")
    request.user = cast.inspector_a
    log_child_level_access(request, what="Record sample", obj=inspection)
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.partnership_id, entry.what) == (
        cast.inspector_a,
        inspection.partnership_id,
        "Record sample",
    )
    client = Client()
    client.force_login(cast.admin)
    page = client.get(reverse("accounts:access-log"), {"partnership": inspection.partnership_id})
    assert list(page.context["page"]) == [entry]
    other = client.get(
        reverse("accounts:access-log"), {"partnership": factories.partnership("east-ayrshire").pk}
    )
    assert list(other.context["page"]) == []


def test_only_administrators_browse_the_audit_trail() -> None:
    client = Client()
    client.force_login(factories.user(Role.LEAD_INSPECTOR))
    assert client.get(reverse("accounts:audit")).status_code == 403


@pytest.mark.parametrize("name", ["accounts:audit", "accounts:access-log"])
@pytest.mark.parametrize(
    ("date_from", "date_to", "shown"),
    [
        ("", "9999-12-31", True),
        ("0001-01-01", "", True),
        ("0001-01-01", "9999-12-31", True),
        ("9999-12-31", "9999-12-31", False),
        ("0001-01-01", "0001-01-01", False),
    ],
)
def test_dates_at_the_ends_of_the_calendar_filter_without_error(
    cast, rf, name, date_from, date_to, shown
) -> None:
    """
    Given a change and an access recorded today
    When the filters ask for a day at the very start or end of the calendar
    Then the page lists what falls in the range, never a server error
    """
    inspection = factories.inspection("south-ayrshire")
    request = rf.get("/inspections/1/sample/")
    request.user = cast.inspector_a
    log_child_level_access(request, what="Record sample", obj=inspection)
    client = Client()
    client.force_login(cast.admin)
    response = client.get(reverse(name), {"date_from": date_from, "date_to": date_to})
    assert response.status_code == 200
    assert bool(list(response.context["page"])) is shown
