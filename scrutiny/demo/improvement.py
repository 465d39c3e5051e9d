"""Demonstration improvement work for South Ayrshire: the accepted action plan after the 2016
report, its updates, the link inspector's log, and the published 2018 progress review.

The findings follow the public facts of the seed case (leadership significantly strengthened;
encouraging progress in reducing the number of children looked after away from home; more
qualitative data needed to show the difference made; no further review required), but every
sentence, person and date here is invented demonstration content.

Actions still open have fixed due dates chosen so that, from 2026 until 2029, the plan shows
each status: most actions complete, some amber (a milestone overdue), one red (past its due
date), the rest green. East Ayrshire gets nothing: its inspection is not published.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone

from scrutiny.accounts.models import User
from scrutiny.improvement import services
from scrutiny.improvement.models import (
    Action,
    ActionPlan,
    PlanEvent,
    ProgressLevel,
    ProgressReview,
    ProgressReviewSignOff,
    ProgressReviewVersion,
)
from scrutiny.improvement.scale import ensure_default_scale
from scrutiny.inspections.models import EvidenceItem, Inspection, TeamMember
from scrutiny.publishing.progress_review import progress_review_publish

SA_TITLE = "Joint inspection of services for children and young people in South Ayrshire"
REVIEW_TITLE = "Progress review: South Ayrshire (demonstration)"
PARTNERSHIP_LEAD = "lead@south-ayrshire.example"
CONTRIBUTOR = "contributor@south-ayrshire.example"
LINK = "link.inspector@inspectorate.example"
INSPECTOR = "inspector@inspectorate.example"
QA = "qa@inspectorate.example"
DEMO = " (Demonstration content.)"


@dataclass(frozen=True)
class DemoAction:
    areas: tuple[int, ...]
    title: str
    owner: str  # a demo user's email, or "Name <email>"
    agency: str
    start: date
    due: date
    measure: str
    milestones: tuple[tuple[str, date, date | None], ...]  # title, due, done
    updates: tuple[tuple[date, str], ...]
    completed: date | None = None


COUNCIL = "South Ayrshire Council"
NHS = "NHS Ayrshire and Arran"
POLICE = "Police Scotland"

ACTIONS: tuple[DemoAction, ...] = (
    DemoAction(
        (1,),
        "Agree a shared vision and three priorities for children's services",
        PARTNERSHIP_LEAD,
        COUNCIL,
        date(2016, 11, 1),
        date(2017, 3, 31),
        "Chief officers sign off the vision; staff survey shows most staff know the priorities.",
        (("Development session with chief officers", date(2017, 1, 20), date(2017, 1, 18)),),
        ((date(2017, 1, 18), "Chief officers met for a development day and agreed a draft."),),
        completed=date(2017, 3, 28),
    ),
    DemoAction(
        (1, 5),
        "Create a children's services performance framework reported to chief officers",
        "Helen Rae <helen.rae@south-ayrshire.example>",
        COUNCIL,
        date(2016, 12, 1),
        date(2017, 9, 30),
        "A quarterly report with agreed measures reaches chief officers every quarter.",
        (
            ("Measures agreed", date(2017, 4, 30), date(2017, 4, 26)),
            ("First quarterly report", date(2017, 8, 31), date(2017, 8, 24)),
        ),
        ((date(2017, 4, 26), "Twelve measures agreed across partners."),),
        completed=date(2017, 9, 12),
    ),
    DemoAction(
        (1,),
        "Joint leadership development programme for senior managers",
        "Martin Kelly <martin.kelly@nhs-aa.example>",
        NHS,
        date(2017, 2, 1),
        date(2018, 1, 31),
        "Almost all senior managers complete the programme; evaluation shows changed practice.",
        (("First cohort completes", date(2017, 10, 31), date(2017, 10, 27)),),
        ((date(2017, 10, 27), "Twenty-two managers completed the first cohort."),),
        completed=date(2018, 1, 19),
    ),
    DemoAction(
        (2,),
        "Extend the family support team to every locality",
        CONTRIBUTOR,
        COUNCIL,
        date(2016, 11, 15),
        date(2017, 12, 31),
        "Families in every locality can get help within ten working days of asking.",
        (("Recruit four family support workers", date(2017, 6, 30), date(2017, 8, 14)),),
        (
            (date(2017, 3, 10), "Recruitment delayed: two posts re-advertised."),
            (date(2017, 8, 14), "All four workers in post."),
        ),
        completed=date(2017, 12, 8),
    ),
    DemoAction(
        (2,),
        "Financial inclusion advice in health visiting and early years settings",
        "Aileen Shaw <aileen.shaw@nhs-aa.example>",
        NHS,
        date(2017, 1, 9),
        date(2029, 3, 31),
        "Referrals for money advice from health visitors; families' income gains recorded.",
        (
            ("Pathway agreed with advice services", date(2017, 5, 31), date(2017, 5, 22)),
            ("Evaluate the pathway with families", date(2026, 6, 30), None),
        ),
        (
            (date(2017, 5, 22), "Referral pathway agreed with the council's advice service."),
            (date(2025, 11, 3), "Referrals rising each year; evaluation with families planned."),
        ),
    ),
    DemoAction(
        (2, 4),
        "Single request for assistance process for early help",
        "Graeme Hill <graeme.hill@south-ayrshire.example>",
        COUNCIL,
        date(2017, 4, 3),
        date(2018, 3, 31),
        "One form and one front door; most requests answered within five working days.",
        (("Test in two localities", date(2017, 10, 31), date(2017, 10, 30)),),
        ((date(2017, 10, 30), "Tested in Girvan and Troon with positive feedback."),),
        completed=date(2018, 2, 26),
    ),
    DemoAction(
        (3,),
        "Intensive family support for young people aged 11 to 15 on the edge of care",
        CONTRIBUTOR,
        COUNCIL,
        date(2016, 12, 1),
        date(2017, 11, 30),
        "Fewer 11 to 15 year olds become looked after away from home (quarterly indicator).",
        (("Team in place", date(2017, 4, 30), date(2017, 4, 3)),),
        (
            (date(2017, 4, 3), "Team of five in place; first families supported."),
            (date(2017, 11, 20), "Thirty young people supported to stay at home this year."),
        ),
        completed=date(2017, 11, 20),
    ),
    DemoAction(
        (3,),
        "Review every plan for a young person looked after away from home",
        "Lorna Bell <lorna.bell@south-ayrshire.example>",
        COUNCIL,
        date(2017, 1, 16),
        date(2017, 6, 30),
        "Each young person's plan reviewed, with a view on returning home recorded.",
        (),
        ((date(2017, 6, 29), "All reviews done; eleven young people have plans to return home."),),
        completed=date(2017, 6, 29),
    ),
    DemoAction(
        (3, 4),
        "Develop local foster and kinship placements so young people stay near home",
        "Lorna Bell <lorna.bell@south-ayrshire.example>",
        COUNCIL,
        date(2017, 6, 1),
        date(2028, 12, 31),
        "More placements within South Ayrshire; fewer young people placed outside the area.",
        (
            ("Recruitment campaign", date(2017, 10, 31), date(2017, 10, 16)),
            ("Twenty new local carers approved", date(2026, 3, 31), None),
        ),
        (
            (date(2017, 10, 16), "Campaign launched with local radio."),
            (date(2026, 4, 14), "Fourteen of twenty carers approved: behind the milestone."),
        ),
    ),
    DemoAction(
        (4,),
        "Shared chronologies across social work, health and education",
        "Martin Kelly <martin.kelly@nhs-aa.example>",
        NHS,
        date(2017, 3, 1),
        date(2026, 9, 30),
        "Most records read in audits have an up-to-date shared chronology.",
        (("Guidance agreed", date(2017, 9, 30), date(2017, 9, 21)),),
        (
            (date(2017, 9, 21), "Multi-agency chronology guidance agreed."),
            (date(2026, 8, 3), "System change delayed by the supplier; audit not yet repeated."),
        ),
    ),
    DemoAction(
        (4,),
        "Multi-agency case file audit twice a year",
        "Helen Rae <helen.rae@south-ayrshire.example>",
        COUNCIL,
        date(2017, 2, 1),
        date(2029, 6, 30),
        "Audit results reported to the child protection committee twice a year.",
        (("Next audit reported", date(2029, 1, 31), None),),
        (
            (date(2017, 10, 30), "First audit: less than half of plans were SMART."),
            (date(2026, 5, 11), "Latest audit: the majority of plans were SMART."),
        ),
    ),
    DemoAction(
        (5,),
        "Integrated children's services plan 2017 to 2020 with measurable outcomes",
        PARTNERSHIP_LEAD,
        COUNCIL,
        date(2016, 11, 1),
        date(2017, 4, 1),
        "The plan is published with a measure for each priority.",
        (("Consultation with children and families", date(2017, 2, 28), date(2017, 2, 24)),),
        ((date(2017, 3, 30), "Plan approved by the community planning board."),),
        completed=date(2017, 3, 30),
    ),
    DemoAction(
        (5,),
        "Joint meeting of the planning group and the child protection committee",
        "DCI Ruth Hannah <ruth.hannah@police.example>",
        POLICE,
        date(2017, 1, 1),
        date(2017, 12, 31),
        "Joint business planning; shared risks recorded on one register.",
        (),
        ((date(2017, 12, 5), "Two joint meetings held; shared risk register in use."),),
        completed=date(2017, 12, 5),
    ),
    DemoAction(
        (5, 1),
        "Annual report on the children's services plan, with children's views",
        PARTNERSHIP_LEAD,
        COUNCIL,
        date(2018, 1, 8),
        date(2029, 9, 30),
        "Each annual report includes what children and families say has changed.",
        (("Annual report approved", date(2029, 6, 30), None),),
        ((date(2026, 9, 28), "2025/26 annual report approved with young people's film."),),
    ),
    DemoAction(
        (2, 3),
        "Gather children's and families' views on the difference help has made",
        CONTRIBUTOR,
        COUNCIL,
        date(2018, 4, 2),
        date(2028, 3, 31),
        "Qualitative evidence coded into themes and reported alongside the indicators.",
        (("First round of conversations with families", date(2025, 12, 31), None),),
        ((date(2025, 10, 6), "Question set agreed with young people; conversations to start."),),
    ),
)

CONTACTS = (
    (
        date(2016, 10, 12),
        "meeting",
        "Chief officers; head of children's services",
        "Discussed the report and how the action plan will be drafted.",
    ),
    (
        date(2017, 2, 8),
        "call",
        "Head of children's services",
        "Recruitment to the family support team delayed.",
    ),
    (
        date(2017, 6, 14),
        "observation",
        "Children's services planning group",
        "Observed the planning group; performance framework discussed in depth.",
    ),
    (
        date(2017, 10, 4),
        "document_review",
        "Performance and improvement officer",
        "Reviewed the first quarterly performance report.",
    ),
    (
        date(2018, 1, 17),
        "meeting",
        "Chief officers; planning group chair",
        "Agreed the scope and dates of the progress review.",
    ),
    (
        date(2019, 5, 22),
        "observation",
        "Child protection committee",
        "Joint business plan in use; shared risk register reviewed.",
    ),
    (
        date(2025, 11, 12),
        "meeting",
        "Head of children's services; quality assurance lead",
        "Chronologies action behind schedule; supplier delay.",
    ),
    (
        date(2026, 10, 7),
        "call",
        "Head of children's services",
        "Carers recruitment behind its milestone; chronologies action now overdue.",
    ),
)

FINDINGS = {
    1: (
        "Significant progress",
        "Leadership had significantly strengthened. Chief officers had agreed a shared vision "
        "and three priorities, and almost all senior managers had completed a joint leadership "
        "programme. A performance framework now reached chief officers every quarter.",
    ),
    2: (
        "Good progress",
        "Family support was now available in every locality, and a single request for "
        "assistance had made early help easier to reach. The partnership had started to measure "
        "how quickly families received help.",
    ),
    3: (
        "Good progress",
        "There was encouraging progress in reducing the number of children and young people "
        "looked after away from home. Intensive family support had helped young people aged 11 "
        "to 15 stay safely at home, and every plan for a young person placed away from home had "
        "been reviewed.",
    ),
    4: (
        "Some progress",
        "Partners had improved the way they planned and used resources, but needed more "
        "qualitative data to show the difference made for children and families. Shared "
        "chronologies were not yet in place.",
    ),
    5: (
        "Good progress",
        "The integrated children's services plan had measurable outcomes, and the planning group "
        "and the child protection committee now planned their business together.",
    ),
}
CONCLUSION = (
    "Encouraging progress is being made across most of the areas for improvement. Leadership has "
    "been significantly strengthened, and there is encouraging progress in reducing the number "
    "of children looked after away from home. Partners now need more qualitative data to show "
    "the difference their work makes for children and families. We are confident that the "
    "partnership can continue to improve, and no further review is required."
)


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _owner(spec: str) -> dict[str, object]:
    if "<" in spec:
        name, _, email = spec.partition("<")
        return {"owner_name": name.strip(), "owner_email": email.rstrip(">").strip()}
    return {"owner_user": _user(spec)}


def _plan(inspection: Inspection) -> ActionPlan:
    lead, link = _user(PARTNERSHIP_LEAD), _user(LINK)
    plan = services.action_plan_start(inspection=inspection, by=lead)
    areas = {a.number: a for a in inspection.areas_for_improvement.all()}
    created: list[tuple[Action, DemoAction]] = []
    for spec in ACTIONS:
        action = services.action_save(
            plan=plan,
            title=spec.title,
            areas=[areas[n] for n in spec.areas],
            lead_agency=spec.agency,
            start_date=spec.start,
            due_date=spec.due,
            stated_measure=spec.measure + DEMO,
            **_owner(spec.owner),  # type: ignore[arg-type]
        )
        for title, due, _ in spec.milestones:
            services.milestone_add(action=action, title=title, due_date=due)
        created.append((action, spec))
    services.action_plan_submit(plan=plan, by=lead)
    services.action_plan_review(
        plan=plan,
        by=link,
        accept=False,
        comments="Please say how success will be measured for the chronologies action, and "
        "who owns the annual report." + DEMO,
    )
    services.action_plan_submit(plan=plan, by=lead)
    services.action_plan_review(plan=plan, by=link, accept=True, comments="")
    history = [
        (PlanEvent.Kind.SUBMITTED, date(2016, 10, 28)),
        (PlanEvent.Kind.RETURNED, date(2016, 11, 8)),
        (PlanEvent.Kind.SUBMITTED, date(2016, 11, 22)),
        (PlanEvent.Kind.ACCEPTED, date(2016, 11, 29)),
    ]
    for event, (_, day) in zip(plan.events.order_by("pk"), history, strict=True):
        PlanEvent.objects.filter(pk=event.pk).update(at=_at(day))
    ActionPlan.objects.filter(pk=plan.pk).update(
        created_at=_at(date(2016, 10, 3)),
        first_submitted_on=date(2016, 10, 28),
        accepted_on=date(2016, 11, 29),
    )
    plan.refresh_from_db()
    for action, spec in created:
        for milestone, (_, _, done) in zip(
            action.milestones.order_by("due_date", "pk"), spec.milestones, strict=True
        ):
            if done is not None:
                services.milestone_mark_done(milestone=milestone, done_on=done)
        for day, text in spec.updates:
            services.action_update_add(action=action, date=day, narrative=text + DEMO, by=lead)
        if spec.completed is not None:
            services.action_update_add(
                action=action,
                date=spec.completed,
                narrative="Action complete." + DEMO,
                by=lead,
                complete=True,
            )
    return plan


def _monitoring(inspection: Inspection) -> None:
    link = _user(LINK)
    partnership = inspection.partnership
    for day, kind, who, notes in CONTACTS:
        services.contact_add(
            partnership=partnership,
            date=day,
            kind=kind,
            participants=who,
            notes=notes + DEMO,
            by=link,
        )
    concern = services.concern_raise(
        partnership=partnership,
        raised_on=date(2017, 3, 15),
        title="Delay in recruiting to the family support team",
        detail="Two of four posts unfilled; early help in two localities at risk." + DEMO,
        severity="medium",
        follow_up="Head of children's services to report recruitment at the next call.",
        follow_up_by=date(2017, 6, 30),
        by=link,
    )
    services.concern_resolve(
        concern=concern,
        resolved_on=date(2017, 9, 20),
        resolution="All four workers in post since August; help available in every locality."
        + DEMO,
    )
    areas = {a.number: a for a in inspection.areas_for_improvement.all()}
    area_notes = (
        (1, date(2017, 6, 14), "Chief officers visibly leading the planning group."),
        (3, date(2017, 10, 4), "Numbers of 11 to 15 year olds placed away from home falling."),
        (4, date(2025, 11, 12), "Shared chronologies delayed: ask for a revised date."),
    )
    for number, day, text in area_notes:
        services.monitoring_note_add(
            partnership=partnership, area=areas[number], date=day, text=text + DEMO, by=link
        )
    services.support_offer_add(
        partnership=partnership,
        date=date(2017, 2, 8),
        description="Introduced the partnership to another partnership's performance framework."
        + DEMO,
        by=link,
    )
    services.support_offer_add(
        partnership=partnership,
        date=date(2025, 11, 12),
        description="Offered a session on coding what families say into themes." + DEMO,
        by=link,
    )


def _review(inspection: Inspection, plan: ActionPlan) -> None:
    link, inspector, qa = _user(LINK), _user(INSPECTOR), _user(QA)
    review = services.progress_review_create(
        inspection=inspection,
        title=REVIEW_TITLE,
        lead=link,
        by=link,
        fieldwork_start=date(2018, 1, 29),
        fieldwork_end=date(2018, 2, 9),
        is_demonstration=True,
    )
    services.progress_review_team_add(review=review, user=inspector, role=TeamMember.Role.INSPECTOR)
    services.progress_review_team_add(
        review=review,
        name="Dr Anna Kerr",
        role=TeamMember.Role.ASSOCIATE_ASSESSOR,
        scrutiny_body="Healthcare Improvement Scotland",
    )
    levels = {level.label: level for level in ProgressLevel.objects.all()}
    actions = list(plan.actions.prefetch_related("areas"))
    evidence = {e.kind: e for e in inspection.evidence.all()}
    chart = _chart_11_15(plan)
    for finding in review.findings.select_related("area"):
        label, narrative = FINDINGS[finding.area.number]
        services.progress_finding_save(
            finding=finding,
            level=levels.get(label),
            narrative=narrative + DEMO,
            by=link,
        )
        for action in actions:
            started = review.fieldwork_end is None or action.start_date <= review.fieldwork_end
            if started and finding.area in action.areas.all():
                services.evidence_link_add(finding=finding, obj=action, note="", by=link)
        if finding.area.number == 3 and chart is not None:
            services.evidence_link_add(
                finding=finding,
                obj=chart,
                note="Early figures after the intensive family support began: too soon for the "
                "chart to show a signal, so the judgement rests on the actions." + DEMO,
                by=link,
            )
        if finding.area.number == 4 and EvidenceItem.Kind.RECORD_READING in evidence:
            services.evidence_link_add(
                finding=finding,
                obj=evidence[EvidenceItem.Kind.RECORD_READING],
                note="The 2016 baseline for chronologies and plans.",
                by=link,
            )
    services.progress_review_update(
        review=review,
        method="We met chief officers, the planning group and frontline staff, read the "
        "partnership's performance reports and heard from young people and families." + DEMO,
        conclusion=CONCLUSION + DEMO,
        further_scrutiny=ProgressReview.FurtherScrutiny.NONE,
        next_steps="The partnership will report progress on each area in its annual children's "
        "services plan report." + DEMO,
    )
    services.progress_review_submit(review=review, by=link)
    signoff = services.progress_review_signoff(
        review=review,
        by=qa,
        decision=ProgressReviewSignOff.Decision.SIGNED_OFF,
        comments="Judgements consistent with the evidence." + DEMO,
    )
    ProgressReviewSignOff.objects.filter(pk=signoff.pk).update(at=_at(date(2018, 3, 6)))
    published = date(2018, 3, 20)
    version = progress_review_publish(review=review, by=link, publication_date=published)
    ProgressReviewVersion.objects.filter(pk=version.pk).update(published_at=_at(published))
    ProgressReview.objects.filter(pk=review.pk).update(created_at=_at(date(2018, 1, 17)))


def _chart_11_15(plan: ActionPlan) -> object | None:
    """South Ayrshire's chart of 11 to 15 year olds away from home (None without indicators)."""
    from scrutiny.indicators.models import IndicatorSeries

    return IndicatorSeries.objects.filter(
        partnership=plan.partnership, indicator__key="lac_away_11_15"
    ).first()


def _measures(plan: ActionPlan) -> None:
    """The 11 to 15 chart measures the success of the intensive family support action."""
    series = _chart_11_15(plan)
    action = plan.actions.filter(title__startswith="Intensive family support").first()
    if series is not None and action is not None:
        services.measure_link_add(
            action=action,
            obj=series,
            note="The chart's special cause improvement follows this action." + DEMO,
            by=_user(PARTNERSHIP_LEAD),
        )


def build_south_ayrshire() -> None:
    ensure_default_scale(ProgressLevel)
    inspection = Inspection.objects.filter(title=SA_TITLE).first()
    if inspection is None or not inspection.is_published:
        return
    if ActionPlan.objects.filter(inspection=inspection).exists():
        return
    plan = _plan(inspection)
    _measures(plan)
    _monitoring(inspection)
    _review(inspection, plan)
