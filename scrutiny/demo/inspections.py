"""Demonstration inspections. All narratives are written for the demo: they follow the public
facts of the seed case (South Ayrshire 2016: three good, four adequate, two weak; five areas for
improvement) but every sentence is invented demonstration content."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from scrutiny.accounts.models import User
from scrutiny.frameworks.models import Framework, QualityIndicator
from scrutiny.inspections import services
from scrutiny.inspections.models import (
    EvidenceItem,
    Inspection,
    QASignOff,
    Status,
    StatusChange,
    TeamMember,
)
from scrutiny.places.models import Partnership
from scrutiny.publishing.models import ReportVersion
from scrutiny.publishing.services import inspection_publish

LEAD = "lead.inspector@inspectorate.example"
INSPECTOR = "inspector@inspectorate.example"
QA = "qa@inspectorate.example"
SA_TITLE = "Joint inspection of services for children and young people in South Ayrshire"
EA_TITLE = "Joint inspection of services for children and young people in East Ayrshire"

# Model A QI keys, in framework order.
WELLBEING = "improvements-in-the-wellbeing-of-children-and-young-people"
IMPACT_CYP = "impact-on-children-and-young-people"
IMPACT_FAMILIES = "impact-on-families"
EARLY_HELP = "providing-help-and-support-at-an-early-stage"
RISKS = "assessing-and-responding-to-risks-and-needs"
PLANNING_INDIVIDUALS = "planning-for-individual-children-and-young-people"
PLANNING_SERVICES = "planning-and-improving-services"
PARTICIPATION = "participation-of-children-young-people-families-and-other-stakeholders"
LEADERSHIP = "leadership-of-improvement-and-change"

SA_GRADES = {
    WELLBEING: 3,
    IMPACT_CYP: 4,
    IMPACT_FAMILIES: 4,
    EARLY_HELP: 3,
    RISKS: 4,
    PLANNING_INDIVIDUALS: 3,
    PLANNING_SERVICES: 2,
    PARTICIPATION: 3,
    LEADERSHIP: 2,
}

SA_NARRATIVES = {
    WELLBEING: "Trends in the partnership's outcome measures were mixed. The majority of measures "
    "for younger children showed improvement, but less than half of those for young people aged "
    "11 to 15 had improved over three years, and the number looked after away from home was rising.",
    IMPACT_CYP: "Most children and young people whose records we read were safer and better "
    "supported as a result of the help they received. The majority told us they had a trusted "
    "adult. Most staff were confident that children's views were heard.",
    IMPACT_FAMILIES: "Most parents and carers who answered our survey said that staff treated them "
    "with respect and that support had made a positive difference. Family support workers were "
    "highly valued, although the majority of families waited too long for help.",
    EARLY_HELP: "The majority of children received help at an early stage, but services for "
    "families affected by poverty and deprivation were not consistently available across the area. "
    "Less than half of staff were confident about where to direct families for early help.",
    RISKS: "Most initial responses to concerns about children were prompt and well co-ordinated. "
    "Inter-agency referral discussions were timely in most cases, and the majority of risk "
    "assessments were of a good standard.",
    PLANNING_INDIVIDUALS: "The majority of children had a plan, but less than half of plans were "
    "SMART. Reviews took place in the majority of cases, although chronologies were not kept up to "
    "date in less than half of the records we read.",
    PLANNING_SERVICES: "Less than half of the actions in the integrated children's services plan had "
    "clear measures. A few strategic groups used data to plan services, and links between the "
    "children's services plan and the child protection committee's work were weak.",
    PARTICIPATION: "The majority of services had found ways to hear from children and families, "
    "but less than half of this informed planning. A few young people had been involved in "
    "shaping services.",
    LEADERSHIP: "Leaders shared a commitment to improving outcomes, but less than half of staff "
    "felt that the direction of services was clear. A few improvement activities had been "
    "evaluated, and the pace of change was too slow.",
}

SA_AREAS = [
    (
        "Strengthen strategic leadership and direction",
        "Leaders should set a clear direction for children's services, with shared priorities and "
        "the means to check progress against them.",
        [LEADERSHIP, PLANNING_SERVICES],
    ),
    (
        "Early intervention for children and families affected by poverty and deprivation",
        "Partners should make early help available consistently to families affected by poverty "
        "and deprivation, wherever they live in the area.",
        [EARLY_HELP, WELLBEING],
    ),
    (
        "Reduce the number of 11 to 15 year olds looked after away from home",
        "Partners should understand why more young people aged 11 to 15 become looked after away "
        "from home, and provide help that lets more of them stay safely with their families.",
        [WELLBEING, IMPACT_CYP],
    ),
    (
        "Better planning and use of resources, so children get the right help at the right time",
        "Partners should plan and use their resources together so that children and families "
        "receive the right help at the right time.",
        [PLANNING_INDIVIDUALS, PLANNING_SERVICES],
    ),
    (
        "More effective planning through the integrated children's services plan and the child "
        "protection committee",
        "The integrated children's services plan and the child protection committee's work should "
        "be linked, with measures that show whether children's lives are improving.",
        [PLANNING_SERVICES, LEADERSHIP],
    ),
]

SA_STRENGTHS = [
    "Prompt and well co-ordinated initial responses when children were at risk of harm.",
    "Staff who built trusting relationships with children and young people.",
    "Family support that parents and carers valued highly.",
]

# The version for children and young people (demonstration content, in plain words).
SA_YOUNG_WORKING_WELL = (
    "When a child might be in danger, staff act quickly and work together to keep them safe.\n"
    "More than half of the children and young people we heard from have a worker they trust "
    "and can talk to.\n"
    "Parents and carers told us the help their families get makes a real difference."
)
SA_YOUNG_GET_BETTER = (
    "The people in charge need a clear plan for making life better for children and young "
    "people, and need to check that it is working.\n"
    "Families who do not have much money should get help early, wherever they live.\n"
    "More young people aged 11 to 15 should get the help they need to live safely at home.\n"
    "Children's plans should say clearly what will happen, and when."
)

SA_CONTEXT = (
    "South Ayrshire is a council area on the west coast of Scotland with around 112,000 people, "
    "about 20,000 of them children and young people. (Demonstration content.) Partners include "
    "South Ayrshire Council, NHS Ayrshire and Arran, Police Scotland, the Scottish Children's "
    "Reporter Administration and third sector organisations."
)

SA_CONCLUSION = (
    "Partners had important strengths in keeping children safe, and families valued the support "
    "they received. Leadership and strategic planning needed to improve so that services could "
    "show, with data and with what children and families say, that children's lives were getting "
    "better. (Demonstration content.)"
)

# Key days of the two inspections' timetables (each inspection also has its own dates).
SA_NOTIFIED, SA_EVALUATING = date(2016, 2, 8), date(2016, 5, 20)
EA_EVALUATING = date(2026, 9, 7)

SA_EVIDENCE = [
    (
        EvidenceItem.Kind.POSITION_STATEMENT,
        date(2016, 3, 14),
        "Partnership position statement",
        "The partnership's self-evaluation of strengths and areas to develop.",
        [LEADERSHIP, PLANNING_SERVICES],
    ),
    (
        EvidenceItem.Kind.RECORD_READING,
        date(2016, 4, 20),
        "Children's records read by the team",
        "Results of reading a statistically valid sample of children's records.",
        [IMPACT_CYP, RISKS, PLANNING_INDIVIDUALS],
    ),
    (
        EvidenceItem.Kind.STAFF_SURVEY,
        date(2016, 4, 8),
        "Staff survey",
        "Staff views on outcomes, joint working and leadership.",
        [LEADERSHIP, EARLY_HELP, PARTICIPATION],
    ),
    (
        EvidenceItem.Kind.FOCUS_GROUP,
        date(2016, 5, 17),
        "Focus group with parents and carers",
        "Parents' experience of support and of being involved in plans.",
        [IMPACT_FAMILIES, PARTICIPATION],
    ),
    (
        EvidenceItem.Kind.DOCUMENT,
        date(2016, 3, 21),
        "Integrated children's services plan 2014–17",
        "The plan's priorities, actions and measures.",
        [PLANNING_SERVICES, WELLBEING],
    ),
    (
        EvidenceItem.Kind.DISCUSSION,
        date(2016, 5, 18),
        "Professional discussion with chief officers",
        "Leaders' account of vision, priorities and how they check progress.",
        [LEADERSHIP],
    ),
]


@dataclass(frozen=True)
class OtherInspection:
    slug: str
    year: int
    grades: tuple[int, ...]  # in framework order


# Synthetic published inspections of other partnerships, so the quality and consistency panel
# has a distribution to compare drafts with.
OTHERS = (
    OtherInspection("fife", 2014, (4, 4, 5, 4, 4, 4, 3, 4, 4)),
    OtherInspection("highland", 2015, (5, 5, 5, 4, 5, 4, 5, 5, 5)),
    OtherInspection("dundee-city", 2015, (3, 4, 4, 3, 3, 3, 3, 3, 3)),
    OtherInspection("west-lothian", 2016, (4, 5, 4, 4, 5, 4, 4, 4, 4)),
    OtherInspection("moray", 2017, (3, 3, 3, 3, 4, 3, 2, 3, 2)),
    OtherInspection("stirling", 2016, (4, 4, 4, 5, 4, 4, 4, 4, 4)),
)
GENERIC = {
    6: "Almost all children and families we heard from described help that transformed their lives.",
    5: "Almost all of the records we read showed strong, well co-ordinated practice.",
    4: "Most of the records we read showed effective practice, with some areas to develop.",
    3: "The majority of the records we read showed adequate practice; less than half were strong.",
    2: "Less than half of the records we read showed effective practice.",
    1: "A few of the records we read showed effective practice.",
}


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _qis(inspection: Inspection) -> dict[str, QualityIndicator]:
    return {qi.key: qi for qi in inspection.framework_version.qis.all()}


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _force_status(inspection: Inspection, path: list[tuple[str, date]], by: User) -> None:
    """Record the status history of an inspection that happened before Scrutiny held it."""
    previous = inspection.status
    for status, day in path:
        StatusChange.objects.create(
            inspection=inspection, from_status=previous, to_status=status, by=by, at=_at(day)
        )
        previous = status
    Inspection.objects.filter(pk=inspection.pk).update(status=previous)
    inspection.refresh_from_db()


def _grade_all(
    inspection: Inspection, grades: dict[str, int], narratives: dict[str, str], by: User
) -> None:
    qis = _qis(inspection)
    evidence = list(inspection.evidence.all())
    for key, grade in grades.items():
        linked = [item for item in evidence if item.qis.filter(key=key).exists()] or evidence[:1]
        services.evaluation_save(
            inspection=inspection,
            qi=qis[key],
            grade=grade,
            narrative=narratives.get(key) or GENERIC[grade],
            evidence=linked,
            by=by,
        )


def _add_evidence(inspection: Inspection, items: list[Any], by: User) -> None:
    qis = _qis(inspection)
    for kind, day, source, summary, keys in items:
        services.evidence_add(
            inspection=inspection,
            kind=kind,
            date=day,
            source=source,
            summary=summary + " (Demonstration content.)",
            qis=[qis[k] for k in keys],
            by=by,
        )


def _team(inspection: Inspection) -> None:
    services.team_member_add(
        inspection=inspection, user=_user(INSPECTOR), role=TeamMember.Role.INSPECTOR
    )
    services.team_member_add(
        inspection=inspection,
        name="Dr Anna Kerr",
        role=TeamMember.Role.ASSOCIATE_ASSESSOR,
        scrutiny_body="Healthcare Improvement Scotland",
    )
    services.team_member_add(
        inspection=inspection,
        name="Liam (young inspection volunteer)",
        role=TeamMember.Role.YOUNG_INSPECTION_VOLUNTEER,
        scrutiny_body="Care Inspectorate",
    )


def build_south_ayrshire() -> None:
    if Inspection.objects.filter(title=SA_TITLE).exists():
        return
    lead, qa = _user(LEAD), _user(QA)
    inspection = services.inspection_create(
        partnership=Partnership.objects.get(slug="south-ayrshire"),
        title=SA_TITLE,
        model="A",
        lead_inspector=lead,
        by=lead,
        notification_date=SA_NOTIFIED,
        return_due_date=date(2016, 2, 29),
        records_review_date=date(2016, 4, 18),
        onsite_date=date(2016, 5, 16),
        qa_panel_date=date(2016, 6, 20),
        draft_date=date(2016, 7, 11),
        publication_date=date(2016, 9, 20),
    )
    _team(inspection)
    services.inspection_update(
        inspection=inspection,
        context=SA_CONTEXT,
        conclusion=SA_CONCLUSION,
        progress_review_planned=True,
        progress_review_due=date(2018, 2, 1),
        next_steps="The progress review will look at each area for improvement. "
        "(Demonstration content.)",
        records_read=100,
        staff_survey_responses=400,
        children_met=64,
        parents_met=41,
        young_people_working_well=SA_YOUNG_WORKING_WELL,
        young_people_get_better=SA_YOUNG_GET_BETTER,
    )
    _force_status(
        inspection, [(Status.NOTIFIED, SA_NOTIFIED), (Status.EVIDENCE, date(2016, 3, 1))], lead
    )
    _add_evidence(inspection, SA_EVIDENCE, lead)
    _force_status(inspection, [(Status.EVALUATING, SA_EVALUATING)], lead)
    _grade_all(inspection, SA_GRADES, SA_NARRATIVES, lead)
    _findings(inspection)
    _force_status(inspection, [(Status.QUALITY_ASSURANCE, date(2016, 6, 14))], lead)
    QASignOff.objects.create(
        inspection=inspection,
        decision=QASignOff.Decision.SIGNED_OFF,
        by=qa,
        at=_at(date(2016, 6, 20)),
        comments="Grades consistent with the evidence and with other inspections.",
    )
    _force_status(inspection, [(Status.FACTUAL_ACCURACY, date(2016, 7, 11))], lead)
    partnership_lead = User.objects.get(email="lead@south-ayrshire.example")
    comment = services.factual_accuracy_comment_add(
        inspection=inspection,
        section="context",
        comment="The population figure should be about 112,000, not 110,000.",
        by=partnership_lead,
    )
    services.factual_accuracy_respond(
        comment=comment, accept=True, reason="Corrected to the mid-year estimate.", by=lead
    )
    _publish_on(inspection, lead)


def _publish_on(inspection: Inspection, by: User) -> None:
    """Publish, dated on the inspection's publication date (the demo's reports are historical):
    the version and the status change, as if Scrutiny had held the report then."""
    day = inspection.publication_date
    inspection_publish(inspection=inspection, by=by, on=day)
    if day is None:
        return
    ReportVersion.objects.filter(inspection=inspection).update(published_at=_at(day))
    StatusChange.objects.filter(inspection=inspection, to_status=Status.PUBLISHED).update(
        at=_at(day)
    )


def _findings(inspection: Inspection) -> None:
    qis = _qis(inspection)
    for text in SA_STRENGTHS:
        services.key_strength_add(inspection=inspection, text=text)
    for title, text, keys in SA_AREAS:
        services.area_for_improvement_save(
            inspection=inspection, title=title, text=text, qis=[qis[k] for k in keys]
        )
    services.good_practice_add(
        inspection=inspection,
        title="Family support at the first sign of difficulty",
        text="A multi-agency family support team offered help within days of a request, which "
        "parents described as life-changing. (Demonstration content.)",
    )


def build_other_published() -> None:
    lead = _user(LEAD)
    framework = Framework.objects.get(slug="hwawitl-2014")
    keys = [
        qi.key
        for qi in framework.versions.get(number=1).qis.order_by("order")
        if "A" in qi.evaluated_in
    ]
    for other in OTHERS:
        partnership = Partnership.objects.get(slug=other.slug)
        if partnership.inspections.exists():
            continue
        inspection = services.inspection_create(
            partnership=partnership,
            title=f"Joint inspection of services for children and young people in {partnership.area.name}",
            model="A",
            lead_inspector=lead,
            by=lead,
            notification_date=date(other.year, 1, 12),
            publication_date=date(other.year, 8, 30),
        )
        services.inspection_update(
            inspection=inspection,
            context=f"{partnership.area.name} (demonstration content).",
            conclusion="Demonstration content.",
            records_read=100,
        )
        _force_status(inspection, [(Status.EVIDENCE, date(other.year, 2, 1))], lead)
        _add_evidence(
            inspection,
            [
                (
                    EvidenceItem.Kind.RECORD_READING,
                    date(other.year, 4, 1),
                    "Record reading",
                    "Children's records read by the team.",
                    keys,
                )
            ],
            lead,
        )
        _force_status(inspection, [(Status.EVALUATING, date(other.year, 5, 1))], lead)
        _grade_all(inspection, dict(zip(keys, other.grades, strict=True)), {}, lead)
        services.key_strength_add(inspection=inspection, text="Demonstration key strength.")
        qis = _qis(inspection)
        services.area_for_improvement_save(
            inspection=inspection,
            title="Demonstration area for improvement",
            text="Demonstration content.",
            qis=[qis[keys[-1]]],
        )
        _force_status(
            inspection,
            [
                (Status.QUALITY_ASSURANCE, date(other.year, 6, 1)),
                (Status.FACTUAL_ACCURACY, date(other.year, 7, 1)),
            ],
            lead,
        )
        _publish_on(inspection, lead)


EA_NARRATIVES = {
    WELLBEING: "The majority of the partnership's outcome measures had improved over three years, "
    "including school attendance for looked after children.",
    IMPACT_CYP: "Most children and young people whose records we read had been helped to be safer "
    "and healthier.",
    IMPACT_FAMILIES: "Most parents and carers told us that help had made a difference to their family.",
    EARLY_HELP: "Most families could get help early through named persons in schools and health "
    "visiting teams.",
    RISKS: "Almost all initial responses to concerns were prompt, and most risk assessments were "
    "of a good standard.",
    PLANNING_INDIVIDUALS: "The majority of children's plans were clear about what would change; "
    "less than half had measurable outcomes.",
    PLANNING_SERVICES: "The majority of planning groups used data to prioritise, but less than half "
    "measured the difference services made.",
    PARTICIPATION: "Most services sought children's views, and young people sat on the planning group.",
    LEADERSHIP: "Most staff said leaders were visible and the direction was clear.",
}
EA_GRADES = {
    WELLBEING: 4,
    IMPACT_CYP: 4,
    IMPACT_FAMILIES: 4,
    EARLY_HELP: 4,
    RISKS: 5,
    PLANNING_INDIVIDUALS: 3,
    PLANNING_SERVICES: 3,
    PARTICIPATION: 4,
    LEADERSHIP: 4,
}


def _same_point(day: date, start: date, end: date, new_start: date, new_end: date) -> date:
    """The day at the same point of another timetable: scaled from the days start to end
    onto new_start to new_end."""
    share = (day - start).days / (end - start).days
    return new_start + timedelta(days=round(share * (new_end - new_start).days))


def build_east_ayrshire() -> None:
    if Inspection.objects.filter(title=EA_TITLE).exists():
        return
    lead = _user(LEAD)
    notified = date(2026, 6, 15)
    inspection = services.inspection_create(
        partnership=Partnership.objects.get(slug="east-ayrshire"),
        title=EA_TITLE,
        model="A",
        lead_inspector=lead,
        by=lead,
        notification_date=notified,
        return_due_date=date(2026, 7, 6),
        records_review_date=date(2026, 8, 3),
        onsite_date=date(2026, 8, 31),
        qa_panel_date=date(2026, 10, 5),
        draft_date=date(2026, 12, 1),
        publication_date=date(2026, 12, 14),
    )
    _team(inspection)
    services.inspection_update(
        inspection=inspection,
        context="East Ayrshire is a council area in the south west of Scotland with around "
        "120,000 people. (Demonstration content.)",
        conclusion="Partners had many strengths and were well placed to improve further. "
        "(Demonstration content.)",
        children_met=58,
        parents_met=37,
        young_people_working_well="Staff work well together to keep children and young people "
        "safe.\nChildren and young people are listened to when plans are made about them.",
        # The area for improvement below, in plain words.
        young_people_get_better="Plans for children and young people should say how everyone "
        "will know that things are getting better.",
    )
    _force_status(
        inspection, [(Status.NOTIFIED, notified), (Status.EVIDENCE, date(2026, 7, 6))], lead
    )
    # South Ayrshire's evidence, dated at the same point of East Ayrshire's timetable (between
    # notification and evaluation). Its record reading and staff survey are not done yet: the
    # walk-through does them, so there is no evidence from them here.
    ea_evidence = [
        (
            kind,
            _same_point(day, SA_NOTIFIED, SA_EVALUATING, notified, EA_EVALUATING),
            source,
            summary,
            keys,
        )
        for kind, day, source, summary, keys in SA_EVIDENCE
        if kind
        not in (
            EvidenceItem.Kind.POSITION_STATEMENT,
            EvidenceItem.Kind.RECORD_READING,
            EvidenceItem.Kind.STAFF_SURVEY,
        )
    ]
    _add_evidence(inspection, ea_evidence, lead)
    # A file attached to the evidence log, kept privately and served only after a check.
    upload = services.Upload(
        name="position-statement-summary.txt",
        size=len(POSITION_STATEMENT),
        stream=io.BytesIO(POSITION_STATEMENT),
    )
    services.evidence_add(
        inspection=inspection,
        kind=EvidenceItem.Kind.POSITION_STATEMENT,
        date=date(2026, 7, 13),
        source="Partnership position statement",
        summary="How good are we now? How do we know? What do we plan to do next? "
        "(Demonstration content.)",
        qis=list(inspection.framework_version.qis.filter(key__in=[LEADERSHIP, PLANNING_SERVICES])),
        by=lead,
        uploads=[upload],
    )
    _force_status(inspection, [(Status.EVALUATING, EA_EVALUATING)], lead)
    _grade_all(inspection, EA_GRADES, EA_NARRATIVES, lead)
    qis = _qis(inspection)
    services.key_strength_add(
        inspection=inspection, text="Almost all initial responses to concerns were prompt."
    )
    services.key_strength_add(inspection=inspection, text="Young people shaped planning.")
    services.area_for_improvement_save(
        inspection=inspection,
        title="Measure the difference services make",
        text="Plans for services and for individual children should say how success will be "
        "measured. (Demonstration content.)",
        qis=[qis[PLANNING_SERVICES], qis[PLANNING_INDIVIDUALS]],
    )


POSITION_STATEMENT = (
    b"East Ayrshire partnership position statement (summary)\n"
    b"Demonstration content - not a real partnership's self-evaluation.\n\n"
    b"How good are we now? Most children are safe and well supported.\n"
    b"How do we know? Case file audits, staff surveys, outcome measures.\n"
    b"What do we plan to do next? Measure the difference our services make.\n"
)
