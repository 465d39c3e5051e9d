"""Sources hold children's and families' own words and case studies: every page or file that
shows their text is in the child-level access log; pages without it are not."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from scrutiny.accounts.models import AccessLogEntry, Role
from scrutiny.qualitative import services
from scrutiny.qualitative.models import CodingCheck
from tests import factories
from tests.conftest import Cast
from tests.qualitative.helpers import Small, small_project

pytestmark = pytest.mark.django_db


def _world(cast: Cast) -> dict[str, Any]:
    """A coded project with a quote (of the notes), a check of the comments in which lead_a
    codes blind, and an upload."""
    first = factories.user(Role.CONTRIBUTOR, "south-ayrshire")
    small: Small = small_project(first)
    segments = list(small.comments.segments.order_by("position"))
    services.codings_add_whole(segments=segments[:2], code=small.trust, by=first)
    coding = services.coding_add(source=small.notes, code=small.trust, start=0, end=12, by=first)
    quote = services.quote_add(coding=coding, by=first)
    check = services.check_create(
        project=small.project,
        title="Check",
        unit=CodingCheck.Unit.COMMENT,
        first_coder=first,
        coders=[cast.lead_a],
        sources=[small.comments],
        sample_size=3,
        seed=1,
        by=first,
    )
    pending = services.comments_upload(
        project=small.project, name="c.csv", data=b"comment\nGood help.\n", by=cast.lead_a
    )
    return {"small": small, "coding": coding, "quote": quote, "check": check, "pending": pending}


def _args(world: dict[str, Any], *names: str) -> list[int]:
    small = world["small"]
    values = {
        "project": small.project.pk,
        "source": small.comments.pk,
        "coding": world["coding"].pk,
        "quote": world["quote"].pk,
        "check": world["check"].pk,
        "code": small.trust.pk,
        "pending": world["pending"].pk,
    }
    return [values[name] for name in names]


LOGGED: list[tuple[str, tuple[str, ...], dict[str, str]]] = [
    ("qualitative:source", ("project", "source"), {}),
    ("qualitative:code-span", ("project", "source"), {}),
    ("qualitative:coding", ("project", "coding"), {}),
    ("qualitative:search", ("project",), {"q": "social worker"}),
    ("qualitative:code-edit", ("project", "code"), {}),
    ("qualitative:quotes", ("project",), {}),
    ("qualitative:quote", ("project", "quote"), {}),
    ("qualitative:check-code", ("project", "check"), {}),
    ("qualitative:assist", ("project",), {}),
    ("qualitative:comments-map", ("project", "pending"), {}),
    ("qualitative:project-export", ("project",), {}),
]


@pytest.mark.parametrize(("name", "args", "query"), LOGGED, ids=[row[0] for row in LOGGED])
def test_a_page_showing_source_text_is_logged(
    cast: Cast,
    as_user: Any,
    name: str,
    args: tuple[str, ...],
    query: dict[str, str],
) -> None:
    world = _world(cast)
    url = reverse(name, args=_args(world, *args))
    response = as_user(cast.lead_a).get(url, query)
    assert response.status_code == 200
    entry = AccessLogEntry.objects.get(user=cast.lead_a)
    assert entry.path.startswith(url)
    assert entry.partnership_id == world["small"].project.partnership_id
    assert world["small"].project.title in entry.what


def test_disagreements_are_logged(cast: Cast, as_user: Any) -> None:
    world = _world(cast)
    services.check_finish(check=world["check"], user=cast.lead_a)
    url = reverse("qualitative:check-disagreements", args=_args(world, "project", "check"))
    assert as_user(cast.lead_a).get(url).status_code == 200
    assert AccessLogEntry.objects.filter(user=cast.lead_a, path=url).exists()


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("qualitative:project", {}),
        ("qualitative:sources", {}),
        ("qualitative:codebook", {}),
        ("qualitative:search", {}),
        ("qualitative:analysis", {}),
    ],
)
def test_a_page_without_source_text_is_not_logged(
    cast: Cast, as_user: Any, name: str, query: dict[str, str]
) -> None:
    world = _world(cast)
    url = reverse(name, args=_args(world, "project"))
    assert as_user(cast.lead_a).get(url, query).status_code == 200
    assert not AccessLogEntry.objects.exists()
