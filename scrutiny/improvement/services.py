"""Every write for improvement: action plans, monitoring and progress reviews. Each function
runs in one transaction, checks its preconditions and raises ``ImprovementError`` with a
message for people when they fail, so nothing is half-saved."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import PurePath
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

from scrutiny.accounts.models import LinkAssignment, Role, User
from scrutiny.errors import ServiceError
from scrutiny.improvement.models import (
    Action,
    ActionMeasure,
    ActionPlan,
    ActionUpdate,
    ActionUpdateFile,
    Concern,
    Contact,
    DateWindow,
    FindingEvidence,
    Milestone,
    MonitoringNote,
    PlanEvent,
    ProgressFinding,
    ProgressLevel,
    ProgressReview,
    ProgressReviewSignOff,
    ProgressReviewTeamMember,
    SupportOffer,
    date_problem,
    long_date,
)
from scrutiny.improvement.registry import EVIDENCE, MEASURE, source_for
from scrutiny.inspections.models import AreaForImprovement, Inspection, TeamMember
from scrutiny.inspections.services import InspectionError, Upload, check_upload
from scrutiny.places.models import Partnership


class ImprovementError(ServiceError):
    """A change that cannot be made, with what is missing or wrong."""


NOT_PUBLISHED = "An action plan follows a published report: this inspection is not published."
PLAN_EXISTS = "This inspection already has an action plan."
LEVEL_ORDER_TAKEN = (
    "Another level of the progress scale already has order {order}: give each level its own "
    "order number (1 is the most progress)."
)
LEVEL_LABEL_TAKEN = (
    "Another level of the progress scale is already labelled '{label}': give each level its "
    "own label."
)
PLAN_LOCKED = (
    "The plan has been submitted: actions can change again only if the link inspector returns it."
)
PLAN_ACCEPTED = (
    "The plan was accepted on {day}: its actions and milestones no longer change. Record "
    "progress on each action with a status update."
)
ACTION_HAS_HISTORY = (
    "Action {number} cannot be removed: it has {kept}, which must stay in the plan's history. "
    "Change the action instead; if the work has stopped, add a status update saying why and "
    "mark the action complete."
)
MILESTONE_NEEDS_TITLE = "Say what the milestone is."
NO_AREA = "Link the action to at least one area for improvement."
NO_ACTIONS = "A plan with no actions cannot be submitted: add at least one action."
NOT_SUBMITTED = "Only a submitted plan can be accepted or returned."
RETURN_NEEDS_COMMENTS = "Say why the plan is returned, so the partnership knows what to change."
OWNER_NEEDED = (
    "Give the action's owner: choose a person with a Scrutiny account, or give a name and an "
    "email address (reminders are emailed)."
)
UPDATE_BEFORE_SUBMISSION = "Status updates start once the plan has been submitted."
FUTURE_DATE = "The date cannot be in the future."
OVERRIDE_NEEDS_REASON = "Give a reason for setting the status by hand."
NOT_LINK_INSPECTOR = (
    "Only people with the link inspector role can be link inspectors: {name}'s role is {role}."
)
REVIEW_LOCKED = (
    "The progress review is with quality assurance or signed off: it is locked until it is "
    "returned or published."
)


def _clean(obj: Model) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        fields = list(getattr(exc, "error_dict", {}))
        raise ImprovementError(
            " ".join(exc.messages), field=fields[0] if len(fields) == 1 else None
        ) from None


def _within(window: DateWindow, day: date | None, what: str, field: str) -> None:
    """Refuse a planned date outside ``window``, naming the form field it came from."""
    problem = window.problem(day, what) if day is not None else None
    if problem is not None:
        raise ImprovementError(problem, field=field)


def _happened(day: date, what: str = "The date", field: str = "date") -> None:
    """Refuse a date to come or before ``EARLIEST_DATE`` for something that has happened."""
    problem = date_problem(day, what)
    if problem is not None:
        raise ImprovementError(problem, field=field)


def _store_uploads(update: ActionUpdate, uploads: Sequence[Upload]) -> None:
    for upload in uploads:
        _, content_type = check_upload(upload)
        digest = hashlib.sha256()
        while chunk := upload.stream.read(1 << 20):
            digest.update(chunk)
        upload.stream.seek(0)
        stored = ActionUpdateFile(
            update=update,
            original_name=PurePath(upload.name).name[:255],
            content_type=content_type,
            size=upload.size,
            sha256=digest.hexdigest(),
        )
        stored.file.save(
            f"{digest.hexdigest()[:16]}{PurePath(upload.name).suffix.lower()}",
            File(upload.stream),
            save=False,
        )
        stored.save()


# --- action plans ------------------------------------------------------------------------------


@transaction.atomic
def action_plan_start(*, inspection: Inspection, by: User) -> ActionPlan:
    if not inspection.is_published:
        raise ImprovementError(NOT_PUBLISHED)
    if ActionPlan.objects.filter(inspection=inspection).exists():
        raise ImprovementError(PLAN_EXISTS)
    return ActionPlan.objects.create(
        inspection=inspection, partnership_id=inspection.partnership_id, created_by=by
    )


def plan_locked_reason(plan: ActionPlan) -> str | None:
    """Why the plan's actions and milestones cannot change now; None while they can."""
    if plan.is_editable:
        return None
    if plan.status == ActionPlan.Status.ACCEPTED:
        return PLAN_ACCEPTED.format(day=long_date(plan.accepted_on or timezone.localdate()))
    return PLAN_LOCKED


def _require_editable(plan: ActionPlan) -> None:
    reason = plan_locked_reason(plan)
    if reason is not None:
        raise ImprovementError(reason)


@transaction.atomic
def action_save(
    *,
    plan: ActionPlan,
    title: str,
    areas: Iterable[AreaForImprovement],
    lead_agency: str,
    start_date: date,
    due_date: date,
    description: str = "",
    owner_user: User | None = None,
    owner_name: str = "",
    owner_email: str = "",
    stated_measure: str = "",
    action: Action | None = None,
) -> Action:
    """Add an action to a draft (or returned) plan, or change one."""
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    _require_editable(plan)
    areas = list(areas)
    if not areas:
        raise ImprovementError(NO_AREA)
    foreign = [a for a in areas if a.inspection_id != plan.inspection_id]
    if foreign:
        raise ImprovementError("Only this inspection's areas for improvement can be linked.")
    if not title.strip():
        raise ImprovementError("Say what will be done.")
    if not lead_agency.strip():
        raise ImprovementError("Give the lead agency.")
    if owner_user is None and not (owner_name.strip() and owner_email.strip()):
        raise ImprovementError(OWNER_NEEDED)
    if action is None:
        number = (
            plan.actions.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        action = Action(plan=plan, number=number)
    elif action.plan_id != plan.pk:
        raise ImprovementError("That action belongs to another plan.")
    action.title = title.strip()
    action.description = description.strip()
    action.owner_user = owner_user
    action.owner_name = "" if owner_user else owner_name.strip()
    action.owner_email = "" if owner_user else owner_email.strip()
    action.lead_agency = lead_agency.strip()
    action.start_date = start_date
    action.due_date = due_date
    action.stated_measure = stated_measure.strip()
    _clean(action)
    window = plan.action_window()
    _within(window, start_date, "The start date", "start_date")
    _within(window, due_date, "The due date", "due_date")
    late = (
        [m for m in action.milestones.all() if m.due_date < start_date or m.due_date > due_date]
        if action.pk
        else []
    )
    if late:
        raise ImprovementError(
            "Milestones must fall between the action's start and due dates: "
            + "; ".join(f"{m.title} ({long_date(m.due_date)})" for m in late)
            + ".",
            field="due_date" if all(m.due_date > due_date for m in late) else "start_date",
        )
    action.save()
    action.areas.set(areas)
    return action


def action_history_kept(action: Action) -> list[str]:
    """What ties an action to the plan's history, so it cannot be removed: its status updates,
    milestones marked done, links to it as evidence in a progress review, reminders emailed."""
    evidence = FindingEvidence.objects.filter(
        content_type=ContentType.objects.get_for_model(Action), object_id=action.pk
    )
    counts = (
        (action.updates.count(), "status update", "status updates"),
        (
            action.milestones.filter(done_on__isnull=False).count(),
            "milestone marked done",
            "milestones marked done",
        ),
        (
            evidence.count(),
            "link as evidence in a progress review",
            "links as evidence in a progress review",
        ),
        (action.reminders.count(), "reminder emailed about it", "reminders emailed about it"),
    )
    return [f"{count} {one if count == 1 else many}" for count, one, many in counts if count]


@transaction.atomic
def action_delete(*, action: Action) -> None:
    """Remove an action of a draft (or returned) plan with no history. The other actions keep
    their numbers: updates, reminders, the plan's review comments and progress reviews name
    actions by number, so numbers are never moved (a gap is shown as it is)."""
    plan = ActionPlan.objects.select_for_update().get(pk=action.plan_id)
    _require_editable(plan)
    kept = action_history_kept(action)
    if kept:
        raise ImprovementError(
            ACTION_HAS_HISTORY.format(
                number=action.number,
                kept=", ".join(kept[:-1]) + " and " + kept[-1] if len(kept) > 1 else kept[0],
            )
        )
    action.delete()


def _check_milestone(action: Action, title: str, due_date: date) -> None:
    if not title.strip():
        raise ImprovementError(MILESTONE_NEEDS_TITLE, field="title")
    if not action.start_date <= due_date <= action.due_date:
        raise ImprovementError(
            f"The milestone's due date ({long_date(due_date)}) must fall between the action's "
            f"start ({long_date(action.start_date)}) and due date "
            f"({long_date(action.due_date)}).",
            field="due_date",
        )


@transaction.atomic
def milestone_add(*, action: Action, title: str, due_date: date) -> Milestone:
    _require_editable(action.plan)
    _check_milestone(action, title, due_date)
    milestone = Milestone(action=action, title=title.strip(), due_date=due_date)
    _clean(milestone)
    milestone.save()
    return milestone


@transaction.atomic
def milestone_change(*, milestone: Milestone, title: str, due_date: date) -> Milestone:
    """Reword or re-date a milestone of a plan still being drafted (or returned for changes);
    a milestone marked done stays as it was done."""
    action = Action.objects.select_related("plan").get(pk=milestone.action_id)
    _require_editable(action.plan)
    if milestone.done_on is not None:
        raise ImprovementError("A milestone marked done stays in the action's history.")
    _check_milestone(action, title, due_date)
    milestone.title = title.strip()
    milestone.due_date = due_date
    _clean(milestone)
    milestone.save(update_fields=["title", "due_date"])
    return milestone


@transaction.atomic
def milestone_remove(*, milestone: Milestone) -> None:
    """Take a milestone out of a plan still being drafted (or returned for changes)."""
    _require_editable(ActionPlan.objects.get(pk=milestone.action.plan_id))
    if milestone.done_on is not None:
        raise ImprovementError("A milestone marked done stays in the action's history.")
    milestone.delete()


@transaction.atomic
def milestone_mark_done(*, milestone: Milestone, done_on: date) -> Milestone:
    if milestone.done_on is not None:
        raise ImprovementError("This milestone is already marked done.")
    plan = ActionPlan.objects.get(pk=milestone.action.plan_id)
    if plan.first_submitted_on is None:
        raise ImprovementError(UPDATE_BEFORE_SUBMISSION)
    _happened(done_on, "The date it was done", "done_on")
    if done_on < milestone.action.start_date:
        raise ImprovementError("A milestone cannot be done before its action starts.")
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    return milestone


def _uncovered_areas(plan: ActionPlan) -> list[AreaForImprovement]:
    covered = set(
        Action.areas.through.objects.filter(action__plan=plan).values_list(
            "areaforimprovement_id", flat=True
        )
    )
    return [a for a in plan.inspection.areas_for_improvement.all() if a.pk not in covered]


def plan_missing(plan: ActionPlan) -> list[str]:
    """What stops ``plan`` being submitted; empty when it can be."""
    if not plan.actions.exists():
        return [NO_ACTIONS]
    return [
        f"No action addresses area for improvement {area.number}: {area.title}."
        for area in _uncovered_areas(plan)
    ]


@transaction.atomic
def action_plan_submit(*, plan: ActionPlan, by: User) -> ActionPlan:
    locked = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if not locked.is_editable:
        raise ImprovementError(
            f"This plan is '{locked.get_status_display()}': only a draft or a returned plan can "
            "be submitted."
        )
    missing = plan_missing(locked)
    if missing == [NO_ACTIONS]:
        raise ImprovementError(NO_ACTIONS)
    if missing:
        raise ImprovementError("The plan cannot be submitted yet:", missing=missing)
    locked.status = ActionPlan.Status.SUBMITTED
    if locked.first_submitted_on is None:
        locked.first_submitted_on = timezone.localdate()
    locked.save(update_fields=["status", "first_submitted_on"])
    PlanEvent.objects.create(plan=locked, kind=PlanEvent.Kind.SUBMITTED, by=by)
    plan.refresh_from_db()
    return plan


@transaction.atomic
def action_plan_review(*, plan: ActionPlan, by: User, accept: bool, comments: str) -> ActionPlan:
    locked = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.status != ActionPlan.Status.SUBMITTED:
        raise ImprovementError(NOT_SUBMITTED)
    if not accept and not comments.strip():
        raise ImprovementError(RETURN_NEEDS_COMMENTS)
    if accept:
        locked.status = ActionPlan.Status.ACCEPTED
        locked.accepted_on = timezone.localdate()
    else:
        locked.status = ActionPlan.Status.RETURNED
    locked.save(update_fields=["status", "accepted_on"])
    PlanEvent.objects.create(
        plan=locked,
        kind=PlanEvent.Kind.ACCEPTED if accept else PlanEvent.Kind.RETURNED,
        by=by,
        comments=comments.strip(),
    )
    plan.refresh_from_db()
    return plan


@transaction.atomic
def action_update_add(
    *,
    action: Action,
    date: date,
    narrative: str,
    by: User,
    complete: bool = False,
    uploads: Sequence[Upload] = (),
) -> ActionUpdate:
    """A dated status update (with attachments); it may mark the action complete."""
    action = Action.objects.select_for_update().select_related("plan").get(pk=action.pk)
    if action.plan.first_submitted_on is None:
        raise ImprovementError(UPDATE_BEFORE_SUBMISSION)
    if not narrative.strip():
        raise ImprovementError("Write the update.", field="narrative")
    _happened(date, "The update's date")
    if date < action.start_date:
        raise ImprovementError(
            f"The update's date is before the action started ({long_date(action.start_date)}).",
            field="date",
        )
    if complete:
        if action.completed_on is not None:
            raise ImprovementError("This action is already complete.", field="complete")
        action.completed_on = date
        action.save(update_fields=["completed_on"])
    update = ActionUpdate(
        action=action,
        date=date,
        narrative=narrative.strip(),
        by=by,
        marks_complete=complete,
        rag=action.derived_rag(today=date).value,
    )
    _clean(update)
    update.save()
    try:
        _store_uploads(update, uploads)
    except InspectionError as exc:
        raise ImprovementError(str(exc), field="attachments") from None
    return update


@transaction.atomic
def action_status_override(*, action: Action, rag: str, reason: str, by: User) -> Action:
    """Set the red/amber/green status by hand (with a reason), or clear it (``rag`` empty)."""
    if rag and not reason.strip():
        raise ImprovementError(OVERRIDE_NEEDS_REASON)
    action.rag_override = rag
    action.rag_override_reason = reason.strip() if rag else ""
    action.rag_override_by = by if rag else None
    action.rag_override_at = timezone.now() if rag else None
    _clean(action)
    action.save(
        update_fields=["rag_override", "rag_override_reason", "rag_override_by", "rag_override_at"]
    )
    return action


# --- generic links -----------------------------------------------------------------------------


def _link_label(obj: Any, purpose: str, partnership: Partnership) -> str:
    source = source_for(obj)
    if source is None or purpose not in source.purposes:
        raise ImprovementError(
            f"{obj._meta.verbose_name_plural.capitalize()} cannot be linked here."
        )
    if not source.belongs_to(obj, partnership):
        raise ImprovementError(f"'{obj}' is not one of {partnership.name}'s.")
    return source.describe(obj)[:300]


@transaction.atomic
def measure_link_add(*, action: Action, obj: Any, note: str, by: User) -> ActionMeasure:
    """Link an indicator, qualitative theme or other registered object as a measure of success."""
    label = _link_label(obj, MEASURE, action.plan.partnership)
    link = ActionMeasure(action=action, target=obj, label=label, note=note.strip(), added_by=by)
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError:
        raise ImprovementError("That is already linked to this action.") from None
    return link


@transaction.atomic
def measure_link_remove(*, link: ActionMeasure) -> None:
    link.delete()


@transaction.atomic
def evidence_link_add(
    *, finding: ProgressFinding, obj: Any, note: str, by: User
) -> FindingEvidence:
    """Link an object (an action, an evidence item, an indicator chart, record-reading results,
    coded qualitative evidence…) as evidence a progress finding rests on."""
    _require_review_editable(finding.review)
    label = _link_label(obj, EVIDENCE, finding.review.partnership)
    link = FindingEvidence(finding=finding, target=obj, label=label, note=note.strip(), added_by=by)
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError:
        raise ImprovementError("That is already linked to this finding.") from None
    return link


@transaction.atomic
def evidence_link_remove(*, link: FindingEvidence) -> None:
    _require_review_editable(link.finding.review)
    link.delete()


# --- link-inspector monitoring -----------------------------------------------------------------


@transaction.atomic
def link_assignment_add(
    *, inspector: User, partnership: Partnership, started_on: date
) -> LinkAssignment:
    if inspector.role != Role.LINK_INSPECTOR:
        raise ImprovementError(
            NOT_LINK_INSPECTOR.format(name=inspector, role=inspector.get_role_display().lower())
        )
    current = LinkAssignment.objects.filter(
        inspector=inspector, partnership=partnership, ended_on__isnull=True
    )
    if current.exists():
        raise ImprovementError(f"{inspector} is already linked to {partnership.name}.")
    assignment = LinkAssignment(inspector=inspector, partnership=partnership, started_on=started_on)
    _clean(assignment)
    assignment.save()
    return assignment


@transaction.atomic
def link_assignment_end(*, assignment: LinkAssignment, ended_on: date) -> LinkAssignment:
    if assignment.ended_on is not None:
        raise ImprovementError("This assignment has already ended.")
    assignment.ended_on = ended_on
    _clean(assignment)
    assignment.save(update_fields=["ended_on"])
    return assignment


@transaction.atomic
def contact_add(
    *,
    partnership: Partnership,
    date: date,
    kind: str,
    participants: str,
    notes: str,
    by: User,
) -> Contact:
    _happened(date, "The contact's date")
    contact = Contact(
        partnership=partnership,
        date=date,
        kind=kind,
        participants=participants.strip(),
        notes=notes.strip(),
        by=by,
    )
    _clean(contact)
    contact.save()
    return contact


@transaction.atomic
def contact_change(
    *, contact: Contact, date: date, kind: str, participants: str, notes: str
) -> Contact:
    """Correct a logged contact (the audit trail keeps what it said before)."""
    _happened(date, "The contact's date")
    contact.date, contact.kind = date, kind
    contact.participants, contact.notes = participants.strip(), notes.strip()
    _clean(contact)
    contact.save()
    return contact


@transaction.atomic
def monitoring_note_add(
    *, partnership: Partnership, area: AreaForImprovement, date: date, text: str, by: User
) -> MonitoringNote:
    if area.inspection.partnership_id != partnership.pk:
        raise ImprovementError("That area for improvement is another partnership's.")
    _happened(date, "The note's date")
    note = MonitoringNote(partnership=partnership, area=area, date=date, text=text.strip(), by=by)
    _clean(note)
    note.save()
    return note


@transaction.atomic
def monitoring_note_change(
    *, note: MonitoringNote, area: AreaForImprovement, date: date, text: str
) -> MonitoringNote:
    """Correct a monitoring note (the audit trail keeps what it said before)."""
    if area.inspection.partnership_id != note.partnership_id:
        raise ImprovementError("That area for improvement is another partnership's.")
    _happened(date, "The note's date")
    note.area, note.date, note.text = area, date, text.strip()
    _clean(note)
    note.save()
    return note


@transaction.atomic
def concern_raise(
    *,
    partnership: Partnership,
    raised_on: date,
    title: str,
    detail: str,
    severity: str,
    by: User,
    follow_up: str = "",
    follow_up_by: date | None = None,
) -> Concern:
    _happened(raised_on, "The date the concern was raised", "raised_on")
    concern = Concern(
        partnership=partnership,
        raised_on=raised_on,
        title=title.strip(),
        detail=detail.strip(),
        severity=severity,
        follow_up=follow_up.strip(),
        follow_up_by=follow_up_by,
        raised_by=by,
    )
    _clean(concern)
    _within(concern.follow_up_window(), follow_up_by, "The follow-up date", "follow_up_by")
    concern.save()
    return concern


@transaction.atomic
def concern_resolve(*, concern: Concern, resolved_on: date, resolution: str) -> Concern:
    if concern.status == Concern.Status.RESOLVED:
        raise ImprovementError("This concern is already resolved.")
    if not resolution.strip():
        raise ImprovementError("Say how the concern was resolved.")
    _happened(resolved_on, "The date it was resolved", "resolved_on")
    concern.status = Concern.Status.RESOLVED
    concern.resolved_on = resolved_on
    concern.resolution = resolution.strip()
    _clean(concern)
    concern.save()
    return concern


@transaction.atomic
def support_offer_add(
    *, partnership: Partnership, date: date, description: str, by: User
) -> SupportOffer:
    _happened(date, "The date support was offered")
    offer = SupportOffer(partnership=partnership, date=date, description=description.strip(), by=by)
    _clean(offer)
    offer.save()
    return offer


# --- progress reviews --------------------------------------------------------------------------


@transaction.atomic
def progress_review_create(
    *,
    inspection: Inspection,
    title: str,
    lead: User,
    by: User,
    fieldwork_start: date | None = None,
    fieldwork_end: date | None = None,
    is_demonstration: bool = False,
) -> ProgressReview:
    """A progress review of a published inspection: one finding per area for improvement."""
    if not inspection.is_published:
        raise ImprovementError(
            "A progress review follows a published inspection: this one is not published."
        )
    areas = list(inspection.areas_for_improvement.all())
    if not areas:
        raise ImprovementError("The inspection has no areas for improvement to review.")
    if not title.strip():
        raise ImprovementError("Give the progress review a title.")
    review = ProgressReview(
        inspection=inspection,
        partnership_id=inspection.partnership_id,
        title=title.strip(),
        fieldwork_start=fieldwork_start,
        fieldwork_end=fieldwork_end,
        created_by=by,
        is_demonstration=is_demonstration,
    )
    _clean(review)
    _check_fieldwork(review)
    review.save()
    progress_review_team_add(review=review, user=lead, role=TeamMember.Role.LEAD_INSPECTOR)
    ProgressFinding.objects.bulk_create(ProgressFinding(review=review, area=a) for a in areas)
    return review


def _check_fieldwork(review: ProgressReview) -> None:
    window = review.fieldwork_window()
    _within(window, review.fieldwork_start, "The start of fieldwork", "fieldwork_start")
    _within(window, review.fieldwork_end, "The end of fieldwork", "fieldwork_end")


def _require_review_editable(review: ProgressReview) -> None:
    if review.status in (ProgressReview.Status.QUALITY_ASSURANCE, ProgressReview.Status.SIGNED_OFF):
        raise ImprovementError(REVIEW_LOCKED)


@transaction.atomic
def progress_review_update(*, review: ProgressReview, **fields: Any) -> ProgressReview:
    _require_review_editable(review)
    for name, value in fields.items():
        setattr(review, name, value.strip() if isinstance(value, str) else value)
    _clean(review)
    _check_fieldwork(review)
    review.save()
    return review


@transaction.atomic
def progress_review_team_add(
    *,
    review: ProgressReview,
    role: str,
    user: User | None = None,
    name: str = "",
    scrutiny_body: str = "Care Inspectorate",
) -> ProgressReviewTeamMember:
    if user is not None:
        if not user.is_inspectorate and role in ("lead_inspector", "inspector"):
            raise ImprovementError("Lead inspectors and inspectors must be inspectorate staff.")
        if review.team.filter(user=user).exists():
            raise ImprovementError(f"{user.full_name} is already on this review's team.")
        name = name or user.full_name
    if not name.strip():
        raise ImprovementError("Give the team member's name.")
    if role == TeamMember.Role.LEAD_INSPECTOR and review.team.filter(role=role).exists():
        raise ImprovementError("This progress review already has a lead inspector.")
    member = ProgressReviewTeamMember(
        review=review, user=user, name=name.strip(), role=role, scrutiny_body=scrutiny_body
    )
    _clean(member)
    member.save()
    return member


@transaction.atomic
def progress_finding_save(
    *, finding: ProgressFinding, level: ProgressLevel | None, narrative: str, by: User
) -> ProgressFinding:
    _require_review_editable(finding.review)
    finding.level = level
    finding.narrative = narrative.strip()
    finding.updated_by = by
    finding.updated_at = timezone.now()
    _clean(finding)
    finding.save()
    return finding


def progress_review_missing(review: ProgressReview) -> list[str]:
    """What stops the review going to quality assurance or being published."""
    missing = []
    findings = list(review.findings.select_related("area"))
    unjudged = [f.area for f in findings if f.level_id is None]
    if unjudged:
        missing.append(
            "No progress judgement for: "
            + "; ".join(f"{a.number}. {a.title}" for a in unjudged)
            + "."
        )
    unwritten = [f.area for f in findings if f.level_id is not None and not f.narrative.strip()]
    if unwritten:
        missing.append(
            "No narrative for: " + "; ".join(f"{a.number}. {a.title}" for a in unwritten) + "."
        )
    if not review.conclusion.strip():
        missing.append("The overall conclusion is not written.")
    if not review.further_scrutiny:
        missing.append("The decision on further scrutiny is not made.")
    return missing


@transaction.atomic
def progress_review_submit(*, review: ProgressReview, by: User) -> ProgressReview:
    locked = ProgressReview.objects.select_for_update().get(pk=review.pk)
    if locked.status != ProgressReview.Status.DRAFT:
        raise ImprovementError("Only a draft progress review can go to quality assurance.")
    missing = progress_review_missing(locked)
    if missing:
        raise ImprovementError("It cannot go to quality assurance yet:", missing=missing)
    locked.status = ProgressReview.Status.QUALITY_ASSURANCE
    locked.save(update_fields=["status"])
    review.refresh_from_db()
    return review


@transaction.atomic
def progress_review_signoff(
    *, review: ProgressReview, by: User, decision: str, comments: str
) -> ProgressReviewSignOff:
    locked = ProgressReview.objects.select_for_update().get(pk=review.pk)
    if locked.status != ProgressReview.Status.QUALITY_ASSURANCE:
        raise ImprovementError("Only a review at quality assurance can be signed off or returned.")
    if decision == ProgressReviewSignOff.Decision.RETURNED and not comments.strip():
        raise ImprovementError("Say why the review is returned, so the team knows what to change.")
    signoff = ProgressReviewSignOff.objects.create(
        review=locked, decision=decision, by=by, comments=comments.strip()
    )
    locked.status = (
        ProgressReview.Status.SIGNED_OFF
        if decision == ProgressReviewSignOff.Decision.SIGNED_OFF
        else ProgressReview.Status.DRAFT
    )
    locked.save(update_fields=["status"])
    review.refresh_from_db()
    return signoff


@transaction.atomic
def progress_review_mark_published(
    *, review: ProgressReview, by: User, publication_date: date | None = None
) -> ProgressReview:
    """The status change of publishing. Called by publishing, which also freezes the report."""
    locked = ProgressReview.objects.select_for_update().get(pk=review.pk)
    if locked.status != ProgressReview.Status.SIGNED_OFF:
        raise ImprovementError(
            "Only a progress review signed off by quality assurance can be published; this one "
            f"is at '{locked.get_status_display()}'."
        )
    missing = progress_review_missing(locked)
    if missing:
        raise ImprovementError("It cannot be published yet:", missing=missing)
    locked.publication_date = publication_date or locked.publication_date or timezone.localdate()
    locked.status = ProgressReview.Status.PUBLISHED
    _clean(locked)
    locked.save(update_fields=["publication_date", "status"])
    review.refresh_from_db()
    return review


@transaction.atomic
def progress_level_save(
    *, label: str, description: str, order: int, level: ProgressLevel | None = None
) -> ProgressLevel:
    others = ProgressLevel.objects.exclude(pk=level.pk) if level else ProgressLevel.objects.all()
    if others.filter(order=order).exists():
        raise ImprovementError(LEVEL_ORDER_TAKEN.format(order=order), field="order")
    if others.filter(label=label.strip()).exists():
        raise ImprovementError(LEVEL_LABEL_TAKEN.format(label=label.strip()), field="label")
    level = level or ProgressLevel()
    level.label = label.strip()
    level.description = description.strip()
    level.order = order
    _clean(level)
    level.save()
    return level
