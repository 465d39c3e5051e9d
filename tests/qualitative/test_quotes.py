"""The quote bank: extracts redacted automatically, confirmed by a person, cited by type of
respondent, and available to reports."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from scrutiny.qualitative import selectors, services
from scrutiny.qualitative.models import Quote
from scrutiny.qualitative.services import QualitativeError
from tests.conftest import Cast
from tests.qualitative.helpers import small_project

pytestmark = pytest.mark.django_db


def _quote(cast: Cast, text: str, who: str = "parent", agency: str = "") -> Quote:
    small = small_project(cast.lead_a)
    source = services.comments_add(
        project=small.project,
        title="More",
        rows=[(text, who, agency, "", None, "ref-77")],
        by=cast.lead_a,
    )
    segment = source.segments.get()
    services.codings_add_whole(segments=[segment], code=small.trust, by=cast.lead_a)
    coding = segment.codings.get()
    return services.quote_add(coding=coding, by=cast.lead_a)


def test_a_quote_is_redacted_and_cites_the_kind_of_person(cast: Cast) -> None:
    quote = _quote(cast, "Mrs McLean in Ayr rang on 12/03/2025 and helped us.")
    assert quote.redacted == "[name] in [place] rang on [date] and helped us."
    assert quote.attribution == "a parent"
    assert quote.status == Quote.Status.PROPOSED


def test_staff_are_cited_with_their_agency() -> None:
    assert services.attribution_for(respondent_type="staff", agency="health") == (
        "a member of staff (health)"
    )
    assert services.attribution_for(respondent_type="child", agency="") == (
        "a child or young person"
    )


def test_only_confirmed_quotes_reach_reports_and_never_an_identifier(cast: Cast) -> None:
    quote = _quote(cast, "Kirsty Wallace was always there for me.", who="child")
    partnership = quote.project.partnership
    assert selectors.quotes_for(partnership=partnership) == []
    with pytest.raises(QualitativeError, match="identifies no one"):
        services.quote_confirm(
            quote=quote, redacted=quote.redacted, note="", checked=False, by=cast.lead_a
        )
    services.quote_confirm(
        quote=quote, redacted=quote.redacted, note="", checked=True, by=cast.lead_a
    )
    found = selectors.quotes_for(partnership=partnership, codes=["trusted relationships"])
    assert [(q.text, q.attribution) for q in found] == [
        ("[name] was always there for me.", "a child or young person")
    ]
    assert "ref-77" not in repr(found)
    assert selectors.quotes_for(partnership=partnership, codes=["Workload"]) == []


def test_a_person_confirms_a_quote_on_its_page(cast: Cast, as_user: Any) -> None:
    quote = _quote(cast, "The team in Troon were great.")
    url = reverse("qualitative:quote", args=[quote.project_id, quote.pk])
    response = as_user(cast.lead_a).post(
        url, {"redacted": "The team were great.", "checked": "on", "action": "confirm"}
    )
    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.status == Quote.Status.CONFIRMED
    assert quote.redacted == "The team were great."
    assert quote.confirmed_by == cast.lead_a


def test_a_viewer_sees_but_cannot_confirm_a_quote(cast: Cast, as_user: Any) -> None:
    quote = _quote(cast, "Good help.")
    url = reverse("qualitative:quote", args=[quote.project_id, quote.pk])
    assert as_user(cast.viewer_a).get(url).status_code == 200
    response = as_user(cast.viewer_a).post(
        url, {"redacted": "x", "checked": "on", "action": "confirm"}
    )
    assert response.status_code == 403


def test_a_quote_cannot_be_replaced_with_invented_text(cast: Cast, as_user: Any) -> None:
    quote = _quote(cast, "The team in Troon were great and came quickly.")
    url = reverse("qualitative:quote", args=[quote.project_id, quote.pk])
    invented = "Totally invented, said by Liam Smith of Girvan."
    for action in ("confirm", "save"):
        response = as_user(cast.lead_a).post(
            url, {"redacted": invented, "checked": "on", "action": action}
        )
        assert response.status_code == 200
        assert response.context["form"].errors["redacted"] == [
            services.QUOTE_NOT_FROM_EXTRACT.format(word="Totally")
        ]
    quote.refresh_from_db()
    assert quote.status == Quote.Status.PROPOSED
    assert quote.redacted == "The team in [place] were great and came quickly."


@pytest.mark.parametrize(
    ("edited", "kept"),
    [
        ("The team … were great.", "The team … were great."),
        ("Came quickly.", "Came quickly."),
        ("The team in [redacted] were great", "The team in [redacted] were great"),
        # Put back a place the redaction took out: it is taken out again.
        ("The team in Troon were great.", "The team in [place] were great."),
    ],
)
def test_a_quote_may_lose_parts_and_is_redacted_again(cast: Cast, edited: str, kept: str) -> None:
    quote = _quote(cast, "The team in Troon were great and came quickly.")
    services.quote_confirm(quote=quote, redacted=edited, note="", checked=True, by=cast.lead_a)
    quote.refresh_from_db()
    assert (quote.redacted, quote.status) == (kept, Quote.Status.CONFIRMED)


@pytest.mark.parametrize(
    ("edited", "word"),
    [
        ("The team were not great.", "not"),
        ("Great were the team.", "were"),
        ("The team in troon were great.", "troon"),
    ],
)
def test_a_quote_keeps_the_extracts_words_in_order(cast: Cast, edited: str, word: str) -> None:
    quote = _quote(cast, "The team in Troon were great and came quickly.")
    with pytest.raises(QualitativeError) as refused:
        services.quote_update(quote=quote, redacted=edited, note="")
    assert str(refused.value) == services.QUOTE_NOT_FROM_EXTRACT.format(word=word)


def test_a_quoted_coding_is_removed_only_after_its_quote(cast: Cast, as_user: Any) -> None:
    quote = _quote(cast, "The family support team came within a week.")
    coding = quote.coding
    with pytest.raises(QualitativeError, match="remove the quote first"):
        services.coding_delete(coding=coding)
    url = reverse("qualitative:coding-delete", args=[quote.project.pk, coding.pk])
    response = as_user(cast.lead_a).post(url, follow=True)
    assert "remove the quote first" in response.content.decode()
    assert Quote.objects.filter(pk=quote.pk).exists()
    # The source page offers no Remove for it, and asks before removing the whole source.
    page = as_user(cast.lead_a).get(coding.source.get_absolute_url()).text
    assert f'formaction="/qualitative/{quote.project.pk}/codings/{coding.pk}/delete/"' not in page
    assert "Remove this source?" in page
    services.quote_delete(quote=quote)
    services.coding_delete(coding=coding)
    assert not type(coding).objects.filter(pk=coding.pk).exists()
