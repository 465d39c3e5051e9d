"""The inspection team: handing the lead to another member."""

from __future__ import annotations

from typing import Any

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from scrutiny.accounts.models import Role
from scrutiny.inspections import services
from scrutiny.inspections.models import TeamMember
from scrutiny.inspections.services import InspectionError
from tests import factories
from tests.inspections import helpers

pytestmark = pytest.mark.django_db


def _team():
    lead = helpers.lead_inspector()
    inspection = helpers.planned_inspection(lead)
    colleague = factories.user(Role.INSPECTOR)
    member = services.team_member_add(
        inspection=inspection, user=colleague, role=TeamMember.Role.INSPECTOR
    )
    return inspection, lead, colleague, member


def test_the_lead_hands_over_to_another_inspector_and_stays_on_the_team() -> None:
    """
    Given an inspection led by one inspector, with another on the team
    When the lead makes the other the lead inspector
    Then the other leads (and may advance the inspection), the first stays as an inspector,
    and the audit trail keeps both changes
    """
    inspection, lead, colleague, member = _team()
    client = Client()
    client.force_login(lead)
    page = client.get(reverse("inspections:detail", args=[inspection.pk])).content.decode()
    assert "Make lead inspector" in page
    response = client.post(reverse("inspections:team-make-lead", args=[inspection.pk, member.pk]))
    assert response.status_code == 302
    roles = {m.user: m.role for m in inspection.team.all()}
    assert roles == {lead: "inspector", colleague: "lead_inspector"}
    assert colleague.has_perm("inspections.lead_inspection", inspection)
    assert not lead.has_perm("inspections.lead_inspection", inspection)
    changes = LogEntry.objects.filter(
        content_type__model="teammember", action=LogEntry.Action.UPDATE
    )
    assert {tuple(e.changes_dict["role"]) for e in changes} == {
        ("lead_inspector", "inspector"),
        ("inspector", "lead_inspector"),
    }
    page = client.get(reverse("inspections:detail", args=[inspection.pk])).content.decode()
    assert "Make lead inspector" not in page  # no longer the lead


def test_only_inspectorate_staff_with_an_account_can_lead(cast: Any) -> None:
    inspection, lead, _, _ = _team()
    assessor = services.team_member_add(
        inspection=inspection, name="An assessor", role=TeamMember.Role.ASSOCIATE_ASSESSOR
    )
    with pytest.raises(InspectionError, match="inspectorate staff with a Scrutiny account"):
        services.team_lead_change(inspection=inspection, member=assessor)
    assert inspection.team.get(role="lead_inspector").user == lead


def test_another_partnerships_member_and_the_public_cannot_change_the_lead(cast: Any) -> None:
    inspection, lead, _, member = _team()
    url = reverse("inspections:team-make-lead", args=[inspection.pk, member.pk])
    client = Client()
    client.force_login(cast.lead_b)
    assert client.post(url).status_code == 403
    client.force_login(cast.inspector_a)  # an inspector not leading this inspection
    assert client.post(url).status_code == 403
    anonymous = Client().post(url)
    assert anonymous.status_code == 302 and "sign-in" in anonymous["Location"]
    assert inspection.team.get(role="lead_inspector").user == lead
