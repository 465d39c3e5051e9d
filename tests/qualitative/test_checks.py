"""Blind double coding: a sample coded again without seeing the first coder's work, agreement
per code and overall, and reconciling disagreements."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from scrutiny.accounts.models import Role
from scrutiny.analysis import agreement
from scrutiny.qualitative import selectors, services
from scrutiny.qualitative.models import Coding, CodingCheck
from scrutiny.qualitative.services import QualitativeError
from tests import factories
from tests.conftest import Cast
from tests.qualitative.helpers import Small, small_project

pytestmark = pytest.mark.django_db


def _coded(cast: Cast) -> tuple[Small, Any]:
    """Comments 1 to 4 coded by a contributor; a check of all six comments, lead_a blind."""
    first = factories.user(Role.CONTRIBUTOR, "south-ayrshire")
    small = small_project(first)
    segments = list(small.comments.segments.order_by("position"))
    services.codings_add_whole(segments=segments[:2], code=small.trust, by=first)
    services.codings_add_whole(segments=segments[1:4], code=small.waiting, by=first)
    check = services.check_create(
        project=small.project,
        title="Check",
        unit=CodingCheck.Unit.COMMENT,
        first_coder=first,
        coders=[cast.lead_a],
        sources=[small.comments],
        sample_size=6,
        seed=3,
        by=first,
    )
    return small, check


def test_the_first_coders_work_is_frozen_into_the_check(cast: Cast) -> None:
    _, check = _coded(cast)
    assert Coding.objects.filter(check_run=check).count() == 5
    # Changing the project's coding later does not move the check's figures.
    Coding.objects.filter(check_run__isnull=True).delete()
    assert Coding.objects.filter(check_run=check).count() == 5


def test_a_blind_coder_does_not_see_anyone_elses_coding(cast: Cast, as_user: Any) -> None:
    small, check = _coded(cast)
    client = as_user(cast.lead_a)
    source_page = client.get(small.comments.get_absolute_url())
    body = source_page.content.decode()
    assert 'class="qual-mark"' not in body
    assert "Coding hidden while you code this blind" in body
    check_page = client.get(check.get_absolute_url())
    assert check_page.context["agreement"] is None
    blind_page = client.get(reverse("qualitative:check-code", args=[small.project.pk, check.pk]))
    assert "checked" not in blind_page.content.decode()
    # Another person still sees the coding.
    assert (
        'class="qual-mark"'
        in as_user(cast.viewer_a).get(small.comments.get_absolute_url()).content.decode()
    )


def test_agreement_is_cohens_kappa_per_code_over_whole_comments(cast: Cast, as_user: Any) -> None:
    small, check = _coded(cast)
    sample = sorted(check.segments.values_list("pk", flat=True))
    by_position = dict(small.comments.segments.values_list("pk", "position"))
    # The blind coder agrees on trust; on waiting, misses comment 4 and adds comment 5.
    choices = {}
    for pk in sample:
        position = by_position[pk]
        codes = []
        if position in (1, 2):
            codes.append(small.trust.pk)
        if position in (2, 3, 5):
            codes.append(small.waiting.pk)
        choices[pk] = codes
    services.check_code_segments(check=check, coder=cast.lead_a, choices=choices)
    services.check_finish(check=check, user=cast.lead_a)
    result = selectors.check_agreement(check=check)
    assert result.unit == "comment"
    assert result.units == 6
    rows = {row.code.name: row for row in result.per_code}
    assert rows["Trusted relationships"].pairs[0].result.kappa == 1.0
    waiting_first = [by_position[pk] in (2, 3, 4) for pk in sample]
    waiting_second = [by_position[pk] in (2, 3, 5) for pk in sample]
    expected = agreement.presence_agreement(waiting_first, waiting_second)
    assert rows["Waiting for help"].pairs[0].result == expected
    assert rows["Waiting for help"].pairs[0].result.agreed == 4
    page = as_user(cast.viewer_a).get(check.get_absolute_url())
    assert "6 whole comments" in page.content.decode()


def test_three_coders_are_compared_with_krippendorffs_alpha(cast: Cast) -> None:
    small, check = _coded(cast)
    third = factories.user(Role.PARTNERSHIP_LEAD, "south-ayrshire")
    from scrutiny.qualitative.models import CheckCoder

    CheckCoder.objects.create(check_run=check, user=third)
    sample = list(check.segments.values_list("pk", flat=True))
    services.check_code_segments(
        check=check, coder=cast.lead_a, choices={pk: [small.trust.pk] for pk in sample}
    )
    services.check_code_segments(check=check, coder=third, choices={sample[0]: [small.trust.pk]})
    result = selectors.check_agreement(check=check)
    assert len(result.overall) == 2
    assert result.overall_alpha is not None
    assert -1.0 <= result.overall_alpha.alpha <= 1.0


def test_disagreements_are_listed_and_reconciled_on_the_projects_coding(
    cast: Cast, as_user: Any
) -> None:
    small, check = _coded(cast)
    sample = list(check.segments.order_by("pk"))
    services.check_code_segments(
        check=check, coder=cast.lead_a, choices={s.pk: [small.workload.pk] for s in sample[:1]}
    )
    services.check_finish(check=check, user=cast.lead_a)
    found = selectors.check_disagreements(check=check)
    workload = [d for d in found if d.code == small.workload]
    assert len(workload) == 1 and not workload[0].in_project
    response = as_user(cast.lead_a).post(
        reverse("qualitative:check-reconcile", args=[small.project.pk, check.pk]),
        {"code": small.workload.pk, "segment": sample[0].pk, "action": "apply"},
    )
    assert response.status_code == 302
    assert Coding.objects.filter(
        check_run__isnull=True, code=small.workload, segment=sample[0]
    ).exists()


def test_a_finished_coder_cannot_change_their_coding(cast: Cast) -> None:
    _, check = _coded(cast)
    services.check_finish(check=check, user=cast.lead_a)
    with pytest.raises(QualitativeError, match="finished"):
        services.check_code_segments(check=check, coder=cast.lead_a, choices={})


def test_the_first_coder_cannot_be_their_own_blind_coder(cast: Cast) -> None:
    small = small_project(cast.lead_a)
    with pytest.raises(QualitativeError, match="choose others"):
        services.check_create(
            project=small.project,
            title="Self",
            unit="comment",
            first_coder=cast.lead_a,
            coders=[cast.lead_a],
            sources=[small.comments],
            sample_size=3,
            by=cast.lead_a,
        )


def test_agreement_over_characters_for_notes(cast: Cast) -> None:
    first = factories.user(Role.CONTRIBUTOR, "south-ayrshire")
    small = small_project(first)
    text = small.notes.text
    start = text.index("staff changed")
    services.coding_add(
        source=small.notes, code=small.workload, start=start, end=start + 13, by=first
    )
    check = services.check_create(
        project=small.project,
        title="Characters",
        unit=CodingCheck.Unit.CHARACTER,
        first_coder=first,
        coders=[cast.lead_a],
        sources=[small.notes],
        by=first,
    )
    services.check_code_span(
        check=check,
        coder=cast.lead_a,
        source=small.notes,
        code=small.workload,
        start=start,
        end=start + 5,
    )
    result = selectors.check_agreement(check=check)
    assert result.units == len(text)
    pair = result.per_code[0].pairs[0].result
    assert pair.agreed == len(text) - 8
    disagreements = selectors.check_disagreements(check=check)
    assert [(d.start, d.end) for d in disagreements] == [(start + 5, start + 13)]
