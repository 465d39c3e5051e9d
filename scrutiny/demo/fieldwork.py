"""Demonstration fieldwork: synthetic pre-inspection returns, record samples, readings and
surveys. Every child, answer and comment is invented (labelled synthetic wherever it shows).

South Ayrshire's published 2016 inspection gets the whole of its fieldwork: a return of about
600 children, a sample of 100 records, 100 readings and 20 second readings (with realistic,
imperfect agreement), and surveys of staff (400 responses), children (60) and parents (40).
East Ayrshire's inspection in progress gets a smaller return and a sample, so that people can
try importing, sampling and reading. Built with bulk inserts: a few seconds.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import numpy as np
from django.utils import timezone

from scrutiny.accounts.models import User
from scrutiny.demo.fieldwork_comments import (
    CHILDREN_BEST_THING,
    CHILDREN_MAKE_BETTER,
    PARENTS_COULD_BE_BETTER,
    PARENTS_HELPED_MOST,
    STAFF_WORKS_WELL,
    STAFF_WOULD_IMPROVE,
)
from scrutiny.demo.inspections import EA_TITLE, INSPECTOR, LEAD, SA_TITLE
from scrutiny.fieldwork import loader, mapping, models, results, returns, services
from scrutiny.fieldwork.models import (
    Answer,
    AnswerType,
    Audience,
    PreInspectionReturn,
    Reading,
    ReadingPair,
    Sample,
    SampledRecord,
    Survey,
    SurveyImport,
    SurveyInstrument,
)
from scrutiny.inspections.models import EvidenceItem, Inspection

SYNTHETIC = "synthetic"
SA_TEAMS = ("Ayr North", "Ayr South", "Troon and Prestwick", "Carrick (Maybole and Girvan)")
EA_TEAMS = ("Kilmarnock", "Cumnock and Doon Valley", "Irvine Valley")
SA_LOCAL_READERS = ("Graham Dunlop", "Aileen Kerr", "Sandra Boyle", "Iain McNeil", "Lorna Reid")
PLACEMENTS_AWAY = (
    ("kinship", 0.36),
    ("foster", 0.40),
    ("other_community", 0.05),
    ("la_home", 0.10),
    ("residential_school", 0.07),
    ("secure", 0.02),
)


def _models() -> SimpleNamespace:
    return SimpleNamespace(
        ReadingTemplate=models.ReadingTemplate,
        TemplateSection=models.TemplateSection,
        TemplateQuestion=models.TemplateQuestion,
        SurveyInstrument=models.SurveyInstrument,
        InstrumentQuestion=models.InstrumentQuestion,
    )


def synthetic_return_csv(
    *, prefix: str, children: int, as_at: date, teams: tuple[str, ...], seed: int
) -> bytes:
    """A synthetic return in the CSV format of the data dictionary (about 5% of children on two
    lists, as happens when a child on the register is also looked after)."""
    rng = np.random.default_rng(seed)
    kinds = rng.choice(list(returns.LIST_CODES), size=children, p=[0.16, 0.18, 0.52, 0.09, 0.05])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([returns.LIST_COLUMN, *returns.COLUMNS])
    away_types = [code for code, _ in PLACEMENTS_AWAY]
    away_weights = np.array([w for _, w in PLACEMENTS_AWAY])
    away_weights = away_weights / away_weights.sum()

    def row(kind: str, number: int) -> list[str]:
        age_days = (
            int(rng.integers(60, 17 * 365))
            if kind != "vulnerable_young_person"
            else int(rng.integers(15 * 365, 18 * 365 - 40))
        )
        born = as_at - timedelta(days=age_days)
        start = max(born, as_at - timedelta(days=int(rng.integers(20, 4 * 365))))
        placement = placement_start = ""
        if kind == "looked_after":
            placement = (
                "home" if rng.random() < 0.24 else str(rng.choice(away_types, p=away_weights))
            )
            placement_start = (start + timedelta(days=int(rng.integers(0, 200)))).isoformat()
            if placement_start > as_at.isoformat():
                placement_start = start.isoformat()
        return [
            kind,
            f"{prefix}-{number:05}",
            f"{born:%Y-%m}",
            "",
            str(rng.choice(["female", "male"])),
            str(rng.choice(teams)),
            start.isoformat(),
            placement,
            placement_start,
        ]

    for number, kind in enumerate(kinds, start=1):
        writer.writerow(row(str(kind), number))
        if kind == "cp_register" and rng.random() < 0.3:
            writer.writerow(row("looked_after", number))  # the same child on a second list
    return out.getvalue().encode("utf-8")


def _import_return(
    inspection: Inspection, data: bytes, *, as_at: date, by: User, name: str
) -> PreInspectionReturn:
    check = returns.check_csv(data=data, file=name, as_at=as_at)
    assert check.ok, check.problems[:3]
    stored = PreInspectionReturn.objects.create(
        inspection=inspection,
        as_at=as_at,
        original_name=name,
        sha256="synthetic",
        children_count=len(check.rows),
        uploaded_by=by,
        uploaded_at=timezone.make_aware(datetime.combine(as_at, time(15, 0))),
    )
    services.insert_children(pi_return=stored, rows=check.rows)
    return stored


def build() -> None:
    loader.load_defaults(_models())
    _build_south_ayrshire()
    _build_east_ayrshire()


# --- South Ayrshire: the complete fieldwork of a published inspection --------------------------


def _build_south_ayrshire() -> None:
    inspection = Inspection.objects.filter(title=SA_TITLE).first()
    if inspection is None or PreInspectionReturn.objects.filter(inspection=inspection).exists():
        return
    lead, inspector = User.objects.get(email=LEAD), User.objects.get(email=INSPECTOR)
    contributor = User.objects.get(email="contributor@south-ayrshire.example")
    as_at = date(2016, 2, 29)
    source = _import_return(
        inspection,
        synthetic_return_csv(prefix="SA16", children=570, as_at=as_at, teams=SA_TEAMS, seed=2016),
        as_at=as_at,
        by=contributor,
        name="south-ayrshire-pre-inspection-return-synthetic.csv",
    )
    sample = services.sample_create(
        inspection=inspection, source=source, size=100, strata=["list"], seed=20160418, by=lead
    )
    Sample.objects.filter(pk=sample.pk).update(
        drawn_at=timezone.make_aware(datetime.combine(date(2016, 3, 7), time(11, 0)))
    )
    pairs = [
        ReadingPair.objects.create(
            inspection=inspection,
            number=1,
            inspector=lead,
            local_reader=contributor,
            local_reader_name=contributor.full_name,
        )
    ]
    for number, name in enumerate(SA_LOCAL_READERS, start=2):
        pairs.append(
            ReadingPair.objects.create(
                inspection=inspection,
                number=number,
                inspector=inspector if number % 2 == 0 else lead,
                local_reader_name=f"{name} ({SYNTHETIC} reader)",
            )
        )
    records = list(sample.records.select_related("child").order_by("reference"))
    for index, record in enumerate(records):
        record.pair = pairs[index % len(pairs)]
        record.moderate = index % 5 == 2  # 20 records read twice
    SampledRecord.objects.bulk_update(records, ["pair", "moderate"])
    _readings(sample, records, pairs, lead)
    _reading_evidence(inspection, sample)
    _surveys(inspection, lead)
    _survey_evidence(inspection, lead)


def _readings(
    sample: Sample, records: list[SampledRecord], pairs: list[ReadingPair], by: User
) -> None:
    """Answers from a latent quality of practice per record (better for younger children on the
    register, weaker for plans), with readers' noise; second readings perturb the first."""
    rng = np.random.default_rng(18)
    questions = list(sample.template.questions.order_by("order"))
    day = timezone.make_aware(datetime.combine(date(2016, 4, 18), time(16, 0)))
    readings: list[Reading] = []
    plans: list[tuple[int, bool, dict[int, tuple[str, str]]]] = []
    for index, record in enumerate(records):
        quality = float(rng.normal(0.2 if record.child.list_kind == "cp_register" else 0.0, 1.0))
        first = _answers(questions, quality, rng)
        readings.append(
            Reading(
                record=record,
                is_moderation=False,
                template=sample.template,
                pair=record.pair,
                readers=_readers(record.pair),
                recorded_by=by,
                recorded_at=day + timedelta(days=index % 3, minutes=index),
            )
        )
        plans.append((index, False, first))
        if record.moderate:
            second_pair = (
                pairs[(pairs.index(record.pair) + 1) % len(pairs)] if record.pair else None
            )
            readings.append(
                Reading(
                    record=record,
                    is_moderation=True,
                    template=sample.template,
                    pair=second_pair,
                    readers=_readers(second_pair),
                    recorded_by=by,
                    recorded_at=day + timedelta(days=3, minutes=index),
                )
            )
            plans.append((index, True, _perturbed(questions, first, rng)))
    created = Reading.objects.bulk_create(readings)
    Answer.objects.bulk_create(
        Answer(reading=reading, question_id=pk, value=value, text=text)
        for reading, (_, _, answers) in zip(created, plans, strict=True)
        for pk, (value, text) in answers.items()
    )


def _readers(pair: ReadingPair | None) -> str:
    return f"{pair.inspector.full_name} and {pair.local_reader_name}" if pair else ""


NOTES = (
    "Chronology present but not updated since the last review ({}).",
    "Strong multi-agency assessment; the child's views are recorded in their own words ({}).",
    "Plan actions are not time-bound, so progress is hard to judge ({}).",
    "Good evidence of the child being seen alone and regularly ({}).",
    "Health information missing from the assessment ({}).",
    "Family engaged well with the family support team; positive change recorded ({}).",
)


def _answers(
    questions: list, quality: float, rng: np.random.Generator
) -> dict[int, tuple[str, str]]:
    answers: dict[int, tuple[str, str]] = {}
    for question in questions:
        q = quality + float(rng.normal(0, 0.7))
        if question.key.startswith("plan"):
            q -= 0.45
        if question.key.startswith("chronology"):
            q -= 0.3
        if question.answer_type == AnswerType.YES_PARTLY_NO:
            if rng.random() < 0.04:
                value = "not_applicable"
            else:
                value = "yes" if q > -0.3 else "partly" if q > -1.2 else "no"
        elif question.answer_type == AnswerType.SIX_POINT:
            value = str(int(np.clip(round(3.9 + 0.9 * q), 1, 6)))
        elif question.answer_type == AnswerType.SINGLE_CHOICE:
            choices = list(question.choices)
            if rng.random() < 0.08:
                value = choices[-1]
            else:
                value = choices[0] if q > -0.1 else choices[1] if q > -1.4 else choices[2]
        elif question.answer_type == AnswerType.NUMBER:
            value = str(int(rng.integers(3, 60)))
        else:
            if rng.random() < 0.35:
                answers[question.pk] = ("", str(rng.choice(NOTES)).format(SYNTHETIC))
            continue
        answers[question.pk] = (value, "")
    return answers


def _perturbed(
    questions: list, first: dict[int, tuple[str, str]], rng: np.random.Generator
) -> dict[int, tuple[str, str]]:
    """A second reading: mostly the same judgement, sometimes one step away."""
    second: dict[int, tuple[str, str]] = {}
    for question in questions:
        if question.pk not in first:
            continue
        value, text = first[question.pk]
        options = [option for option, _ in question.options()]
        if value in options and rng.random() < 0.22:
            position = options.index(value) + int(rng.choice([-1, 1]))
            value = options[min(max(position, 0), len(options) - 1)]
        second[question.pk] = (value, text)
    return second


def _reading_evidence(inspection: Inspection, sample: Sample) -> None:
    item = inspection.evidence.filter(kind=EvidenceItem.Kind.RECORD_READING).first()
    summary = results.reading_summary_text(sample=sample)
    if item is None or summary is None:
        return
    EvidenceItem.objects.filter(pk=item.pk).update(
        source="Children's records read by the team (synthetic)",
        summary=summary + "\n(Demonstration content: synthetic readings.)",
    )
    Sample.objects.filter(pk=sample.pk).update(evidence_item=item)


# --- surveys -----------------------------------------------------------------------------------

STAFF_AGENCIES = (
    ("Council social work", 0.30),
    ("Council education", 0.27),
    ("NHS health", 0.22),
    ("Police Scotland", 0.07),
    ("Children's Reporter", 0.02),
    ("Third sector", 0.10),
    ("Other", 0.02),
)
STAFF_ROLES = (
    ("Practitioner", 0.66),
    ("Team leader or first-line manager", 0.17),
    ("Middle manager", 0.10),
    ("Senior manager", 0.05),
    ("Other", 0.02),
)
LIKERT_ORDER = ("strongly_agree", "agree", "neither", "disagree", "strongly_disagree")
# Statements where the demonstration's staff were less positive (leadership and early help were
# areas for improvement in the seed case).
LESS_POSITIVE = {
    "clear-direction": -0.9,
    "leaders-visible": -0.6,
    "early-help": -0.7,
    "outcomes-improving": -0.4,
    "plans-make-difference": -0.3,
}


def _likert(rng: np.random.Generator, lean: float) -> str:
    if rng.random() < 0.06:
        return "dont_know"
    score = 1.0 + lean + float(rng.normal(0, 1.0))
    index = (
        0 if score > 1.6 else 1 if score > 0.3 else 2 if score > -0.4 else 3 if score > -1.3 else 4
    )
    return LIKERT_ORDER[index]


def _pick(rng: np.random.Generator, weighted: tuple[tuple[str, float], ...]) -> str:
    names = [name for name, _ in weighted]
    weights = np.array([w for _, w in weighted])
    return str(rng.choice(names, p=weights / weights.sum()))


def _survey_responses(
    instrument: SurveyInstrument,
    *,
    count: int,
    start: date,
    days: int,
    seed: int,
    comments: dict[str, tuple[str, ...]],
    choices: dict[str, tuple[tuple[str, float], ...]],
) -> list[mapping.ParsedResponse]:
    rng = np.random.default_rng(seed)
    questions = list(instrument.questions.order_by("order"))
    queues = {key: list(texts) for key, texts in comments.items()}
    # Comments go to evenly spread respondents, so each is used once.
    slots = {
        key: set(np.linspace(0, count - 1, num=len(texts), dtype=int).tolist())
        for key, texts in comments.items()
    }
    responses = []
    for number in range(count):
        # More responses in the first days, fewer later, as with a real survey.
        offset = min(days - 1, int(rng.exponential(days / 3)))
        moment = datetime.combine(start + timedelta(days=offset), time(9, 0)) + timedelta(
            minutes=int(rng.integers(0, 9 * 60))
        )
        answers: dict[str, str] = {}
        agency = role = ""
        for question in questions:
            if question.kind == "single_choice":
                value = _pick(rng, choices[question.key])
                answers[question.key] = value
                if question.purpose == "agency":
                    agency = value
                elif question.purpose == "role":
                    role = value
            elif question.kind == "likert":
                lean = LESS_POSITIVE.get(question.key, 0.0)
                if agency == "Council social work":
                    lean -= 0.25
                if rng.random() > 0.03:
                    answers[question.key] = _likert(rng, lean)
            elif number in slots.get(question.key, set()) and queues.get(question.key):
                answers[question.key] = queues[question.key].pop(0)
        responses.append(
            mapping.ParsedResponse(
                row=number + 2, submitted_at=moment, answers=answers, agency=agency, role=role
            )
        )
    return responses


SurveySpec = tuple[
    str,
    str,
    int,
    date,
    int,
    dict[str, tuple[str, ...]],
    dict[str, tuple[tuple[str, float], ...]],
]


def _surveys(inspection: Inspection, by: User) -> None:
    specs: tuple[SurveySpec, ...] = (
        (
            "scrutiny-staff-survey",
            "Staff survey (synthetic)",
            400,
            date(2016, 3, 7),
            21,
            {"works-well": STAFF_WORKS_WELL, "would-improve": STAFF_WOULD_IMPROVE},
            {"agency": STAFF_AGENCIES, "role": STAFF_ROLES},
        ),
        (
            "scrutiny-children-survey",
            "Children and young people's survey (synthetic)",
            60,
            date(2016, 3, 7),
            28,
            {"best-thing": CHILDREN_BEST_THING, "make-better": CHILDREN_MAKE_BETTER},
            {"age-group": (("8 to 11", 0.45), ("12 to 15", 0.55))},
        ),
        (
            "scrutiny-parents-survey",
            "Parents' and carers' survey (synthetic)",
            40,
            date(2016, 3, 7),
            28,
            {"helped-most": PARENTS_HELPED_MOST, "could-be-better": PARENTS_COULD_BE_BETTER},
            {
                "relationship": (
                    ("Parent", 0.6),
                    ("Foster carer", 0.2),
                    ("Kinship carer", 0.15),
                    ("Other carer", 0.05),
                )
            },
        ),
    )
    for seed, (slug, title, count, start, days, comments, choices) in enumerate(specs, start=41):
        instrument = SurveyInstrument.objects.filter(slug=slug).order_by("-version").first()
        if instrument is None:
            continue
        survey = Survey.objects.create(
            inspection=inspection,
            instrument=instrument,
            title=title,
            opens_on=start,
            closes_on=start + timedelta(days=days - 1),
            created_by=by,
        )
        parsed = _survey_responses(
            instrument,
            count=count,
            start=start,
            days=days,
            seed=seed,
            comments=comments,
            choices=choices,
        )
        batch = SurveyImport.objects.create(
            survey=survey,
            original_name=f"{slug}-export-{SYNTHETIC}.csv",
            responses=len(parsed),
            imported_by=by,
        )
        services.store_responses(survey=survey, batch=batch, parsed=parsed)


def _survey_evidence(inspection: Inspection, by: User) -> None:
    """The surveys' summaries in the published inspection's evidence log: the staff survey's
    takes the place of the seed's staff survey item; the others are added, dated when the
    surveys closed. (Written directly: the inspection is already published.)"""
    for survey in inspection.surveys.select_related("instrument"):
        summary = results.survey_summary_text(survey=survey)
        if summary is None:
            continue
        staff = survey.instrument.audience == Audience.STAFF
        kind = EvidenceItem.Kind.STAFF_SURVEY if staff else EvidenceItem.Kind.SURVEY
        item = inspection.evidence.filter(kind=kind).first() if staff else None
        source = survey.title  # named as fieldwork names it: without the count
        summary += "\n(Demonstration content: synthetic responses.)"
        if item is None:
            item = EvidenceItem.objects.create(
                inspection=inspection,
                kind=kind,
                date=survey.closes_on or timezone.localdate(),
                source=source,
                summary=summary,
                created_by=by,
            )
        else:
            EvidenceItem.objects.filter(pk=item.pk).update(
                source=source, summary=summary, date=survey.closes_on or item.date
            )
        keys = survey.instrument.questions.exclude(qi_key="").values_list("qi_key", flat=True)
        item.qis.set(inspection.framework_version.qis.filter(key__in=set(keys)))
        Survey.objects.filter(pk=survey.pk).update(evidence_item=item)


# --- East Ayrshire: an inspection in progress, to try fieldwork on -------------------------------


def _build_east_ayrshire() -> None:
    inspection = Inspection.objects.filter(title=EA_TITLE).first()
    if inspection is None or PreInspectionReturn.objects.filter(inspection=inspection).exists():
        return
    lead, inspector = User.objects.get(email=LEAD), User.objects.get(email=INSPECTOR)
    contributor = User.objects.get(email="contributor@east-ayrshire.example")
    as_at = date(2026, 6, 30)
    source = _import_return(
        inspection,
        synthetic_return_csv(prefix="EA26", children=240, as_at=as_at, teams=EA_TEAMS, seed=2026),
        as_at=as_at,
        by=contributor,
        name="east-ayrshire-pre-inspection-return-synthetic.csv",
    )
    services.sample_create(
        inspection=inspection,
        source=source,
        size=40,
        strata=["list"],
        seed=20260803,
        by=lead,
        minimum=2,
    )
    services.reading_pair_add(inspection=inspection, inspector=inspector, local_reader=contributor)
    services.reading_pair_add(
        inspection=inspection,
        inspector=lead,
        local_reader_name=f"Moira Gibson ({SYNTHETIC} reader)",
    )
    sample = Sample.objects.get(inspection=inspection)
    services.records_assign_evenly(sample=sample)
    staff = (
        SurveyInstrument.objects.filter(slug="scrutiny-staff-survey").order_by("-version").first()
    )
    if staff is not None:
        services.survey_create(
            inspection=inspection,
            instrument=staff,
            title="Staff survey (synthetic; import the example export to try it)",
            opens_on=date(2026, 7, 13),
            closes_on=date(2026, 8, 2),
            by=lead,
        )
