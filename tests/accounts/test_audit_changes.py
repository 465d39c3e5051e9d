from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import dateformat, timezone

from scrutiny.accounts.models import LinkAssignment, Organisation, Role
from scrutiny.accounts.selectors import AuditChange, AuditRow
from tests import factories

pytestmark = pytest.mark.django_db


def _audit(cast) -> tuple[list[AuditRow], str]:
    client = Client()
    client.force_login(cast.admin)
    response = client.get(reverse("accounts:audit"))
    assert response.status_code == 200
    return response.context["rows"], response.content.decode()


def _row(rows: list[AuditRow], obj: object, action: int) -> AuditRow:
    return next(
        row
        for row in rows
        if row.entry.object_pk == str(obj.pk)  # type: ignore[attr-defined]
        and row.entry.content_type.model_class() is type(obj)
        and row.entry.action == action
    )


def test_it_names_related_records_and_choices_of_a_new_record(cast) -> None:
    """
    Given an administrator made an account for an inspector
    When the audit trail is shown
    Then the organisation is named, the role, yes/no and moments read as words, and neither
    the record's id, its empty fields nor its reverse relations ("….None") make a line
    """
    person = factories.user(Role.INSPECTOR, full_name="Ada Inspector")
    rows, page = _audit(cast)
    changes = {c.label: c for c in _row(rows, person, LogEntry.Action.CREATE).changes}
    inspectorate = Organisation.objects.get(kind=Organisation.Kind.INSPECTORATE)
    assert changes["Organisation"] == AuditChange("Organisation", None, inspectorate.name)
    assert changes["Role"].after == "Inspector"
    assert changes["Full name"].after == "Ada Inspector"
    assert changes["Is active"].after == "Yes"
    assert changes["Date joined"].after == dateformat.format(
        timezone.localtime(person.date_joined), "j M Y H:i"
    )
    assert changes["Superuser status"].after == "No"
    assert all(change.after for change in changes.values())
    assert "ID" not in changes and "Id" not in changes
    assert not any(".None" in (c.after or "") for c in changes.values())
    assert "link_assignments" not in changes and "Link assignments" not in changes
    assert ".None" not in page and "None →" not in page


def test_it_shows_a_changed_foreign_key_by_name_and_a_lost_one_by_id(cast) -> None:
    """
    Given a link assignment moved from South Ayrshire to East Ayrshire,
    and an older change naming an inspector whose record has gone
    When the audit trail is shown
    Then the move reads by the partnerships' names and the lost inspector by their id
    """
    assignment = LinkAssignment.objects.get(inspector=cast.link_a)
    south, east = factories.partnership("south-ayrshire"), factories.partnership("east-ayrshire")
    assignment.partnership = east
    assignment.save()
    moved = LogEntry.objects.get_for_object(assignment).get(action=LogEntry.Action.UPDATE)
    LogEntry.objects.filter(pk=moved.pk).update(
        changes={**moved.changes_dict, "inspector": [str(cast.link_a.pk), "987654"]}
    )
    rows, _ = _audit(cast)
    changes = {c.label: c for c in _row(rows, assignment, LogEntry.Action.UPDATE).changes}
    assert changes["Partnership"] == AuditChange("Partnership", south.name, east.name)
    assert changes["Inspector"] == AuditChange(
        "Inspector", str(cast.link_a), "987654 (no longer exists)"
    )


def test_it_looks_up_related_records_in_a_batch(cast) -> None:
    """
    Given a page of changes naming many different people and partnerships
    When the audit trail is shown
    Then the number of queries does not grow with the number of changes
    """

    def queries() -> int:
        client = Client()
        client.force_login(cast.admin)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("accounts:audit")).status_code == 200
        return len(captured)

    factories.user(Role.INSPECTOR)
    few = queries()
    for slug in ("east-ayrshire", "north-ayrshire", "south-ayrshire"):
        for _ in range(3):
            factories.link(factories.user(Role.LINK_INSPECTOR), slug)
            factories.user(Role.VIEWER, slug)
    assert queries() == few
