"""Generic links to other apps' objects, the registry, and the chooser."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from django.urls import reverse

from scrutiny.improvement import registry, services
from scrutiny.improvement.models import ActionMeasure, FindingEvidence
from scrutiny.improvement.registry import EVIDENCE, MEASURE, LinkSource
from scrutiny.improvement.services import ImprovementError
from scrutiny.inspections.models import EvidenceItem, Inspection
from tests.conftest import Cast, client_for
from tests.improvement import helpers

pytestmark = pytest.mark.django_db


def _evidence(inspection: Inspection, cast: Cast, source: str = "A document") -> EvidenceItem:
    return EvidenceItem.objects.create(
        inspection=inspection,
        kind=EvidenceItem.Kind.DOCUMENT,
        date=date(2026, 1, 5),
        source=source,
        summary="Summary",
        created_by=cast.admin,
    )


@pytest.fixture
def evidence_as_measures() -> Iterator[None]:
    """Stand in for indicators registering themselves as measures, as they will later."""
    key = "inspections.evidenceitem"
    before = registry._SOURCES[key]
    registry.register_link_source(
        LinkSource(
            model=EvidenceItem,
            label="Indicator stand-ins",
            purposes=frozenset({EVIDENCE, MEASURE}),
            candidates=before.candidates,
        )
    )
    yield
    registry.register_link_source(before)


def _review(cast: Cast):
    inspection = helpers.published_inspection()
    review = services.progress_review_create(
        inspection=inspection, title="Progress review", lead=cast.link_a, by=cast.link_a
    )
    return inspection, review


def test_evidence_links_keep_a_label_and_point_at_the_object(cast: Cast) -> None:
    inspection, review = _review(cast)
    item = _evidence(inspection, cast)
    finding = review.findings.get(area__number=1)
    link = services.evidence_link_add(finding=finding, obj=item, note="Baseline", by=cast.link_a)
    assert link.target == item
    assert link.label == str(item)
    with pytest.raises(ImprovementError, match="already linked"):
        services.evidence_link_add(finding=finding, obj=item, note="", by=cast.link_a)
    assert FindingEvidence.objects.count() == 1


def test_it_refuses_another_partnerships_object(cast: Cast) -> None:
    _, review = _review(cast)
    elsewhere = helpers.published_inspection("east-ayrshire")
    item = _evidence(elsewhere, cast)
    with pytest.raises(ImprovementError, match="is not one of South Ayrshire"):
        services.evidence_link_add(
            finding=review.findings.get(area__number=1), obj=item, note="", by=cast.link_a
        )


def test_it_refuses_a_kind_of_object_nobody_registered(cast: Cast) -> None:
    _, review = _review(cast)
    with pytest.raises(ImprovementError, match="cannot be linked"):
        services.evidence_link_add(
            finding=review.findings.get(area__number=1), obj=cast.lead_a, note="", by=cast.link_a
        )


def test_the_chooser_lists_candidates_by_content_type_and_links_one(cast: Cast) -> None:
    inspection, review = _review(cast)
    plan = helpers.submitted_plan(cast.lead_a, inspection)
    _evidence(inspection, cast, source="Case file audit")
    _evidence(helpers.published_inspection("east-ayrshire"), cast, source="Elsewhere")
    finding = review.findings.get(area__number=1)
    url = reverse("improvement:evidence-choose", args=[finding.pk])
    page = client_for(cast.link_a).get(url).content.decode()
    assert '<optgroup label="Actions in the action plan">' in page
    assert '<optgroup label="Inspection evidence">' in page
    assert "Case file audit" in page and "Elsewhere" not in page
    action = plan.actions.get()
    response = client_for(cast.link_a).post(
        url, {"target": f"improvement.action:{action.pk}", "note": "On track"}
    )
    assert response.status_code == 302
    assert finding.evidence_links.get().target == action
    forged = client_for(cast.link_a).post(url, {"target": f"accounts.user:{cast.lead_a.pk}"})
    assert forged.status_code == 200
    assert finding.evidence_links.count() == 1


def test_measures_offer_only_what_is_registered_as_a_measure(cast: Cast) -> None:
    plan = helpers.submitted_plan(cast.lead_a)
    action = plan.actions.get()
    url = reverse("improvement:measure-choose", args=[action.pk])
    page = client_for(cast.lead_a).get(url).content.decode()
    assert "No indicators or qualitative themes can be linked yet" in page


def test_other_apps_can_offer_measures_through_the_registry(
    cast: Cast, evidence_as_measures: None
) -> None:
    plan = helpers.submitted_plan(cast.lead_a)
    action = plan.actions.get()
    item = _evidence(plan.inspection, cast)
    url = reverse("improvement:measure-choose", args=[action.pk])
    page = client_for(cast.lead_a).get(url).content.decode()
    assert '<optgroup label="Indicator stand-ins">' in page
    client_for(cast.lead_a).post(url, {"target": f"inspections.evidenceitem:{item.pk}"})
    measure = ActionMeasure.objects.get()
    assert measure.target == item and measure.action == action
    assert client_for(cast.lead_b).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302


def test_a_review_names_linked_evidence_as_it_is_now_called(cast: Cast) -> None:
    from scrutiny.publishing.progress_review import render_body

    inspection, review = _review(cast)
    item = _evidence(inspection, cast, source="Reading of 3 children's records")
    services.evidence_link_add(
        finding=review.findings.get(area__number=1), obj=item, note="", by=cast.link_a
    )
    item.source = "Children's records read by the team"
    item.save()
    body = render_body(review, draft=True)
    assert "Children&#x27;s records read by the team" in body
    assert "Reading of 3" not in body
    # Once the item is gone, the label kept at linking stands in for it.
    item.delete()
    assert "Reading of 3 children&#x27;s records" in render_body(review, draft=True)
