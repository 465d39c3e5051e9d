"""Reads of fieldwork that are more than a lookup. Results (with disclosure control) are in
``results``; this module lists, counts and hands plain rows to other apps."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from scrutiny.fieldwork import mapping
from scrutiny.fieldwork.models import (
    ColumnMapping,
    InstrumentQuestion,
    ListKind,
    PendingSurveyImport,
    PreInspectionReturn,
    QuestionKind,
    Reading,
    ReadingPair,
    ReturnChild,
    Sample,
    SampledRecord,
    Survey,
    SurveyAnswer,
    SurveyInstrument,
    SurveyResponse,
)
from scrutiny.fieldwork.returns import AT_HOME, AWAY_FROM_HOME
from scrutiny.inspections.models import Inspection


def current_return(*, inspection: Inspection) -> PreInspectionReturn | None:
    """The latest upload, with ``distinct_children``: a child on two lists counts once (its
    ``children_count`` counts the entries, one per list)."""
    return (
        PreInspectionReturn.objects.filter(inspection=inspection)
        .annotate(distinct_children=Count("children__child_id", distinct=True))
        .select_related("uploaded_by")
        .order_by("-uploaded_at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class ListCount:
    label: str
    count: int


def return_summary(*, pi_return: PreInspectionReturn) -> list[ListCount]:
    """Children per list (looked-after split at home / away from home): for the team's
    working view only; these are not published."""
    counts = dict(pi_return.children.values_list("list_kind").annotate(n=Count("pk")).order_by())
    at_home = pi_return.children.filter(
        list_kind=ListKind.LOOKED_AFTER, placement_type="home"
    ).count()
    lines = []
    for value, label in ListKind.choices:
        lines.append(ListCount(label, counts.get(value, 0)))
        if value == ListKind.LOOKED_AFTER:
            lines.append(ListCount(f"Looked after {AT_HOME}", at_home))
            lines.append(
                ListCount(f"Looked after {AWAY_FROM_HOME}", counts.get(value, 0) - at_home)
            )
    return lines


def return_children(
    *, pi_return: PreInspectionReturn, list_kind: str = ""
) -> QuerySet[ReturnChild]:
    children = pi_return.children.order_by("list_kind", "child_id")
    if list_kind in ListKind.values:
        children = children.filter(list_kind=list_kind)
    return children


def sample_records(*, sample: Sample) -> QuerySet[SampledRecord]:
    return sample.records.select_related(
        "child", "pair", "pair__inspector", "sample__inspection"
    ).prefetch_related(
        Prefetch("readings", queryset=Reading.objects.only("pk", "record_id", "is_moderation"))
    )


@dataclass(frozen=True)
class Progress:
    records: int
    assigned: int
    read: int
    moderation_chosen: int
    moderation_read: int


def reading_progress(*, sample: Sample) -> Progress:
    counts = sample.records.aggregate(
        records=Count("pk", distinct=True),
        assigned=Count("pk", filter=Q(pair__isnull=False), distinct=True),
        moderation=Count("pk", filter=Q(moderate=True), distinct=True),
    )
    readings = Counter(
        Reading.objects.filter(record__sample=sample).values_list("is_moderation", flat=True)
    )
    return Progress(
        records=counts["records"],
        assigned=counts["assigned"],
        read=readings[False],
        moderation_chosen=counts["moderation"],
        moderation_read=readings[True],
    )


def pairs_of_reader(*, inspection: Inspection, user: Any) -> QuerySet[ReadingPair]:
    """The reading pairs of an inspection that the user is in (as inspector or local reader)."""
    return ReadingPair.objects.filter(
        Q(inspector=user) | Q(local_reader=user), inspection=inspection
    ).order_by("number")


def _natural(text: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key reading runs of digits as numbers: age band 5-11 before 12-15."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
        for part in re.split(r"(\d+)", text)
        if part
    )


def allocation_lines(*, sample: Sample) -> list[dict[str, Any]]:
    """The allocation table in reading order (numbers as numbers). Only for showing: the draw
    itself takes strata in name order, as stored, so that a seed repeats it."""
    return sorted(sample.allocation, key=lambda line: _natural(str(line["stratum"])))


def sample_of(*, inspection: Inspection) -> Sample | None:
    return (
        Sample.objects.select_related("pi_return", "template", "drawn_by", "evidence_item")
        .filter(inspection=inspection)
        .first()
    )


def surveys(*, inspection: Inspection) -> QuerySet[Survey]:
    return (
        Survey.objects.filter(inspection=inspection)
        .select_related("instrument")
        .annotate(response_count=Count("responses"))
    )


def instruments() -> QuerySet[SurveyInstrument]:
    return SurveyInstrument.objects.annotate(question_count=Count("questions"))


def saved_mapping(*, instrument: SurveyInstrument, headers: list[str]) -> ColumnMapping | None:
    return ColumnMapping.objects.filter(
        instrument=instrument, signature=mapping.signature(headers)
    ).first()


def pending_import(
    *, survey: Survey, pk: int, kept: timedelta, now: datetime | None = None
) -> PendingSurveyImport | None:
    """An upload waiting to be mapped, unless it is older than ``kept`` (then it is as good as
    deleted: the next import deletes it)."""
    cutoff = (now or timezone.now()) - kept
    return survey.pending_imports.filter(pk=pk, uploaded_at__gte=cutoff).first()


def survey_imported(*, survey: Survey) -> mapping.Imported:
    """What a survey already holds, for recognising responses a later export repeats."""
    answers: dict[int, dict[str, str]] = {}
    for response_pk, key, value, text in SurveyAnswer.objects.filter(
        response__survey=survey
    ).values_list("response_id", "question__key", "value", "text"):
        answers.setdefault(response_pk, {})[key] = value or text
    ids: dict[str, set[str]] = {}
    every: Counter[str] = Counter()
    without_id: Counter[str] = Counter()
    for pk, submitted_at, source_id in SurveyResponse.objects.filter(survey=survey).values_list(
        "pk", "submitted_at", "source_id"
    ):
        found = mapping.fingerprint(submitted_at=submitted_at, answers=answers.get(pk, {}))
        every[found] += 1
        if source_id:
            ids.setdefault(source_id, set()).add(mapping.moment(submitted_at))
        else:
            without_id[found] += 1
    return mapping.Imported(
        ids={key: frozenset(times) for key, times in ids.items()},
        fingerprints=every,
        fingerprints_without_id=without_id,
    )


def free_text_answers(*, survey: Survey) -> list[dict[str, Any]]:
    """Every free-text answer of a survey as plain rows, for the qualitative app to turn into
    sources to code: id, question text, text, respondent type, agency, role, submitted date.

    ``id`` is the survey answer's primary key (stable: use it to avoid importing twice).
    ``respondent_type`` is the instrument's audience (staff, children, parents).
    """
    audience = survey.instrument.audience
    zone = timezone.get_current_timezone()
    rows = (
        SurveyAnswer.objects.filter(response__survey=survey, question__kind=QuestionKind.FREE_TEXT)
        .exclude(text="")
        .order_by("response__submitted_at", "response_id", "question__order")
        .values_list(
            "pk",
            "question__text",
            "text",
            "response__agency",
            "response__role",
            "response__submitted_at",
        )
    )
    return [
        {
            "id": pk,
            "question": question,
            "text": text,
            "respondent_type": audience,
            "agency": agency,
            "role": role,
            "submitted": timezone.localtime(submitted, zone).date(),
        }
        for pk, question, text, agency, role, submitted in rows
    ]


def free_text_questions(*, survey: Survey) -> QuerySet[InstrumentQuestion]:
    return survey.instrument.questions.filter(kind=QuestionKind.FREE_TEXT)
