"""Counts of coded comments over time, co-occurrence, crosstabs, and counts for reports through
the disclosure-control gate."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from scrutiny.qualitative import selectors, services
from tests.conftest import Cast
from tests.qualitative.helpers import Small, small_project

pytestmark = pytest.mark.django_db


def _coded(cast: Cast) -> Small:
    small = small_project(cast.lead_a)
    segments = list(small.comments.segments.order_by("position"))
    services.codings_add_whole(segments=segments[:3], code=small.waiting, by=cast.lead_a)
    services.codings_add_whole(segments=segments[1:2], code=small.trust, by=cast.lead_a)
    return small


def test_counts_each_month_include_months_with_none(cast: Cast) -> None:
    small = _coded(cast)
    counts = selectors.monthly_counts(project=small.project, code=small.waiting)
    assert [(c.month, c.coded, c.total) for c in counts] == [
        (date(2025, 1, 1), 2, 2),
        (date(2025, 2, 1), 1, 2),
        (date(2025, 3, 1), 0, 4),
    ]


def test_a_parent_code_counts_the_codes_under_it(cast: Cast) -> None:
    small = _coded(cast)
    parent = services.code_add(project=small.project, name="Getting help")
    small.waiting.parent = parent
    small.waiting.save()
    counts = selectors.monthly_counts(project=small.project, code=parent)
    assert sum(c.coded for c in counts) == 3


def test_the_analysis_page_draws_a_run_chart_with_a_table(cast: Cast, as_user: Any) -> None:
    small = _coded(cast)
    response = as_user(cast.viewer_a).get(
        reverse("qualitative:analysis", args=[small.project.pk]), {"code": small.waiting.pk}
    )
    body = response.content.decode()
    assert "<table" in body and "January 2025" in body
    assert "<svg" in response.context["chart"]
    assert 'role="img"' in body
    assert response.context["summary"]


def test_co_occurrence_counts_comments_carrying_both_codes(cast: Cast) -> None:
    small = _coded(cast)
    matrix = selectors.co_occurrence(project=small.project)
    assert matrix.cell(small.waiting, small.trust) == 1
    assert matrix.cell(small.waiting, small.waiting) == 3


def test_the_crosstab_export_goes_through_the_disclosure_gate(cast: Cast, as_user: Any) -> None:
    small = _coded(cast)
    table = selectors.crosstab(project=small.project, attribute="respondent_type")
    assert table.column_labels == ["Child or young person", "Parent", "Member of staff"]
    response = as_user(cast.lead_a).get(
        reverse("qualitative:crosstab-export", args=[small.project.pk]), {"by": "respondent_type"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Code", "Child or young person", "Parent", "Member of staff"]
    # Every count here is below the threshold of 5: all are suppressed.
    assert {cell for row in rows[1:3] for cell in row[1:]} <= {"*", "0"}
    # Data only: every row is a code with one cell per column, nothing written below them.
    assert [row[0] for row in rows[1:]] == list(table.row_labels)
    assert all(len(row) == 4 for row in rows)


def test_theme_counts_for_reports_are_protected(cast: Cast) -> None:
    small = _coded(cast)
    protected = selectors.theme_counts(partnership=small.project.partnership)
    labels = dict(zip(protected.row_labels, protected.values, strict=True))
    assert labels["Waiting for help"] == (None,)  # 3 comments: suppressed
    assert labels["Workload"] == (0,)
    by_type = selectors.theme_counts(
        partnership=small.project.partnership, codes=["Waiting for help"], by="respondent_type"
    )
    assert by_type.row_labels == ("Waiting for help",)
