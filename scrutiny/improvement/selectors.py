"""Reads for improvement: plans with their actions, the monitoring overview, the timeline."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Count, Max, Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from scrutiny.accounts import selectors as accounts_selectors
from scrutiny.accounts.models import Role, User
from scrutiny.analysis.rag import Rag, rag_counted
from scrutiny.improvement.models import (
    Action,
    ActionPlan,
    ActionUpdate,
    Concern,
    Contact,
    FindingEvidence,
    MonitoringNote,
    PlanEvent,
    ProgressFinding,
    ProgressReview,
    SupportOffer,
)
from scrutiny.improvement.registry import LinkSource, Signal, link_sources, signals_for
from scrutiny.inspections.models import AreaForImprovement, Inspection, Status
from scrutiny.places.models import Partnership

# --- action plans ------------------------------------------------------------------------------


def plan_actions(*, plan: ActionPlan) -> list[Action]:
    """Every action of a plan, with what the plan page shows, in a fixed number of queries."""
    actions: list[Action] = list(
        plan.actions.select_related("owner_user")
        .prefetch_related(
            Prefetch("milestones", to_attr="prefetched_milestones"),
            Prefetch(
                "areas",
                queryset=AreaForImprovement.objects.only("id", "number").order_by("number"),
                to_attr="area_list",
            ),
        )
        .annotate(update_count=Count("updates"), last_update=Max("updates__date"))
        .order_by("number")
    )
    today = timezone.localdate()
    for action in actions:
        # Worked out once per action: the page and the summary both show it.
        action.status = action.rag
        action.overridden = bool(action.rag_override) and action.status is not action.derived_rag()
        action.overdue = action.completed_on is None and action.due_date < today
    return actions


def plans_not_started(*, partnership: Partnership) -> list[ActionPlan]:
    """The plans the partnership owes for its published reports and has not started (unsaved,
    see ``ActionPlan.not_started``), oldest report first."""
    return [
        ActionPlan.not_started(inspection)
        for inspection in partnership.inspections.filter(
            status=Status.PUBLISHED, action_plan__isnull=True
        ).order_by("publication_date", "pk")
    ]


@dataclass(frozen=True)
class PlanSummary:
    total: int
    counts: dict[str, int]
    overdue: list[Action]

    def count(self, rag: str) -> int:
        return self.counts.get(rag, 0)

    @property
    def rows(self) -> list[tuple[Rag, int]]:
        return [(rag, self.counts.get(rag.value, 0)) for rag in Rag]


def summarise(actions: list[Action]) -> PlanSummary:
    """Counts by status; ``actions`` from ``plan_actions``, which works each status out once.
    An overdue action counts as red whatever status was set by hand: the counts agree with
    ``overdue``."""
    counts = Counter(rag_counted(action.status, overdue=action.overdue).value for action in actions)
    return PlanSummary(
        total=len(actions),
        counts=dict(counts),
        overdue=[a for a in actions if a.overdue],
    )


def action_history(*, action: Action) -> QuerySet[ActionUpdate]:
    return action.updates.select_related("by").prefetch_related("files")


def overdue_actions(
    *, partnerships: QuerySet[Partnership] | list[Partnership] | None = None
) -> QuerySet[Action]:
    """Actions past their due date and not complete (all partnerships when None)."""
    found = Action.objects.filter(
        completed_on__isnull=True, due_date__lt=timezone.localdate()
    ).select_related("plan__partnership__area", "owner_user")
    if partnerships is not None:
        found = found.filter(plan__partnership__in=partnerships)
    return found.order_by("due_date", "plan", "number")


def linked_partnerships(*, user: User) -> QuerySet[Partnership]:
    return accounts_selectors.linked_partnerships(user=user, today=timezone.localdate())


def overdue_for(*, user: User) -> QuerySet[Action] | None:
    """The overdue actions a user's home page shows: their partnership's, their linked
    partnerships', or every partnership's for administrators and quality assurance."""
    if user.role in (Role.ADMINISTRATOR, Role.QUALITY_ASSURANCE):
        return overdue_actions()
    if user.is_inspectorate:
        return overdue_actions(partnerships=linked_partnerships(user=user))
    if user.partnership_id is None:
        return None
    return overdue_actions(partnerships=Partnership.objects.filter(pk=user.partnership_id))


# --- monitoring --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonitoringOverview:
    partnership: Partnership
    open_concerns: list[Concern]
    resolved_concerns: list[Concern]
    overdue_actions: list[Action]
    signals: list[Signal]
    contacts: list[Contact]
    notes: list[MonitoringNote]
    support: list[SupportOffer]
    plans: list[ActionPlan]
    plans_not_started: list[ActionPlan]
    last_contact: date | None
    days_since_contact: int | None


def monitoring_overview(*, partnership: Partnership) -> MonitoringOverview:
    concerns = list(Concern.objects.filter(partnership=partnership).select_related("raised_by"))
    contacts = list(Contact.objects.filter(partnership=partnership).select_related("by"))
    last = contacts[0].date if contacts else None
    return MonitoringOverview(
        partnership=partnership,
        open_concerns=[c for c in concerns if c.status == Concern.Status.OPEN],
        resolved_concerns=[c for c in concerns if c.status == Concern.Status.RESOLVED],
        overdue_actions=list(overdue_actions(partnerships=[partnership])),
        signals=signals_for(partnership),
        contacts=contacts,
        notes=list(
            MonitoringNote.objects.filter(partnership=partnership).select_related("area", "by")
        ),
        support=list(SupportOffer.objects.filter(partnership=partnership).select_related("by")),
        plans=list(ActionPlan.objects.filter(partnership=partnership).select_related("inspection")),
        plans_not_started=plans_not_started(partnership=partnership),
        last_contact=last,
        days_since_contact=(timezone.localdate() - last).days if last else None,
    )


# --- timeline ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEvent:
    on: date
    what: str
    title: str
    detail: str = ""
    url: str = ""
    internal: bool = False
    at: datetime | None = None  # when it happened, for what has a time as well as a day

    @property
    def moment(self) -> datetime:
        """When it happened, to order the timeline: a day with no time counts as its start,
        since what else happened that day (a plan started after a report) followed it."""
        return self.at or timezone.make_aware(datetime.combine(self.on, time.min))


def _timed(
    moment: datetime,
    what: str,
    title: str,
    detail: str = "",
    url: str = "",
    *,
    internal: bool = False,
) -> TimelineEvent:
    return TimelineEvent(
        timezone.localdate(moment), what, title, detail, url, internal=internal, at=moment
    )


def partnership_timeline(*, partnership: Partnership, internal: bool) -> list[TimelineEvent]:
    """The partnership's history, newest first (within a day too, by the time of what has one).
    ``internal`` adds the inspectorate-only items (contact notes, monitoring notes, concerns,
    unpublished progress reviews); without it they are never read, so they cannot leak into a
    partnership user's page."""
    events: list[TimelineEvent] = []
    inspections = list(partnership.inspections.order_by("notification_date"))
    for inspection in inspections:
        url = reverse("inspections:detail", args=[inspection.pk])
        if inspection.notification_date:
            events.append(
                TimelineEvent(
                    inspection.notification_date,
                    "Inspection",
                    "Inspection notified",
                    inspection.title,
                    url,
                )
            )
        if inspection.is_published and inspection.publication_date:
            events.append(
                TimelineEvent(
                    inspection.publication_date,
                    "Report",
                    "Inspection report published",
                    inspection.title,
                    reverse("publishing:report", args=[inspection.pk]),
                )
            )
    plans = list(ActionPlan.objects.filter(partnership=partnership).select_related("inspection"))
    for plan in plans:
        url = reverse("improvement:plan", args=[plan.pk])
        events.append(_timed(plan.created_at, "Action plan", "Action plan started", "", url))
        if plan.due_date and plan.first_submitted_on is None:
            events.append(TimelineEvent(plan.due_date, "Action plan", "Action plan due", "", url))
    for owed in plans_not_started(partnership=partnership):
        if owed.due_date:
            events.append(
                TimelineEvent(owed.due_date, "Action plan", "Action plan due", "Not started yet.")
            )
    for event in PlanEvent.objects.filter(plan__partnership=partnership).select_related("by"):
        events.append(
            _timed(
                event.at,
                "Action plan",
                f"Action plan {event.get_kind_display().lower()}",
                f"{event.by}. {event.comments}".strip(),
                reverse("improvement:plan", args=[event.plan_id]),
            )
        )
    completed = Action.objects.filter(
        plan__partnership=partnership, completed_on__isnull=False
    ).order_by("completed_on")
    for action in completed:
        assert action.completed_on is not None
        events.append(
            TimelineEvent(
                action.completed_on,
                "Action",
                f"Action {action.number} complete",
                action.title,
                reverse("improvement:action", args=[action.pk]),
            )
        )
    for contact in Contact.objects.filter(partnership=partnership).select_related("by"):
        events.append(
            TimelineEvent(
                contact.date,
                "Contact",
                f"{contact.get_kind_display()} with the link inspector",
                f"{contact.participants}. {contact.notes}" if internal else "",
                internal=False,
            )
        )
    for offer in SupportOffer.objects.filter(partnership=partnership):
        events.append(TimelineEvent(offer.date, "Support", "Support offered", offer.description))
    reviews = list(ProgressReview.objects.filter(partnership=partnership))
    for review in reviews:
        if review.is_published and review.publication_date:
            events.append(
                TimelineEvent(
                    review.publication_date,
                    "Progress review",
                    "Progress review published",
                    review.title,
                    reverse("publishing:progress-review", args=[review.pk]),
                )
            )
    if internal:
        events.extend(_internal_events(partnership, reviews))
    return sorted(events, key=lambda e: e.moment, reverse=True)


def _internal_events(
    partnership: Partnership, reviews: list[ProgressReview]
) -> list[TimelineEvent]:
    events = []
    for concern in Concern.objects.filter(partnership=partnership):
        events.append(
            TimelineEvent(
                concern.raised_on,
                "Concern",
                f"Concern raised ({concern.get_severity_display().lower()}): {concern.title}",
                concern.detail,
                reverse("improvement:monitoring", args=[partnership.slug]),
                internal=True,
            )
        )
        if concern.resolved_on:
            events.append(
                TimelineEvent(
                    concern.resolved_on,
                    "Concern",
                    f"Concern resolved: {concern.title}",
                    concern.resolution,
                    reverse("improvement:monitoring", args=[partnership.slug]),
                    internal=True,
                )
            )
    for note in MonitoringNote.objects.filter(partnership=partnership).select_related("area"):
        events.append(
            TimelineEvent(
                note.date,
                "Monitoring note",
                f"Note on area for improvement {note.area.number}",
                note.text,
                internal=True,
            )
        )
    for review in reviews:
        events.append(
            _timed(
                review.created_at,
                "Progress review",
                "Progress review started",
                review.title,
                reverse("improvement:review", args=[review.pk]),
                internal=True,
            )
        )
    return events


# --- progress reviews --------------------------------------------------------------------------


def review_findings(*, review: ProgressReview) -> list[ProgressFinding]:
    return list(
        review.findings.select_related("area", "level", "updated_by").prefetch_related(
            Prefetch(
                "evidence_links",
                queryset=FindingEvidence.objects.select_related("content_type").prefetch_related(
                    "target"
                ),
            )
        )
    )


def reviews_at_quality_assurance() -> list[ProgressReview]:
    """Progress reviews sent to quality assurance and waiting for a decision, oldest first."""
    return list(
        ProgressReview.objects.filter(status=ProgressReview.Status.QUALITY_ASSURANCE)
        .select_related("partnership", "inspection")
        .order_by("created_at", "pk")
    )


def reviewable_inspections(*, partnership: Partnership) -> QuerySet[Inspection]:
    return partnership.inspections.filter(status=Status.PUBLISHED).order_by("-publication_date")


# --- the generic chooser -----------------------------------------------------------------------


@dataclass
class CandidateGroup:
    source: LinkSource
    options: list[tuple[str, str]] = field(default_factory=list)  # (value, label)


def chooser_candidates(*, purpose: str, partnership: Partnership) -> list[CandidateGroup]:
    """Objects of this partnership that can be linked for ``purpose``, by content type."""
    groups = []
    for source in link_sources(purpose):
        group = CandidateGroup(source=source)
        for obj in source.candidates(partnership):
            group.options.append((f"{source.key}:{obj.pk}", source.describe(obj)))
        groups.append(group)
    return groups
