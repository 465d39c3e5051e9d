"""The factual accuracy check: the partnership comments on the draft and the team corrects it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from scrutiny.accounts.models import Role
from scrutiny.inspections import services
from scrutiny.inspections.services import InspectionError
from tests import factories
from tests.inspections import helpers

pytestmark = pytest.mark.django_db


def _comment(inspection, section: str = "question-1"):
    partnership_lead = factories.user(Role.PARTNERSHIP_LEAD, "south-ayrshire")
    return services.factual_accuracy_comment_add(
        inspection=inspection,
        section=section,
        comment="The report says 60 children were met; it was 64.",
        by=partnership_lead,
    )


def test_it_keeps_findings_locked_until_a_comment_is_accepted() -> None:
    """
    Given a draft with the partnership for factual accuracy and no accepted comment
    When the team tries to change a grade
    Then it is refused, saying a comment has to be accepted first
    """
    lead = helpers.lead_inspector()
    inspection = helpers.at_factual_accuracy(lead)
    qi = helpers.first_qi(inspection)
    _comment(inspection)
    with pytest.raises(InspectionError, match="accepted comment"):
        services.evaluation_save(
            inspection=inspection, qi=qi, grade=3, narrative="x", evidence=[], by=lead
        )
    with pytest.raises(InspectionError, match="accepted comment"):
        services.key_strength_add(inspection=inspection, text="Another strength.")


def test_it_lets_the_team_apply_an_accepted_comment() -> None:
    """
    Given a draft at factual accuracy with an accepted comment
    When the team changes an evaluation and a key strength
    Then the changes are saved and the inspection stays at factual accuracy
    """
    lead = helpers.lead_inspector()
    inspection = helpers.at_factual_accuracy(lead)
    qi = helpers.first_qi(inspection)
    comment = _comment(inspection)
    services.factual_accuracy_respond(comment=comment, accept=True, reason="Agreed.", by=lead)
    evaluation = services.evaluation_save(
        inspection=inspection,
        qi=qi,
        grade=4,
        narrative="Inspectors met 64 children.",
        evidence=list(inspection.evidence.all()),
        by=lead,
    )
    assert evaluation.narrative == "Inspectors met 64 children."
    services.key_strength_add(inspection=inspection, text="Children are listened to.")
    inspection.refresh_from_db()
    assert inspection.status == "factual_accuracy"


def test_findings_stay_locked_while_the_draft_is_with_quality_assurance() -> None:
    lead = helpers.lead_inspector()
    inspection = helpers.ready_for_qa(lead)
    services.inspection_advance(inspection=inspection, by=lead)
    with pytest.raises(InspectionError, match="quality assurance"):
        services.key_strength_add(inspection=inspection, text="Another strength.")


def test_the_factual_accuracy_page_shows_what_changed_since_the_draft_was_sent() -> None:
    """
    Given a draft at factual accuracy whose narrative was corrected after an accepted comment
    When the partnership lead opens the factual accuracy page
    Then it lists the change, with the narrative before and after
    """
    lead = helpers.lead_inspector()
    inspection = helpers.at_factual_accuracy(lead)
    qi = helpers.first_qi(inspection)
    comment = _comment(inspection)
    client = Client()
    client.force_login(comment.by)
    page = client.get(reverse("inspections:factual-accuracy", args=[inspection.pk]))
    assert "No changes since the draft was sent" in page.content.decode()

    services.factual_accuracy_respond(comment=comment, accept=True, reason="Agreed.", by=lead)
    services.evaluation_save(
        inspection=inspection,
        qi=qi,
        grade=4,
        narrative="Inspectors met 64 children.",
        evidence=list(inspection.evidence.all()),
        by=lead,
    )
    page = client.get(reverse("inspections:factual-accuracy", args=[inspection.pk]))
    html = page.content.decode()
    assert "Changed since the draft was sent" in html
    assert qi.title in html
    assert "Most records showed effective practice." in html
    assert "Inspectors met 64 children." in html
    assert "Updated at" not in html
