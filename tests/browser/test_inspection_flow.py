"""In the demo, an inspector takes East Ayrshire's inspection from evaluating through quality
assurance and factual accuracy to published, and the public reads it in HTML and PDF."""

from __future__ import annotations

from typing import Any

import pytest

from scrutiny.demo import builder
from scrutiny.inspections.models import Inspection, Status
from tests.browser.conftest import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(browser: Any, base: str, email: str) -> Any:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/account/sign-in/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", builder.DEMO_PASSWORD)
    page.click("main button[type=submit]")
    return page


def _accessible(page: Any) -> None:
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n{describe(violations)}"


def test_east_ayrshire_goes_from_evaluating_to_published(browser: Any, live_server: Any) -> None:
    builder.build()
    inspection = Inspection.objects.get(partnership__slug="east-ayrshire")
    base = live_server.url
    detail = f"{base}/inspections/{inspection.pk}/"

    lead = _as(browser, base, "lead.inspector@inspectorate.example")
    lead.goto(detail)
    _accessible(lead)
    lead.click("main button:has-text('Submit to quality assurance')")
    assert "The inspection is now at 'Quality assurance'." in lead.content(), lead.content()

    qa = _as(browser, base, "qa@inspectorate.example")
    qa.goto(f"{detail}quality-assurance/")
    _accessible(qa)
    qa.locator("label", has_text="Signed off").click()
    qa.fill("textarea[name=comments]", "Grades consistent with the evidence.")
    qa.click("text=Record decision")
    assert "Your decision is recorded." in qa.content()

    lead.goto(detail)
    lead.click("main button:has-text('Send the draft to the partnership')")
    inspection.refresh_from_db()
    assert inspection.status == Status.FACTUAL_ACCURACY

    partnership = _as(browser, base, "lead@east-ayrshire.example")
    partnership.goto(f"{base}/reports/drafts/{inspection.pk}/")
    assert "Draft report — not for publication." in partnership.content()
    _accessible(partnership)
    partnership.goto(f"{detail}factual-accuracy/")
    partnership.select_option("select[name=section]", "context")
    partnership.fill("textarea[name=comment]", "The population is about 122,000.")
    partnership.click("text=Send comment")
    assert "Comment sent to the inspection team." in partnership.content()

    lead.goto(f"{detail}factual-accuracy/")
    _accessible(lead)
    lead.locator("label", has_text="Accept").first.click()
    lead.fill("textarea[name=reason]", "Updated to the mid-year estimate.")
    lead.click("text=Record response")
    lead.goto(detail)
    lead.click("main button:has-text('Publish the report')")
    inspection.refresh_from_db()
    assert inspection.status == Status.PUBLISHED

    public = browser.new_context().new_page()
    public.goto(f"{base}/reports/east-ayrshire/")
    public.click(f"text={inspection.title}")
    assert public.locator("h1").inner_text() == inspection.title
    assert "Appendix 1: Evaluated indicators of quality" in public.content()
    _accessible(public)
    response = public.request.get(f"{base}/reports/inspections/{inspection.pk}/report.pdf")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
