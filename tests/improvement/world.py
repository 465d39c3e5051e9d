"""Improvement objects for the authorisation walk: a plan on partnership A's published
inspection, its action with a milestone, an update with a file and a measure, a contact, a
monitoring note, a concern, a draft progress review (inspector_a on its team) and a published
one."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile

from scrutiny.accounts.models import Role
from scrutiny.improvement.models import (
    Action,
    ActionMeasure,
    ActionPlan,
    ActionUpdate,
    ActionUpdateFile,
    Concern,
    Contact,
    FindingEvidence,
    Milestone,
    MonitoringNote,
    ProgressFinding,
    ProgressLevel,
    ProgressReview,
    ProgressReviewTeamMember,
    ProgressReviewVersion,
)
from scrutiny.improvement.scale import ensure_default_scale
from scrutiny.inspections.models import AreaForImprovement
from tests import factories


def extend(world: Any) -> None:
    cast = world.cast
    ensure_default_scale(ProgressLevel)
    published = world.published_a
    area = AreaForImprovement.objects.create(
        inspection=published, number=1, title="Leadership", text="Strengthen leadership."
    )
    area.qis.add(world.qi_a)
    plan = ActionPlan.objects.create(
        inspection=published,
        partnership=published.partnership,
        status=ActionPlan.Status.SUBMITTED,
        created_by=cast.lead_a,
        first_submitted_on=date(2016, 10, 1),
    )
    action = Action.objects.create(
        plan=plan,
        number=1,
        title="Agree a vision",
        owner_user=cast.lead_a,
        lead_agency="Council",
        start_date=date(2016, 10, 1),
        due_date=date(2030, 3, 31),
    )
    action.areas.add(area)
    milestone = Milestone.objects.create(
        action=action, title="Workshop", due_date=date(2029, 1, 31)
    )
    update = ActionUpdate.objects.create(
        action=action, date=date(2017, 1, 1), narrative="Started", rag="green", by=cast.lead_a
    )
    stored = ActionUpdateFile(
        update=update, original_name="minutes.txt", content_type="text/plain", size=7, sha256="0"
    )
    stored.file.save("minutes.txt", ContentFile(b"minutes"), save=False)
    stored.save()
    measure = ActionMeasure.objects.create(
        action=action,
        content_type=ContentType.objects.get_for_model(world.evidence_a),
        object_id=world.evidence_a.pk,
        label="A document",
        added_by=cast.lead_a,
    )
    concern = Concern.objects.create(
        partnership=published.partnership,
        raised_on=date(2017, 2, 1),
        title="Slow recruitment",
        detail="Posts unfilled.",
        severity=Concern.Severity.MEDIUM,
        raised_by=cast.link_a,
    )
    contact = Contact.objects.create(
        partnership=published.partnership,
        date=date(2017, 3, 1),
        kind=Contact.Kind.MEETING,
        participants="Chief officers",
        notes="Discussed the plan.",
        by=cast.link_a,
    )
    note = MonitoringNote.objects.create(
        partnership=published.partnership,
        area=area,
        date=date(2017, 3, 2),
        text="Vision agreed.",
        by=cast.link_a,
    )
    review_lead = factories.user(Role.LEAD_INSPECTOR)
    review = ProgressReview.objects.create(
        inspection=published,
        partnership=published.partnership,
        title="Progress review: South Ayrshire",
        created_by=review_lead,
    )
    ProgressReviewTeamMember.objects.create(
        review=review, user=review_lead, name=review_lead.full_name, role="lead_inspector"
    )
    ProgressReviewTeamMember.objects.create(
        review=review, user=cast.inspector_a, name=cast.inspector_a.full_name, role="inspector"
    )
    finding = ProgressFinding.objects.create(review=review, area=area)
    evidence = FindingEvidence.objects.create(
        finding=finding,
        content_type=ContentType.objects.get_for_model(action),
        object_id=action.pk,
        label="Action 1",
        added_by=review_lead,
    )
    published_review = ProgressReview.objects.create(
        inspection=published,
        partnership=published.partnership,
        title="Published progress review",
        status=ProgressReview.Status.PUBLISHED,
        publication_date=date(2018, 3, 1),
        conclusion="Good progress.",
        further_scrutiny=ProgressReview.FurtherScrutiny.NONE,
        created_by=review_lead,
    )
    ProgressReviewVersion.objects.create(
        review=published_review,
        number=1,
        html="<p>Frozen progress review</p>",
        pdf=b"%PDF-1.7",
        published_by=review_lead,
    )
    world.improvement_area = area
    world.plan_a = plan
    world.action_a = action
    world.milestone_a = milestone
    world.update_file_a = stored
    world.measure_a = measure
    world.concern_a = concern
    world.contact_a = contact
    world.note_a = note
    world.review_a = review
    world.finding_a = finding
    world.finding_evidence_a = evidence
    world.published_review_a = published_review
    world.level_a = ProgressLevel.objects.order_by("order").first()
    world.assignment_a = cast.link_a.link_assignments.first()
