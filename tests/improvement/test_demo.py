"""The demonstration data: South Ayrshire's improvement after the 2016 report follows the seed,
and the whole flow works for the demo's people (East Ayrshire's inspection, published here,
goes through a plan and a progress review)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from scrutiny.accounts.models import User
from scrutiny.demo import builder
from scrutiny.improvement.models import (
    ActionPlan,
    Concern,
    Contact,
    ProgressLevel,
    ProgressReview,
)
from scrutiny.inspections import services as inspection_services
from scrutiny.inspections.models import Inspection, QASignOff
from scrutiny.publishing.services import inspection_publish
from tests.conftest import client_for
from tests.improvement.helpers import today

pytestmark = pytest.mark.django_db


def _check_south_ayrshire() -> None:
    plan = ActionPlan.objects.get(partnership__slug="south-ayrshire")
    assert plan.status == ActionPlan.Status.ACCEPTED
    actions = list(plan.actions.prefetch_related("milestones", "areas"))
    assert len(actions) == 15
    assert {area.number for a in actions for area in a.areas.all()} == {1, 2, 3, 4, 5}
    statuses = Counter(a.rag.value for a in actions)
    assert statuses["complete"] >= 5 and statuses["amber"] >= 2 and statuses["red"] == 1
    assert all(a.updates.exists() for a in actions)
    support = next(a for a in actions if a.title.startswith("Intensive family support"))
    assert [str(m.target) for m in support.measures.all()] == [
        "Looked after away from home, aged 11 to 15 — South Ayrshire (chart)"
    ]
    partnership = plan.partnership
    assert Contact.objects.filter(partnership=partnership).count() == 8
    assert list(
        Concern.objects.filter(partnership=partnership).values_list("status", flat=True)
    ) == [Concern.Status.RESOLVED]
    review = ProgressReview.objects.get(partnership=partnership)
    assert review.is_published and review.publication_date is not None
    assert review.publication_date.year == 2018
    assert review.is_demonstration
    assert review.further_scrutiny == ProgressReview.FurtherScrutiny.NONE
    judged = dict(review.findings.values_list("area__number", "level__label"))
    assert judged[1] == "Significant progress"
    assert "qualitative data" in review.findings.get(area__number=4).narrative
    cited = [str(link.target) for link in review.findings.get(area__number=3).evidence_links.all()]
    assert "Looked after away from home, aged 11 to 15 — South Ayrshire (chart)" in cited
    html = review.versions.get().html
    assert "Demonstration content." in html
    assert "Leadership has been significantly strengthened" in html
    east = ActionPlan.objects.filter(partnership__slug="east-ayrshire")
    assert not east.exists()
    assert not ProgressReview.objects.filter(partnership__slug="east-ayrshire").exists()


def _publish_east_ayrshire() -> Inspection:
    inspection = Inspection.objects.get(partnership__slug="east-ayrshire")
    lead = User.objects.get(email="lead.inspector@inspectorate.example")
    inspection_services.inspection_advance(inspection=inspection, by=lead)
    inspection_services.qa_signoff_record(
        inspection=inspection,
        by=User.objects.get(email="qa@inspectorate.example"),
        decision=QASignOff.Decision.SIGNED_OFF,
        comments="",
    )
    inspection_services.inspection_advance(inspection=inspection, by=lead)
    inspection_services.inspection_update(
        inspection=inspection, publication_date=max(today(), inspection.draft_date or today())
    )
    inspection_publish(inspection=inspection, by=lead)
    return inspection


def test_the_demo_follows_the_seed_and_the_whole_flow_works() -> None:
    builder.build()
    _check_south_ayrshire()
    inspection = _publish_east_ayrshire()
    partnership_lead = client_for(User.objects.get(email="lead@east-ayrshire.example"))
    link = client_for(User.objects.get(email="link.inspector2@inspectorate.example"))
    qa = client_for(User.objects.get(email="qa@inspectorate.example"))

    # The partnership lead drafts and submits the action plan.
    partnership_lead.post(reverse("improvement:plan-start", args=[inspection.pk]))
    plan = ActionPlan.objects.get(inspection=inspection)
    area = inspection.areas_for_improvement.get()
    partnership_lead.post(
        reverse("improvement:action-add", args=[plan.pk]),
        {
            "title": "Measurable outcomes in every child's plan",
            "areas": [area.pk],
            "owner_name": "Daniel Hughes",
            "owner_email": "contributor@east-ayrshire.example",
            "lead_agency": "East Ayrshire Council",
            "start_date": today().isoformat(),
            "due_date": (today() + timedelta(days=180)).isoformat(),
            "stated_measure": "Audits show most plans have measurable outcomes.",
        },
    )
    partnership_lead.post(reverse("improvement:plan-submit", args=[plan.pk]))
    # The link inspector accepts it; updates flow.
    link.post(reverse("improvement:plan-review", args=[plan.pk]), {"decision": "accept"})
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.ACCEPTED
    action = plan.actions.get()
    response = partnership_lead.post(
        reverse("improvement:update-add", args=[action.pk]),
        {"date": today().isoformat(), "narrative": "Audit tool agreed."},
    )
    assert response.status_code == 302
    assert action.updates.count() == 1

    # The link inspector leads a progress review; QA signs off; it is published.
    link.post(
        reverse("improvement:review-create", args=[inspection.pk]),
        {
            "title": "Progress review: East Ayrshire",
            "lead": User.objects.get(email="link.inspector2@inspectorate.example").pk,
        },
    )
    review = ProgressReview.objects.get(inspection=inspection)
    finding = review.findings.get()
    link.post(
        reverse("improvement:finding-edit", args=[review.pk, finding.pk]),
        {"level": ProgressLevel.objects.get(label="Good progress").pk, "narrative": "Good."},
    )
    link.post(
        reverse("improvement:evidence-choose", args=[finding.pk]),
        {"target": f"improvement.action:{action.pk}"},
    )
    link.post(
        reverse("improvement:review-edit", args=[review.pk]),
        {
            "title": review.title,
            "conclusion": "Encouraging progress.",
            "further_scrutiny": "further_review",
            "further_review_date": (today() + timedelta(days=365)).isoformat(),
        },
    )
    link.post(reverse("improvement:review-submit", args=[review.pk]))
    qa.post(reverse("improvement:review-qa", args=[review.pk]), {"decision": "signed_off"})
    link.post(reverse("publishing:progress-review-publish", args=[review.pk]))
    review.refresh_from_db()
    assert review.is_published

    public = Client()
    page = public.get(reverse("publishing:progress-review", args=[review.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert "We will carry out a further review" in content
    assert "Measurable outcomes in every child" in content
    pdf = public.get(reverse("publishing:progress-review-pdf", args=[review.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
