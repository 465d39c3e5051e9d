"""Every write of fieldwork: returns, samples, reading pairs, readings, evidence, templates and
surveys. Each function runs in one transaction, checks what it needs and raises
``FieldworkError`` (or a subclass carrying every problem) with a message for people. Nothing is
half-saved: a file with any problem stores nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from scrutiny.accounts.models import PARTNERSHIP_ROLES, Role, User
from scrutiny.analysis import sampling
from scrutiny.fieldwork import loader, mapping, returns, selectors
from scrutiny.fieldwork.models import (
    Answer,
    AnswerType,
    Audience,
    ColumnMapping,
    InstrumentQuestion,
    PendingSurveyImport,
    PreInspectionReturn,
    Reading,
    ReadingPair,
    ReadingTemplate,
    ReturnChild,
    Sample,
    SampledRecord,
    Survey,
    SurveyAnswer,
    SurveyImport,
    SurveyInstrument,
    SurveyResponse,
    TemplateQuestion,
)
from scrutiny.inspections.models import EvidenceItem, Inspection, Status
from scrutiny.tabular import QUOTED_HEADING, NotText, csv_rows, decode_text, quoted


class FieldworkError(Exception):
    """A change that cannot be made, with a message for people."""

    def __init__(self, message: str, *, problems: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems)

    def __str__(self) -> str:
        return self.message


class ReturnRejected(FieldworkError):
    """The return has problems; ``check`` holds every one (or the identifier refusal)."""

    def __init__(self, check: returns.ReturnCheck) -> None:
        if check.identifier_columns:
            message = check.refusal
        else:
            count = len(check.problems)
            message = (
                f"{check.file} was not imported: {count} problem{'s' if count != 1 else ''} "
                "to fix (listed below). Nothing from this file has been kept."
                if count
                else f"{check.file} lists no children: nothing was imported."
            )
        super().__init__(message, problems=[str(p) for p in check.problems])
        self.check = check


NOT_EDITABLE = "This inspection is published: its fieldwork can no longer change."
NO_LINKED_QIS = (
    "None of the questions is linked to a quality indicator of this inspection's framework, "
    "so the evidence cannot be linked."
)
NO_RETURN = "There is no pre-inspection return for this inspection yet: import one first."
READINGS_EXIST = (
    "Readings have been recorded for the current sample, so it cannot be drawn again: the "
    "results rest on it."
)
STRATA_UNKNOWN = "There is no column {missing} to stratify by. The columns are: {columns}."
SIZE_TOO_LARGE = (
    "A sample of {size} is larger than the population: the return lists {population} children."
)
TOO_LARGE = "{name} is {size:.1f} MB: the limit is {limit} MB."
SECOND_READING_NEEDS_PAIR = "Choose the pair making the second reading."
SECOND_READING_SAME_PAIR = (
    "A second reading must be made by a different pair from the first: choose another pair."
)
SECOND_READING_BY_FIRST_PAIR = (
    "You are in pair {number}, which made the first reading of record {reference}: a second "
    "reading must be made by someone outside that pair."
)
SECOND_READING_NOT_YOUR_PAIR = (
    "You are not in pair {number}: record the second reading for your own pair. Only the lead "
    "inspector or an administrator may record it on behalf of another pair, and must say so."
)
# An uploaded survey export holds every column, email addresses and names included, until its
# columns are mapped: one left unfinished is deleted after this long.
PENDING_KEPT = timedelta(hours=24)


def _require_editable(inspection: Inspection) -> None:
    if inspection.status == Status.PUBLISHED:
        raise FieldworkError(NOT_EDITABLE)


def _check_size(name: str, size: int) -> None:
    limit = settings.SCRUTINY_MAX_UPLOAD_MB
    if size > limit * 1024 * 1024:
        raise FieldworkError(TOO_LARGE.format(name=name, size=size / 1024 / 1024, limit=limit))


# --- the pre-inspection return -------------------------------------------------------------


@transaction.atomic
def return_import(
    *, inspection: Inspection, name: str, data: bytes, as_at: date, by: User
) -> PreInspectionReturn:
    """Check the whole file; store it only when every row is clean."""
    pending_imports_expire()
    _require_editable(inspection)
    _check_size(name, len(data))
    check = returns.check_upload(name=name, data=data, as_at=as_at)
    if not check.ok:
        raise ReturnRejected(check)
    stored = PreInspectionReturn.objects.create(
        inspection=inspection,
        as_at=as_at,
        original_name=name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        children_count=len(check.rows),
        uploaded_by=by,
    )
    insert_children(pi_return=stored, rows=check.rows)
    return stored


CHILD_COLUMNS = (
    "list_kind",
    "child_id",
    "birth_month",
    "age_band",
    "sex",
    "team",
    "start_date",
    "placement_type",
    "placement_start",
    "sheet",
    "row",
)


def insert_children(*, pi_return: PreInspectionReturn, rows: Sequence[returns.ChildRow]) -> None:
    """Write the children of a checked return in bulk.

    A return can hold 100,000 rows: building a model instance per row and letting the ORM
    compile batches of a few hundred is most of the import time, so the rows go to the
    database driver's ``executemany`` directly (the values are already checked and typed).
    """
    opts = ReturnChild._meta
    quote = connection.ops.quote_name
    names = ["pi_return", *CHILD_COLUMNS]
    column_of = {field.name: str(field.column) for field in opts.concrete_fields}
    columns = ", ".join(quote(column_of[name]) for name in names)
    placeholders = ", ".join(["%s"] * len(names))
    # Identifiers come from the model's own metadata; every value is a query parameter.
    sql = f"INSERT INTO {quote(opts.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    day = connection.ops.adapt_datefield_value
    params = [
        (
            pi_return.pk,
            row.list_kind,
            row.child_id,
            day(row.birth_month),
            row.age_band,
            row.sex,
            row.team,
            day(row.start_date),
            row.placement_type,
            day(row.placement_start),
            row.sheet[:100],
            row.row,
        )
        for row in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), 10_000):
            cursor.executemany(sql, params[start : start + 10_000])


# --- sampling --------------------------------------------------------------------------------

STRATA_COLUMNS: dict[str, str] = {
    "list": "List",
    "placement": "Looked after at home or away from home",
    "placement_type": "Placement type",
    "age_band": "Age band",
    "sex": "Sex",
    "team": "Team",
}
STRATA_SEPARATOR = " / "
UNSTRATIFIED = "all"


@dataclass(frozen=True)
class Unit:
    """A child in the population to sample: each child once, in their first list."""

    child_pk: int
    child_id: str
    list_kind: str
    age_band: str
    sex: str
    team: str
    placement_type: str

    def value(self, column: str) -> str:
        """The child's value in a strata column (``STRATA_COLUMNS``), blanks named."""
        if column == "list":
            return returns.LIST_LABELS[self.list_kind]
        if column == "placement":
            if self.list_kind != "looked_after":
                return "not looked after"
            return returns.AT_HOME if self.placement_type == "home" else returns.AWAY_FROM_HOME
        if column == "placement_type":
            return self.placement_type or "none"
        return str(getattr(self, column)) or "not known"

    @property
    def values(self) -> dict[str, str]:
        return {column: self.value(column) for column in STRATA_COLUMNS}


def population(pi_return: PreInspectionReturn) -> list[Unit]:
    """Every child once: a child on more than one list counts in the first of the lists in the
    order of the return (child protection register first, care and risk management last)."""
    table = connection.ops.quote_name(ReturnChild._meta.db_table)
    # A plain query: 100,000 rows through the ORM's row objects would take most of a second.
    sql = (
        "SELECT id, child_id, list_kind, age_band, sex, team, placement_type "  # noqa: S608
        f"FROM {table} WHERE pi_return_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [pi_return.pk])
        rows = cursor.fetchall()
    priority = returns.LIST_PRIORITY
    best: dict[str, tuple[Any, ...]] = {}
    for row in rows:
        current = best.get(row[1])
        if current is None or priority[row[2]] < priority[current[2]]:
            best[row[1]] = row
    return [Unit(*best[child_id]) for child_id in sorted(best)]


def current_return(inspection: Inspection) -> PreInspectionReturn | None:
    return (
        PreInspectionReturn.objects.filter(inspection=inspection)
        .order_by("-uploaded_at", "-pk")
        .first()
    )


def suggested_size(*, population_size: int, confidence: float = 0.9, margin: float = 0.15) -> int:
    try:
        return sampling.sample_size(
            population=population_size, confidence=confidence, margin=margin
        )
    except sampling.SamplingError as error:
        raise FieldworkError(_sentence(str(error))) from None


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "."


def default_template() -> ReadingTemplate:
    template = (
        ReadingTemplate.objects.filter(slug=loader.DEFAULT_TEMPLATE_SLUG)
        .order_by("-version")
        .first()
        or ReadingTemplate.objects.order_by("-created_at").first()
    )
    if template is None:
        raise FieldworkError("There is no reading template: an administrator must load one.")
    return template


@transaction.atomic
def sample_draw(
    *,
    inspection: Inspection,
    size: int,
    strata: Sequence[str] = (),
    seed: int | None = None,
    confidence: float = 0.9,
    margin: float = 0.15,
    minimum: int = 0,
    template: ReadingTemplate | None = None,
    by: User,
) -> Sample:
    """Draw the records to read, replacing a sample that has no readings yet."""
    locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
    _require_editable(locked)
    source = current_return(locked)
    if source is None:
        raise FieldworkError(NO_RETURN)
    existing = Sample.objects.filter(inspection=locked).first()
    if existing is not None and Reading.objects.filter(record__sample=existing).exists():
        raise FieldworkError(READINGS_EXIST)
    unknown = [name for name in strata if name not in STRATA_COLUMNS]
    if unknown:
        raise FieldworkError(
            STRATA_UNKNOWN.format(
                missing=", ".join(f"'{name}'" for name in unknown),
                columns=", ".join(f"'{name}'" for name in STRATA_COLUMNS),
            )
        )
    if not 0 < margin <= 0.5:
        raise FieldworkError(
            f"The margin of error must be more than 0 and at most 0.5 (50%), not {margin:g}."
        )
    if existing is not None:
        existing.delete()
    return sample_create(
        inspection=locked,
        source=source,
        size=size,
        strata=strata,
        seed=seed,
        confidence=confidence,
        margin=margin,
        minimum=minimum,
        template=template,
        by=by,
    )


def sample_create(
    *,
    inspection: Inspection,
    source: PreInspectionReturn,
    size: int,
    strata: Sequence[str],
    seed: int | None,
    by: User,
    confidence: float = 0.9,
    margin: float = 0.15,
    minimum: int = 0,
    template: ReadingTemplate | None = None,
) -> Sample:
    """Draw and store a sample (``sample_draw`` checks first; the demo calls this directly)."""
    units = population(source)
    suggested = suggested_size(population_size=len(units), confidence=confidence, margin=margin)
    if size > len(units):
        raise FieldworkError(SIZE_TOO_LARGE.format(size=size, population=len(units)))
    labels = [
        STRATA_SEPARATOR.join(unit.value(name) for name in strata) if strata else UNSTRATIFIED
        for unit in units
    ]
    used_seed = sampling.random_seed() if seed is None else seed
    try:
        drawn = sampling.stratified_sample(
            strata=labels, size=size, seed=used_seed, minimum=minimum
        )
    except sampling.SamplingError as error:
        raise FieldworkError(_sentence(str(error))) from None
    sample = Sample.objects.create(
        inspection=inspection,
        pi_return=source,
        population=len(units),
        size=drawn.size,
        suggested_size=suggested,
        confidence=confidence,
        margin=margin,
        strata=list(strata),
        minimum=minimum,
        seed=used_seed,
        allocation=[
            {"stratum": line.stratum, "population": line.population, "allocated": line.allocated}
            for line in drawn.allocation
        ],
        template=template or default_template(),
        drawn_by=by,
    )
    width = max(3, len(str(drawn.size)))
    SampledRecord.objects.bulk_create(
        SampledRecord(
            sample=sample,
            child_id=units[index].child_pk,
            reference=f"R{number:0{width}}",
            stratum=labels[index],
        )
        for number, index in enumerate(drawn.indices, start=1)
    )
    return sample


@transaction.atomic
def sample_template_set(*, sample: Sample, template: ReadingTemplate) -> Sample:
    _require_editable(sample.inspection)
    if Reading.objects.filter(record__sample=sample).exists():
        raise FieldworkError(
            "Readings have been recorded with the current template, so it cannot change."
        )
    sample.template = template
    sample.save(update_fields=["template"])
    return sample


# --- reading pairs, assignment and moderation ------------------------------------------------


@transaction.atomic
def reading_pair_add(
    *,
    inspection: Inspection,
    inspector: User,
    local_reader: User | None = None,
    local_reader_name: str = "",
) -> ReadingPair:
    _require_editable(inspection)
    if not inspection.team.filter(user=inspector).exists():
        raise FieldworkError(f"{inspector.full_name} is not on this inspection's team.")
    if local_reader is not None:
        if (
            local_reader.role not in PARTNERSHIP_ROLES
            or local_reader.organisation.partnership_id != inspection.partnership_id
            or local_reader.role == Role.VIEWER
        ):
            raise FieldworkError(
                "A local reader with an account must be a partnership lead or contributor of "
                f"{inspection.partnership}."
            )
        local_reader_name = local_reader_name.strip() or local_reader.full_name
    if not local_reader_name.strip():
        raise FieldworkError("Choose the local reader's account, or give their name.")
    pairs = ReadingPair.objects.filter(inspection=inspection)
    number = (pairs.aggregate(top=Max("number"))["top"] or 0) + 1
    return ReadingPair.objects.create(
        inspection=inspection,
        number=number,
        inspector=inspector,
        local_reader=local_reader,
        local_reader_name=local_reader_name.strip()[:150],
    )


@transaction.atomic
def reading_pair_remove(*, pair: ReadingPair) -> None:
    _require_editable(pair.inspection)
    if pair.readings.exists():
        raise FieldworkError(f"Pair {pair.number} has recorded readings, so it cannot be removed.")
    pair.delete()


@transaction.atomic
def records_assign_evenly(*, sample: Sample) -> int:
    """Share the unassigned records among the pairs, keeping the pairs' loads even."""
    _require_editable(sample.inspection)
    pairs = list(
        ReadingPair.objects.filter(inspection_id=sample.inspection_id).annotate(
            load=Count("records")
        )
    )
    if not pairs:
        raise FieldworkError("Add at least one reading pair first.")
    loads = {pair.pk: pair.load for pair in pairs}
    unassigned = list(sample.records.filter(pair__isnull=True).order_by("stratum", "reference"))
    for record in unassigned:
        pair = min(pairs, key=lambda p: (loads[p.pk], p.number))
        record.pair = pair
        loads[pair.pk] += 1
    SampledRecord.objects.bulk_update(unassigned, ["pair"])
    return len(unassigned)


@transaction.atomic
def record_assign(*, record: SampledRecord, pair: ReadingPair | None) -> SampledRecord:
    _require_editable(record.inspection)
    if pair is not None and pair.inspection_id != record.sample.inspection_id:
        raise FieldworkError("That pair belongs to another inspection.")
    record.pair = pair
    record.save(update_fields=["pair"])
    return record


@transaction.atomic
def moderation_select(*, sample: Sample, count: int, seed: int | None = None) -> list[str]:
    """Choose ``count`` records with a first reading for a second, moderating reading.

    Records already read twice stay chosen; the rest are drawn at random (reproducibly with
    ``seed``) from records read once.
    """
    _require_editable(sample.inspection)
    records = list(sample.records.prefetch_related("readings").order_by("reference"))
    kept = [r for r in records if any(x.is_moderation for x in r.readings.all())]
    candidates = [
        r for r in records if r not in kept and any(not x.is_moderation for x in r.readings.all())
    ]
    if count < len(kept):
        raise FieldworkError(
            f"{len(kept)} records already have a second reading: choose at least {len(kept)}."
        )
    wanted = count - len(kept)
    if wanted > len(candidates):
        raise FieldworkError(
            f"Only {len(candidates) + len(kept)} records have a first reading: a second reading "
            f"of {count} is not possible yet."
        )
    import numpy as np

    generator = np.random.default_rng(sampling.random_seed() if seed is None else seed)
    picked = (
        {
            candidates[int(i)].pk
            for i in generator.choice(len(candidates), size=wanted, replace=False)
        }
        if wanted
        else set()
    )
    chosen = {r.pk for r in kept} | picked
    for record in records:
        record.moderate = record.pk in chosen
    SampledRecord.objects.bulk_update(records, ["moderate"])
    return [r.reference for r in records if r.moderate]


# --- readings ----------------------------------------------------------------------------------


def check_answers(
    questions: Iterable[TemplateQuestion], raw: Mapping[str, str]
) -> tuple[dict[int, tuple[str, str]], dict[str, str]]:
    """Clean answers by question pk as (value, text), and errors by question key."""
    clean: dict[int, tuple[str, str]] = {}
    errors: dict[str, str] = {}
    for question in questions:
        value = str(raw.get(question.key, "") or "").strip()
        if not value:
            continue
        if question.answer_type == AnswerType.FREE_TEXT:
            if len(value) > 5000:
                errors[question.key] = "Keep notes to 5,000 characters."
                continue
            clean[question.pk] = ("", value)
        elif question.answer_type == AnswerType.NUMBER:
            try:
                number = float(value.replace(",", ""))
            except ValueError:
                errors[question.key] = "Give a number, such as 14."
                continue
            if number < 0 or number > 1_000_000:
                errors[question.key] = "Give a number from 0 to 1,000,000."
                continue
            clean[question.pk] = (f"{number:g}", "")
        else:
            options = [option for option, _ in question.options()]
            if value not in options:
                errors[question.key] = "Choose one of the answers listed."
                continue
            clean[question.pk] = (value, "")
    return clean, errors


@transaction.atomic
def reading_save(
    *,
    record: SampledRecord,
    answers: Mapping[str, str],
    by: User,
    is_moderation: bool = False,
    pair: ReadingPair | None = None,
    readers: str = "",
    on_behalf: bool = False,
) -> Reading:
    """Record (or correct) the first reading of a record, or its moderating second reading.

    A second reading belongs to a pair other than the first reading's, and is recorded by a
    member of that pair; ``on_behalf`` (which the caller allows only to the lead inspector or
    an administrator) lets someone record it for a pair they are not in.
    """
    sample = record.sample
    _require_editable(sample.inspection)
    if not is_moderation and pair is None:
        pair = record.pair
    if pair is not None and pair.inspection_id != sample.inspection_id:
        raise FieldworkError("That pair belongs to another inspection.")
    if is_moderation:
        if not record.moderate:
            raise FieldworkError(f"Record {record.reference} was not chosen for a second reading.")
        first = record.readings.filter(is_moderation=False).select_related("pair").first()
        if first is None:
            raise FieldworkError(
                f"Record {record.reference} has no first reading yet: read it once first."
            )
        _check_second_reader(record=record, first=first, pair=pair, by=by, on_behalf=on_behalf)
    questions = list(sample.template.questions.all())
    clean, errors = check_answers(questions, answers)
    if errors:
        raise FieldworkError(
            "Some answers need correcting.", problems=[f"{k}: {v}" for k, v in errors.items()]
        )
    if not clean:
        raise FieldworkError("Answer at least one question before saving the reading.")
    if not readers.strip():
        readers = (
            f"{pair.inspector.full_name} and {pair.local_reader_name}"
            if pair is not None
            else by.full_name
        )
    reading, _ = Reading.objects.select_for_update().get_or_create(
        record=record,
        is_moderation=is_moderation,
        defaults={"template": sample.template, "recorded_by": by, "readers": readers[:300]},
    )
    reading.pair = pair
    reading.readers = readers[:300]
    reading.recorded_by = by
    reading.recorded_at = timezone.now()
    reading.save()
    reading.answers.all().delete()
    Answer.objects.bulk_create(
        Answer(reading=reading, question_id=pk, value=value, text=text)
        for pk, (value, text) in clean.items()
    )
    return reading


def pair_member(pair: ReadingPair, user: User) -> bool:
    return user.pk in (pair.inspector_id, pair.local_reader_id)


def _check_second_reader(
    *, record: SampledRecord, first: Reading, pair: ReadingPair | None, by: User, on_behalf: bool
) -> None:
    if pair is None:
        raise FieldworkError(SECOND_READING_NEEDS_PAIR)
    if first.pair_id == pair.pk:
        raise FieldworkError(SECOND_READING_SAME_PAIR)
    if on_behalf:
        return
    if first.pair is not None and pair_member(first.pair, by):
        raise FieldworkError(
            SECOND_READING_BY_FIRST_PAIR.format(
                number=first.pair.number, reference=record.reference
            )
        )
    if not pair_member(pair, by):
        raise FieldworkError(SECOND_READING_NOT_YOUR_PAIR.format(number=pair.number))


# --- evidence --------------------------------------------------------------------------------


def _evidence_save(
    *,
    inspection: Inspection,
    item: EvidenceItem | None,
    kind: str,
    source: str,
    summary: str,
    qi_keys: set[str],
    by: User,
    on: date | None = None,
) -> EvidenceItem:
    """Create the evidence item (``item`` None) or bring it up to date, linked to the quality
    indicators of the inspection's framework that ``qi_keys`` name, dated ``on`` (today when
    not given)."""
    from scrutiny.inspections import services as inspection_services

    qis = list(inspection.framework_version.qis.filter(key__in=qi_keys))
    if not qis:
        raise FieldworkError(NO_LINKED_QIS)
    if item is None:
        try:
            return inspection_services.evidence_add(
                inspection=inspection,
                kind=kind,
                date=on or timezone.localdate(),
                source=source,
                summary=summary,
                qis=qis,
                by=by,
            )
        except inspection_services.InspectionError as error:
            raise FieldworkError(str(error)) from None
    item.kind = kind
    item.source = source
    item.summary = summary
    item.date = on or timezone.localdate()
    item.full_clean()
    item.save()
    item.qis.set(qis)
    return item


# The evidence items fieldwork writes are named without counts: their names travel (into the
# progress reviews that cite them, which are published), their summaries stay with the team.
READING_EVIDENCE_SOURCE = "Children's records read by the team"


@transaction.atomic
def record_reading_evidence_save(*, sample: Sample, by: User) -> EvidenceItem:
    """Create or update the evidence item that summarises the record-reading results."""
    from scrutiny.fieldwork import results

    inspection = sample.inspection
    _require_editable(inspection)
    summary = results.reading_summary_text(sample=sample)
    if summary is None:
        raise FieldworkError("No readings have been recorded yet: there is nothing to summarise.")
    item = _evidence_save(
        inspection=inspection,
        item=sample.evidence_item,
        kind=EvidenceItem.Kind.RECORD_READING,
        source=READING_EVIDENCE_SOURCE,
        summary=summary,
        qi_keys=set(sample.template.questions.exclude(qi_key="").values_list("qi_key", flat=True)),
        by=by,
    )
    if sample.evidence_item_id != item.pk:
        sample.evidence_item = item
        sample.save(update_fields=["evidence_item"])
    return item


@transaction.atomic
def survey_evidence_save(*, survey: Survey, by: User) -> EvidenceItem:
    """Create or update the evidence item that summarises a survey's protected results, linked
    to the quality indicators its questions are about."""
    from scrutiny.fieldwork import results

    inspection = survey.inspection
    _require_editable(inspection)
    summary = results.survey_summary_text(survey=survey)
    if summary is None:
        raise FieldworkError("No responses have been imported yet: there is nothing to summarise.")
    instrument = survey.instrument
    item = _evidence_save(
        inspection=inspection,
        item=survey.evidence_item,
        kind=(
            EvidenceItem.Kind.STAFF_SURVEY
            if instrument.audience == Audience.STAFF
            else EvidenceItem.Kind.SURVEY
        ),
        source=survey.title[:200],
        summary=summary,
        qi_keys=set(instrument.questions.exclude(qi_key="").values_list("qi_key", flat=True)),
        by=by,
        # Dated when the survey closed, if it has (its results are final then).
        on=survey.closes_on
        if survey.closes_on and survey.closes_on <= timezone.localdate()
        else None,
    )
    if survey.evidence_item_id != item.pk:
        survey.evidence_item = item
        survey.save(update_fields=["evidence_item"])
    return item


# --- templates ---------------------------------------------------------------------------------


@transaction.atomic
def reading_template_load(*, data: Any, by: User) -> ReadingTemplate:
    """Load a template definition as the next version of its slug (or the first)."""
    problems = loader.check_template(data)
    if problems:
        raise FieldworkError("The template cannot be loaded.", problems=problems)
    latest = ReadingTemplate.objects.filter(slug=data["slug"]).order_by("-version").first()
    if latest is not None:
        comparable = dict(data)
        comparable.setdefault("description", "")
        comparable.setdefault("notice", latest.notice)
        if _canonical(loader.template_as_data(latest)) == _canonical(comparable):
            raise FieldworkError(
                f"This is the same as version {latest.version}: nothing new to load."
            )
    version = (latest.version + 1) if latest is not None else 1
    return loader.create_template(_template_models(), data, version=version, by=by)


def _canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def _template_models() -> Any:
    from types import SimpleNamespace

    from scrutiny.fieldwork.models import TemplateSection

    return SimpleNamespace(
        ReadingTemplate=ReadingTemplate,
        TemplateSection=TemplateSection,
        TemplateQuestion=TemplateQuestion,
    )


# --- surveys -----------------------------------------------------------------------------------


class SurveyImportRejected(FieldworkError):
    """The export has problems; ``problems`` lists every one."""


def pending_imports_expire(*, now: datetime | None = None) -> int:
    """Delete every survey upload left unmapped for longer than ``PENDING_KEPT`` (run whenever
    an import starts or completes, so nothing depends on a scheduler). How many went."""
    cutoff = (now or timezone.now()) - PENDING_KEPT
    deleted, _ = PendingSurveyImport.objects.filter(uploaded_at__lt=cutoff).delete()
    return deleted


@transaction.atomic
def survey_upload_cancel(*, pending: PendingSurveyImport) -> None:
    """Someone leaves the mapping page without importing: their upload goes at once."""
    pending.delete()


@transaction.atomic
def survey_create(
    *,
    inspection: Inspection,
    instrument: SurveyInstrument,
    title: str,
    by: User,
    opens_on: date | None = None,
    closes_on: date | None = None,
) -> Survey:
    _require_editable(inspection)
    if not title.strip():
        raise FieldworkError("Give the survey a title.")
    if opens_on and closes_on and closes_on < opens_on:
        raise FieldworkError("The survey must close on or after the day it opens.")
    return Survey.objects.create(
        inspection=inspection,
        instrument=instrument,
        title=title.strip()[:200],
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=by,
    )


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _responses(count: int) -> str:
    return f"{count} response" if count == 1 else f"{count} responses"


@transaction.atomic
def survey_update(
    *,
    survey: Survey,
    title: str,
    opens_on: date | None = None,
    closes_on: date | None = None,
    instrument: SurveyInstrument | None = None,
) -> Survey:
    """Correct a survey's title and dates (and its questions while it has no responses). Dates
    must still hold every response imported."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _require_editable(survey.inspection)
    if not title.strip():
        raise FieldworkError("Give the survey a title.")
    if opens_on and closes_on and closes_on < opens_on:
        raise FieldworkError("The survey must close on or after the day it opens.")
    span = survey.responses.aggregate(
        count=Count("pk"), first=Min("submitted_at"), last=Max("submitted_at")
    )
    if instrument is not None and instrument != survey.instrument and span["count"]:
        raise FieldworkError(
            f"It has {_responses(span['count'])} to its questions: you "
            "cannot change the survey's questions (remove the imports first)."
        )
    if span["count"]:
        first = timezone.localtime(span["first"]).date()
        last = timezone.localtime(span["last"]).date()
        if (opens_on and first < opens_on) or (closes_on and last > closes_on):
            raise FieldworkError(
                f"Its {_responses(span['count'])} "
                f"{'was' if span['count'] == 1 else 'were'} submitted from {_day(first)} to "
                f"{_day(last)}: the survey must be open on each of those days."
            )
    survey.title = title.strip()[:200]
    survey.opens_on, survey.closes_on = opens_on, closes_on
    if instrument is not None:
        survey.instrument = instrument
    survey.save(update_fields=["title", "opens_on", "closes_on", "instrument"])
    return survey


@transaction.atomic
def survey_delete(*, survey: Survey) -> None:
    """Delete a survey that has no responses (a mistake, or one that never ran)."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _require_editable(survey.inspection)
    count = survey.responses.count()
    if count:
        raise FieldworkError(
            f"'{survey.title}' has {_responses(count)}: remove its imports first, then delete it."
        )
    survey.delete()


def read_export(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    rows = list(csv_rows(text))
    if not rows:
        raise FieldworkError("The file is empty: expected a header row, then one row a response.")
    header = [cell.strip().lstrip("\ufeff") for cell in rows[0][1]]
    return header, rows[1:]


@transaction.atomic
def survey_upload(*, survey: Survey, name: str, data: bytes, by: User) -> PendingSurveyImport:
    """Keep an uploaded export until its columns are mapped (the next step), for at most
    ``PENDING_KEPT``."""
    pending_imports_expire()
    _require_editable(survey.inspection)
    _check_size(name, len(data))
    if not name.lower().endswith((".csv", ".txt")):
        raise FieldworkError(
            f"{name}: upload the survey tool's CSV export (a .csv file). From Excel, use "
            "File > Save As > CSV UTF-8."
        )
    try:
        text = decode_text(data)
    except NotText:
        raise FieldworkError(
            f"{quoted(name, limit=QUOTED_HEADING)} is not a CSV file (it is not UTF-8 or "
            "Windows-1252 text): upload the survey tool's CSV export. From Excel, use File > "
            "Save As > CSV UTF-8."
        ) from None
    header, rows = read_export(text)
    blank = [str(k) for k, h in enumerate(header, start=1) if not h]
    if blank:
        raise FieldworkError(f"Columns {', '.join(blank)} have no heading: every column needs one.")
    duplicates = sorted({h for h in header if header.count(h) > 1})
    if duplicates:
        raise FieldworkError(
            "Two columns have the same heading ("
            + ", ".join(f"'{quoted(h, limit=QUOTED_HEADING)}'" for h in duplicates)
            + "): rename one so each column can be mapped."
        )
    if not rows:
        raise FieldworkError(f"{name} has a header row but no responses.")
    survey.pending_imports.filter(uploaded_by=by).delete()
    return PendingSurveyImport.objects.create(
        survey=survey, original_name=name[:255], text=text, uploaded_by=by
    )


def instrument_questions(instrument: SurveyInstrument) -> list[mapping.Question]:
    return [
        mapping.Question(
            key=q.key,
            text=q.text,
            kind=q.kind,
            choices=tuple(str(c) for c in q.choices),
            purpose=q.purpose,
        )
        for q in instrument.questions.all()
    ]


@dataclass(frozen=True)
class SurveyImported:
    """The outcome of importing an export: survey tools' exports are cumulative, so the
    responses already imported from an earlier export are skipped. ``batch`` is None when
    nothing was new."""

    name: str
    batch: SurveyImport | None
    new: int
    already: int

    @property
    def message(self) -> str:
        if self.batch is None:
            return (
                f"Nothing new in {self.name}: all {self.already} of its responses had already "
                "been imported, so nothing was added."
            )
        said = f"{self.new} new response{'s' if self.new != 1 else ''} imported from {self.name}"
        if self.already:
            said += (
                f"; {self.already} {'were' if self.already != 1 else 'was'} already imported "
                "and skipped"
            )
        return said + ". The column mapping is saved for the next file with the same headings."


@transaction.atomic
def survey_import(
    *,
    pending: PendingSurveyImport,
    column_mapping: Mapping[str, str],
    day_first: bool,
    by: User,
) -> SurveyImported:
    """Read every response with the mapping; if all are clean, store those not imported before
    (recognised by the response ID, or without one by the submitted time and answers) and the
    mapping."""
    survey = pending.survey
    pending_imports_expire()
    _require_editable(survey.inspection)
    instrument = survey.instrument
    questions = instrument_questions(instrument)
    header, rows = read_export(pending.text)
    used = {h: column_mapping.get(h, mapping.IGNORE) for h in header}
    problems = mapping.check_mapping(used, questions)
    if problems:
        raise SurveyImportRejected("The column mapping needs correcting.", problems=problems)
    parsed = mapping.parse_rows(
        header,
        rows,
        mapping=used,
        questions=questions,
        day_first=day_first,
        now=timezone.localtime().replace(tzinfo=None),
        opens_on=survey.opens_on,
        closes_on=survey.closes_on,
    )
    if parsed.problems:
        count = len(parsed.problems)
        raise SurveyImportRejected(
            f"{pending.original_name} was not imported: {count} problem"
            f"{'s' if count != 1 else ''} to fix (listed below). Nothing has been kept.",
            problems=[str(p) for p in parsed.problems],
        )
    saved, _ = ColumnMapping.objects.update_or_create(
        instrument=instrument,
        signature=mapping.signature(header),
        defaults={
            "headers": header,
            "mapping": used,
            "day_first": day_first,
            "created_by": by,
            "updated_at": timezone.now(),
        },
    )
    zone = timezone.get_current_timezone()
    new, already = mapping.split_new(
        parsed.responses,
        imported=selectors.survey_imported(survey=survey),
        fingerprints=[
            mapping.fingerprint(submitted_at=_aware(r.submitted_at, zone), answers=r.answers)
            for r in parsed.responses
        ],
    )
    name = pending.original_name
    pending.delete()
    pending_imports_expire()
    if not new:
        return SurveyImported(name=name, batch=None, new=0, already=already)
    batch = SurveyImport.objects.create(
        survey=survey, original_name=name, responses=len(new), mapping=saved, imported_by=by
    )
    store_responses(survey=survey, batch=batch, parsed=new)
    return SurveyImported(name=name, batch=batch, new=len(new), already=already)


def store_responses(
    *, survey: Survey, batch: SurveyImport | None, parsed: Sequence[mapping.ParsedResponse]
) -> None:
    """Bulk-write parsed responses and their answers (used by the import and the demo)."""
    question_pks = dict(
        InstrumentQuestion.objects.filter(instrument=survey.instrument).values_list("key", "pk")
    )
    kinds = dict(
        InstrumentQuestion.objects.filter(instrument=survey.instrument).values_list("key", "kind")
    )
    zone = timezone.get_current_timezone()
    responses = SurveyResponse.objects.bulk_create(
        [
            SurveyResponse(
                survey=survey,
                survey_import=batch,
                submitted_at=_aware(item.submitted_at, zone),
                agency=item.agency,
                role=item.role,
                source_id=item.source_id,
            )
            for item in parsed
        ],
        batch_size=1000,
    )
    SurveyAnswer.objects.bulk_create(
        (
            SurveyAnswer(
                response=response,
                question_id=question_pks[key],
                value="" if kinds[key] == "free_text" else value,
                text=value if kinds[key] == "free_text" else "",
            )
            for response, item in zip(responses, parsed, strict=True)
            for key, value in item.answers.items()
        ),
        batch_size=2000,
    )


def _aware(moment: datetime, zone: Any) -> datetime:
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, zone)


@transaction.atomic
def survey_import_delete(*, survey_import: SurveyImport) -> None:
    """Take back an import (its responses go with it)."""
    _require_editable(survey_import.survey.inspection)
    survey_import.delete()
