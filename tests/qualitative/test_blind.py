"""While someone codes a double-coding check blind, no route shows them other people's
coding of the check's sample: the source page, search (by text or by code), a code's page,
codings and quotes, the project export; and they are told which check hides it."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.urls import reverse

from scrutiny.accounts.models import Role
from scrutiny.qualitative import services
from scrutiny.qualitative.models import Coding, CodingCheck
from tests import factories
from tests.conftest import Cast
from tests.qualitative.helpers import Small, small_project

pytestmark = pytest.mark.django_db


def _comment_check(cast: Cast, title: str = "Check") -> tuple[Small, CodingCheck, Any]:
    """Comments 1 and 2 coded 'Trusted relationships' by a contributor; a check of all six
    comments in which lead_a codes blind."""
    first = factories.user(Role.CONTRIBUTOR, "south-ayrshire")
    small = small_project(first)
    segments = list(small.comments.segments.order_by("position"))
    services.codings_add_whole(segments=segments[:2], code=small.trust, by=first)
    check = services.check_create(
        project=small.project,
        title=title,
        unit=CodingCheck.Unit.COMMENT,
        first_coder=first,
        coders=[cast.lead_a],
        sources=[small.comments],
        sample_size=6,
        seed=3,
        by=first,
    )
    return small, check, first


def _search_by_code(client: Any, small: Small) -> str:
    url = reverse("qualitative:search", args=[small.project.pk])
    response = client.get(url, {"q": "", "code": small.trust.pk})
    assert response.status_code == 200
    return response.content.decode()


def test_it_hides_the_sample_from_the_code_filter_of_search(cast: Cast, as_user: Any) -> None:
    small, _, _ = _comment_check(cast)
    blind = _search_by_code(as_user(cast.lead_a), small)
    assert "My social worker listens" not in blind
    assert "We waited six months" not in blind
    # Someone who is not coding blind finds both comments.
    seen = _search_by_code(as_user(cast.viewer_a), small)
    assert "My social worker listens" in seen
    assert "We waited six months" in seen


def test_it_hides_the_sample_from_the_code_page(cast: Cast, as_user: Any) -> None:
    small, _, _ = _comment_check(cast)
    url = reverse("qualitative:code-edit", args=[small.project.pk, small.trust.pk])
    blind = as_user(cast.lead_a).get(url)
    assert blind.context["n_codings"] == 0
    assert list(blind.context["codings"]) == []
    assert "My social worker listens" not in blind.content.decode()
    codebook = as_user(cast.lead_a).get(reverse("qualitative:codebook", args=[small.project.pk]))
    trust = next(c for c in codebook.context["codes"] if c.pk == small.trust.pk)
    assert trust.n_codings == 0
    seen = as_user(cast.viewer_a).get(url)
    assert seen.context["n_codings"] == 2
    assert "My social worker listens" in seen.content.decode()


def test_it_hides_the_sample_from_codings_and_quotes(cast: Cast, as_user: Any) -> None:
    small, _, first = _comment_check(cast)
    coding = Coding.objects.filter(check_run__isnull=True, code=small.trust).first()
    assert coding is not None
    quote = services.quote_add(coding=coding, by=first)
    client = as_user(cast.lead_a)
    coding_url = reverse("qualitative:coding", args=[small.project.pk, coding.pk])
    assert client.get(coding_url).status_code == 404
    assert client.get(quote.get_absolute_url()).status_code == 404
    quotes = client.get(reverse("qualitative:quotes", args=[small.project.pk]))
    assert list(quotes.context["quotes"]) == []
    viewer = as_user(cast.viewer_a)
    assert viewer.get(coding_url).status_code == 200
    assert viewer.get(quote.get_absolute_url()).status_code == 200


def _exported_codings(client: Any, small: Small) -> int:
    response = client.get(reverse("qualitative:project-export", args=[small.project.pk]))
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return archive.read("project.qde").decode().count("<Coding ")


def test_it_hides_the_sample_from_the_project_export(cast: Cast, as_user: Any) -> None:
    small, _, _ = _comment_check(cast)
    assert _exported_codings(as_user(cast.lead_a), small) == 0
    assert _exported_codings(as_user(cast.viewer_a), small) == 2


def test_it_hides_a_source_checked_by_characters_from_search(cast: Cast, as_user: Any) -> None:
    first = factories.user(Role.CONTRIBUTOR, "south-ayrshire")
    small = small_project(first)
    text = small.notes.text
    start = text.index("staff changed")
    services.coding_add(
        source=small.notes, code=small.workload, start=start, end=start + 13, by=first
    )
    services.check_create(
        project=small.project,
        title="Characters",
        unit=CodingCheck.Unit.CHARACTER,
        first_coder=first,
        coders=[cast.lead_a],
        sources=[small.notes],
        by=first,
    )
    url = reverse("qualitative:search", args=[small.project.pk])
    blind = as_user(cast.lead_a).get(url, {"q": "staff"})
    assert [hit.codes for hit in blind.context["results"].hits] == [[]]
    by_code = as_user(cast.lead_a).get(url, {"q": "", "code": small.workload.pk})
    assert by_code.context["results"].total == 0
    seen = as_user(cast.viewer_a).get(url, {"q": "staff"})
    assert [[name for name, _ in hit.codes] for hit in seen.context["results"].hits] == [
        ["Workload"]
    ]


def test_it_names_the_other_check_that_hides_the_results(cast: Cast, as_user: Any) -> None:
    small, done, first = _comment_check(cast, title="January sample")
    services.check_finish(check=done, user=cast.lead_a)
    services.check_create(
        project=small.project,
        title="February sample",
        unit=CodingCheck.Unit.COMMENT,
        first_coder=first,
        coders=[cast.lead_a],
        sources=[small.comments],
        sample_size=3,
        seed=1,
        by=first,
    )
    page = as_user(cast.lead_a).get(done.get_absolute_url())
    body = page.content.decode()
    assert page.context["agreement"] is None
    assert "You are still coding blind in the check &#x27;February sample&#x27;" in body
    assert "until you finish coding the sample" not in body
    disagreements = as_user(cast.lead_a).get(
        reverse("qualitative:check-disagreements", args=[small.project.pk, done.pk]),
        follow=True,
    )
    assert "February sample" in disagreements.content.decode()
    assert "disagreements" not in disagreements.context
