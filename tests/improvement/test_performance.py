"""A partnership with 200 actions and 500 updates: its pages use a bounded number of queries
(the same number whatever the plan's size). Timings are in benchmarks/improvement_pages.py."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import Cast, client_for
from tests.improvement import helpers
from tests.improvement.bulk import large_plan

pytestmark = pytest.mark.django_db


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["lead_a", "link_a"])
def test_plan_and_workspace_queries_do_not_grow_with_the_plan(cast: Cast, who: str) -> None:
    inspection = helpers.published_inspection(areas=5)
    client = client_for(getattr(cast, who))
    workspace = reverse("frontend:partnership", args=["south-ayrshire"])
    counts = []
    for actions, updates in ((10, 20), (200, 500)):
        plan = large_plan(
            inspection, by=cast.lead_a, actions=actions, updates=updates, today=helpers.today()
        )
        counts.append(
            (
                _queries(client, reverse("improvement:plan", args=[plan.pk])),
                _queries(client, workspace),
            )
        )
        plan.delete()
    assert counts[0] == counts[1]


def test_the_plan_page_with_200_actions_stays_within_its_query_budget(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    plan = large_plan(
        helpers.published_inspection(areas=5),
        by=cast.lead_a,
        actions=200,
        updates=500,
        today=helpers.today(),
    )
    client = client_for(cast.lead_a)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("improvement:plan", args=[plan.pk]))
    assert page.content.decode().count('href="/improvement/actions/') >= 200
    with django_assert_max_num_queries(60):
        client.get(reverse("frontend:partnership", args=["south-ayrshire"]))
