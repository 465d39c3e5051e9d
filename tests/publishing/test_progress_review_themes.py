"""Coded qualitative themes as evidence in progress reviews and as measures of actions: the
published review gives the theme's count of comments through the disclosure-control gate, and
its confirmed quotes."""

from __future__ import annotations

import pytest

from scrutiny.improvement import services as improvement
from scrutiny.improvement.registry import EVIDENCE, MEASURE, source_for
from scrutiny.improvement.services import ImprovementError
from scrutiny.publishing.progress_review import render_body
from scrutiny.qualitative import services
from scrutiny.qualitative.models import Segment
from tests.conftest import Cast
from tests.improvement import helpers
from tests.qualitative.helpers import small_project

pytestmark = pytest.mark.django_db


def _review(cast: Cast):
    inspection = helpers.published_inspection()
    review = improvement.progress_review_create(
        inspection=inspection, title="Progress review", lead=cast.link_a, by=cast.link_a
    )
    return review, review.findings.get(area__number=1)


def test_a_review_cites_a_theme_with_a_protected_count_and_its_confirmed_quotes(
    cast: Cast,
) -> None:
    small = small_project(cast.lead_a)
    comments = list(Segment.objects.filter(source=small.comments).order_by("pk"))
    services.codings_add_whole(segments=comments[:2], code=small.trust, by=cast.lead_a)
    review, finding = _review(cast)
    improvement.evidence_link_add(
        finding=finding, obj=small.trust, note="Young people's views", by=cast.link_a
    )
    body = render_body(review, draft=True)
    assert "Coded theme: Trusted relationships (Views of families 2025)" in body
    assert "fewer than 5 comments: Young people&#x27;s views" in body  # 2 is a small count
    services.codings_add_whole(segments=comments[2:], code=small.trust, by=cast.lead_a)
    first = comments[0].codings.get()
    confirmed = services.quote_add(coding=first, by=cast.lead_a)
    services.quote_confirm(
        quote=confirmed, redacted=confirmed.redacted, note="", checked=True, by=cast.lead_a
    )
    services.quote_add(coding=comments[1].codings.get(), by=cast.lead_a)  # not confirmed
    body = render_body(review, draft=True)
    assert "Trusted relationships (Views of families 2025), 6 comments" in body
    assert "“My social worker listens to me and I trust her.”" in body
    assert "A child or young person; source: comments" in body
    assert "We waited six months" not in body  # a proposed quote is not published


def test_themes_are_offered_for_the_partnership_s_own_projects_only(cast: Cast) -> None:
    small = small_project(cast.lead_a)
    source = source_for(small.trust)
    assert source is not None and {EVIDENCE, MEASURE} <= source.purposes
    review, finding = _review(cast)
    inspection_project = services.project_create(
        partnership=small.project.partnership,
        inspection=helpers.published_inspection(),
        title="Fieldwork evidence",
        by=cast.admin,
    )
    team_only = services.code_add(project=inspection_project, name="Focus group themes")
    elsewhere = small_project(cast.lead_b, slug="east-ayrshire").trust
    for code in (team_only, elsewhere):
        with pytest.raises(ImprovementError, match="is not one of South Ayrshire"):
            improvement.evidence_link_add(finding=finding, obj=code, note="", by=cast.link_a)
    plan = helpers.draft_plan(cast.lead_a, review.inspection)
    link = improvement.measure_link_add(
        action=helpers.action(plan), obj=small.trust, note="", by=cast.lead_a
    )
    assert link.label == "Coded theme: Trusted relationships (Views of families 2025)"
    assert link.url == f"/qualitative/{small.project.pk}/codebook/{small.trust.pk}/"
