"""Improvement pages fit a 320px screen (WCAG 1.4.10 reflow): tables scroll in a region of
their own, and long unbroken words people type wrap instead of stretching the page."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from lxml import html

from scrutiny.improvement import services
from scrutiny.improvement.models import Concern, Contact, ProgressReviewSignOff
from tests.conftest import Cast, client_for
from tests.improvement import helpers
from tests.improvement.helpers import today

pytestmark = pytest.mark.django_db

STYLESHEET = Path(__file__).resolve().parents[2] / "scrutiny/frontend/static/frontend/scrutiny.css"
WORD = "Unbroken" + "x" * 400


def _classes(element: html.HtmlElement) -> set[str]:
    return set((element.get("class") or "").split())


def _unwrapped(page: str) -> list[str]:
    """Elements holding ``WORD`` with no ancestor (or self) marked as text people typed."""
    tree = html.fromstring(page)
    main = tree.get_element_by_id("main-content")
    found = []
    for element in main.iter():
        if WORD not in (element.text or "") + (element.tail or ""):
            continue
        holder = element if WORD in (element.text or "") else element.getparent()
        if not any("scrutiny-user-text" in _classes(e) for e in [holder, *holder.iterancestors()]):
            found.append(f"<{holder.tag} class={holder.get('class')!r}>")
    return found


def test_it_wraps_long_words_people_type_on_every_improvement_page(cast: Cast) -> None:
    """
    Given monitoring items, a progress review's QA comment and an action's update, each with one
    very long unbroken word
    When the link inspector opens the pages that show them
    Then every place the word appears is marked as text people typed, which the stylesheet wraps
    anywhere
    """
    inspection = helpers.published_inspection()
    partnership = inspection.partnership
    plan = helpers.submitted_plan(cast.lead_a, inspection)
    action = plan.actions.get()
    services.contact_add(
        partnership=partnership,
        date=today(),
        kind=Contact.Kind.CALL,
        participants=WORD,
        notes=WORD,
        by=cast.link_a,
    )
    services.monitoring_note_add(
        partnership=partnership,
        area=inspection.areas_for_improvement.get(number=1),
        date=today(),
        text=WORD,
        by=cast.link_a,
    )
    concern = services.concern_raise(
        partnership=partnership,
        raised_on=today(),
        title="Recruitment",
        detail=WORD,
        severity=Concern.Severity.HIGH,
        follow_up=WORD,
        by=cast.link_a,
    )
    services.support_offer_add(
        partnership=partnership, date=today(), description=WORD, by=cast.link_a
    )
    review = helpers.complete_review(
        services.progress_review_create(
            inspection=inspection, title="Progress review", lead=cast.link_a, by=cast.link_a
        ),
        cast.link_a,
    )
    services.progress_review_submit(review=review, by=cast.link_a)
    services.progress_review_signoff(
        review=review, by=cast.qa, decision=ProgressReviewSignOff.Decision.RETURNED, comments=WORD
    )
    services.action_update_add(action=action, date=today(), narrative=WORD, by=cast.lead_a)
    client = client_for(cast.link_a)
    pages = {
        "monitoring": reverse("improvement:monitoring", args=[partnership.slug]),
        "review": reverse("improvement:review", args=[review.pk]),
        "action": reverse("improvement:action", args=[action.pk]),
        "timeline": reverse("improvement:timeline", args=[partnership.slug]),
    }
    for name, url in pages.items():
        page = client.get(url).text
        assert WORD in page, name
        assert _unwrapped(page) == [], name
    services.concern_resolve(concern=concern, resolved_on=today(), resolution=WORD)
    assert _unwrapped(client.get(pages["monitoring"]).text) == []
    css = STYLESHEET.read_text()
    assert re.search(r"\.scrutiny-user-text[^{]*\{[^}]*overflow-wrap:\s*anywhere", css)


def test_the_monitoring_pages_tables_scroll_in_named_regions(cast: Cast) -> None:
    """
    Given a partnership with an overdue action and a logged contact
    When the link inspector opens its monitoring page
    Then each table sits in a keyboard-scrollable, named region, positioned so that hidden
    text in a cell scrolled out of view cannot widen the page
    """
    inspection = helpers.published_inspection()
    plan = helpers.submitted_plan(cast.lead_a, inspection)
    action = plan.actions.get()
    type(action).objects.filter(pk=action.pk).update(
        start_date=today() - timedelta(days=90), due_date=today() - timedelta(days=1)
    )
    services.contact_add(
        partnership=inspection.partnership,
        date=today(),
        kind=Contact.Kind.CALL,
        participants="Chief officers",
        notes="Budget",
        by=cast.link_a,
    )
    page = client_for(cast.link_a).get(
        reverse("improvement:monitoring", args=[inspection.partnership.slug])
    )
    tables = html.fromstring(page.text).get_element_by_id("main-content").iter("table")
    captions = []
    for table in tables:
        wrap = table.getparent()
        assert "scrutiny-table-wrap" in _classes(wrap), table.findtext("caption")
        assert wrap.get("role") == "region" and wrap.get("tabindex") == "0"
        assert wrap.get("aria-label")
        captions.append(table.findtext("caption"))
    assert captions == ["Overdue actions", "Contact log"]
    css = STYLESHEET.read_text()
    assert re.search(r"\.scrutiny-table-wrap\s*\{[^}]*position:\s*relative", css)
