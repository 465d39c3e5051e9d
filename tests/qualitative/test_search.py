"""Full-text search over a project's comments and paragraphs, with filters, on SQLite (FTS5)
and PostgreSQL (tsvector with a GIN index)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from scrutiny.qualitative import search, selectors, services
from scrutiny.qualitative.models import Segment
from tests.conftest import Cast
from tests.qualitative.helpers import small_project

pytestmark = pytest.mark.django_db

only_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the FTS5 index exists only on SQLite"
)
only_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the tsvector column and GIN index exist only on PostgreSQL (set DATABASE_URL)",
)


def _texts(project: Any, text: str = "", **filters: Any) -> list[str]:
    page = selectors.search_segments(
        projects=[project], filters=selectors.SearchFilters(text=text, **filters)
    )
    return [hit.segment.text for hit in page.hits]


def test_it_finds_words_in_any_form_and_phrases(cast: Cast) -> None:
    small = small_project(cast.lead_a)
    assert _texts(small.project, "wait") == ["We waited six months for any help with our son."]
    assert _texts(small.project, '"family support team"') == [
        "The family support team were brilliant and came quickly."
    ]
    assert _texts(small.project, "help -son") == []
    assert len(_texts(small.project, "trust or safe")) == 3


def test_it_filters_by_code_attribute_and_date(cast: Cast) -> None:
    small = small_project(cast.lead_a)
    segments = list(small.comments.segments.order_by("position"))
    services.codings_add_whole(segments=segments[:2], code=small.trust, by=cast.lead_a)
    assert len(_texts(small.project, code=small.trust)) == 2
    assert _texts(small.project, "", respondent_type="staff") == [
        "Caseloads are too high to do proper direct work."
    ]
    assert _texts(small.project, "", agency="social_work") == [
        "Caseloads are too high to do proper direct work."
    ]
    in_march = _texts(small.project, "", date_from=date(2025, 3, 1), date_to=date(2025, 3, 10))
    assert in_march == [
        "Nobody told us what was happening at the meeting.",
        "I feel safe where I live now.",
    ]
    assert _texts(small.project, "safe", kind="focus_group") == []


def test_it_only_searches_the_projects_it_is_given(cast: Cast) -> None:
    mine = small_project(cast.lead_a)
    small_project(cast.lead_b, slug="east-ayrshire")
    assert len(_texts(mine.project, "waited")) == 1


def test_what_a_person_types_is_never_taken_as_search_syntax(cast: Cast) -> None:
    small = small_project(cast.lead_a)
    for text in ['"', "NEAR(", "* OR", "col:umn", "AND NOT", "^start", "')--"]:
        assert isinstance(_texts(small.project, text), list)


@only_sqlite
def test_the_fts5_index_follows_changes_to_segments(cast: Cast) -> None:
    small = small_project(cast.lead_a)
    segment = small.comments.segments.get(position=1)
    Segment.objects.filter(pk=segment.pk).update(text="Completely different words now.")
    assert _texts(small.project, "listens") == []
    assert _texts(small.project, "completely") == ["Completely different words now."]
    small.comments.delete()
    assert _texts(small.project, "completely") == []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE ?",
            [f"{search.FTS_TABLE}_%"],
        )
        assert cursor.fetchone()[0] == 3


def test_fts5_queries_quote_every_word() -> None:
    assert search.fts5_query('care "family support" or school -police') == (
        '"care" AND ("family support" OR "school") NOT "police"'
    )
    assert search.fts5_query("-only negative") == '"negative" NOT "only"'
    assert search.fts5_query("***") == ""


@only_postgres
def test_postgres_searches_a_stored_vector_through_its_gin_index(cast: Cast) -> None:
    small = small_project(cast.lead_a)
    assert _texts(small.project, "waiting") == ["We waited six months for any help with our son."]
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'qual_segment_search'")
        assert "gin (search_vector)" in cursor.fetchone()[0]
    queryset = search.matching(Segment.objects.all(), "waiting")
    plan = queryset.explain()
    assert "search_vector" in plan


def test_the_search_page_lists_matches_with_their_codes(cast: Cast, as_user: Any) -> None:
    small = small_project(cast.lead_a)
    segment = small.comments.segments.get(position=2)
    services.codings_add_whole(segments=[segment], code=small.waiting, by=cast.lead_a)
    response = as_user(cast.link_a).get(
        reverse("qualitative:search", args=[small.project.pk]), {"q": "months"}
    )
    body = response.content.decode()
    assert "1 result" in body
    assert "Waiting for help" in body
    assert f"#seg-{segment.position}" in body


def test_a_search_to_a_day_before_its_start_says_so(cast: Cast, as_user: Any) -> None:
    small = small_project(cast.lead_a)
    page = as_user(cast.lead_a).get(
        reverse("qualitative:search", args=[small.project.pk]),
        {"q": "help", "date_from": "2025-03-01", "date_to": "2025-01-01"},
    )
    assert page.status_code == 200
    assert "To must be on or after From: nothing could match." in page.text
    assert "result" not in page.text.split("</form>", 1)[1].split("</main>", 1)[0]
