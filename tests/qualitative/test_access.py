"""Who sees which qualitative evidence: the partnership's own, an inspection team's, and the
partnership workspace panel."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from scrutiny.accounts.models import Role
from scrutiny.inspections.models import Status
from scrutiny.qualitative import services
from scrutiny.qualitative.models import Project
from tests import factories
from tests.conftest import Cast
from tests.qualitative.helpers import small_project

pytestmark = pytest.mark.django_db


def test_inspection_evidence_is_for_the_inspection_team_not_the_partnership(
    cast: Cast, as_user: Any
) -> None:
    inspection = factories.inspection(
        "south-ayrshire", status=Status.EVALUATING, team=((cast.inspector_a, "inspector"),)
    )
    project = services.project_create(
        partnership=inspection.partnership,
        inspection=inspection,
        title="Focus groups during fieldwork",
        by=cast.inspector_a,
    )
    url = reverse("qualitative:project", args=[project.pk])
    # Like the surveys' free-text answers it may hold: the team only, not the link inspector
    # or quality assurance.
    expected = {
        "inspector_a": 200,
        "admin": 200,
        "qa": 403,
        "link_a": 403,
        "lead_a": 403,
        "viewer_a": 403,
        "lead_b": 403,
    }
    got = {name: as_user(getattr(cast, name)).get(url).status_code for name in expected}
    assert got == expected
    assert cast.inspector_a.has_perm("qualitative.change_project", project)
    assert not cast.link_a.has_perm("qualitative.change_project", project)
    for name in ("link_a", "qa"):
        user = getattr(cast, name)
        assert user.has_perm("inspections.view_inspection_work", inspection)
        assert not user.has_perm("fieldwork.view_free_text", inspection)
        assert not user.has_perm("qualitative.view_project", project)


def test_an_inspector_starts_a_project_for_their_inspection(cast: Cast, as_user: Any) -> None:
    inspection = factories.inspection(
        "south-ayrshire", status=Status.EVALUATING, team=((cast.inspector_a, "inspector"),)
    )
    response = as_user(cast.inspector_a).post(
        reverse("qualitative:inspection-project-create", args=[inspection.pk]),
        {"title": "Staff focus groups"},
    )
    assert response.status_code == 302
    assert Project.objects.get(inspection=inspection).title == "Staff focus groups"


def test_the_partnership_page_lists_the_projects_a_person_may_see(cast: Cast, as_user: Any) -> None:
    small = small_project(cast.lead_a)
    page = as_user(cast.viewer_a).get(reverse("frontend:partnership", args=["south-ayrshire"]))
    body = page.content.decode()
    assert small.project.title in body
    assert "Start a qualitative project" not in body
    lead_page = as_user(cast.lead_a).get(reverse("frontend:partnership", args=["south-ayrshire"]))
    assert "Start a qualitative project" in lead_page.content.decode()


def test_a_contributor_codes_but_a_viewer_does_not(cast: Cast) -> None:
    small = small_project(cast.lead_a)
    contributor = factories.user(Role.CONTRIBUTOR, "south-ayrshire")
    assert contributor.has_perm("qualitative.change_project", small.project)
    assert not cast.viewer_a.has_perm("qualitative.change_project", small.project)
    assert not cast.lead_b.has_perm("qualitative.view_project", small.project)


def test_the_inspection_s_side_navigation_leads_its_team_to_the_qualitative_evidence(
    cast: Cast, as_user: Any
) -> None:
    inspection = factories.inspection(
        "south-ayrshire", status=Status.EVALUATING, team=((cast.inspector_a, "inspector"),)
    )
    detail = reverse("inspections:detail", args=[inspection.pk])
    start = reverse("qualitative:inspection-project-create", args=[inspection.pk])
    assert f'href="{start}">Qualitative evidence</a>' in as_user(cast.inspector_a).get(detail).text
    project = services.project_create(
        partnership=inspection.partnership,
        inspection=inspection,
        title="Focus groups during fieldwork",
        by=cast.inspector_a,
    )
    page = as_user(cast.inspector_a).get(detail).text
    assert f'href="{project.get_absolute_url()}">Qualitative evidence</a>' in page
    # The link inspector sees the inspection's work but not its qualitative evidence.
    assert "Qualitative evidence</a>" not in as_user(cast.link_a).get(detail).text
