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
