from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from scrutiny.accounts.access import AuthenticatedRequest, log_child_level_access, require
from scrutiny.dates import long_date
from scrutiny.fieldwork import results, selectors, services
from scrutiny.fieldwork.forms import (
    ColumnMappingForm,
    ModerationForm,
    ReadingMetaForm,
    ReadingPairForm,
    RecordAssignForm,
    ReturnUploadForm,
    SampleDrawForm,
    SecondReadingMetaForm,
    SurveyForm,
    SurveyUploadForm,
    TemplateLoadForm,
    moderation_count,
    reading_form_class,
    today,
)
from scrutiny.fieldwork.loader import DATA, template_as_data
from scrutiny.fieldwork.models import (
    ListKind,
    PendingSurveyImport,
    PreInspectionReturn,
    Reading,
    ReadingPair,
    ReadingTemplate,
    Sample,
    SampledRecord,
    Survey,
    SurveyImport,
    SurveyInstrument,
)
from scrutiny.fieldwork.services import FieldworkError, ReturnRejected, SurveyImportRejected
from scrutiny.inspections.models import Inspection
from scrutiny.publishing import gate

TEMPLATE_FILES = {
    "csv": ("pre-inspection-return-template.csv", "text/csv"),
    "xlsx": (
        "pre-inspection-return-template.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    # Synthetic files to try the imports with (the demo links to them).
    "example": ("example-pre-inspection-return-synthetic.csv", "text/csv"),
    "example-survey": ("example-staff-survey-export-synthetic.csv", "text/csv"),
}
PROBLEMS_SHOWN = 500
UPLOAD_GONE = (
    "That upload has been imported, cancelled or replaced, or it was left unfinished for more "
    "than {hours} hours and has been deleted: upload the file again."
)


def _inspection(request: HttpRequest, pk: int, permission: str) -> Inspection:
    inspection = get_object_or_404(Inspection.objects.select_related("partnership__area"), pk=pk)
    require(request, permission, inspection)
    return inspection


def _context(request: HttpRequest, inspection: Inspection, **extra: Any) -> dict[str, Any]:
    user = request.user
    return {
        "inspection": inspection,
        "can": {
            name: user.has_perm(f"fieldwork.{name}", inspection)
            for name in (
                "view_fieldwork",
                "import_return",
                "view_child_level",
                "draw_sample",
                "manage_reading",
                "view_results",
                "manage_surveys",
                "view_survey_results",
            )
        },
        "editable": not inspection.is_published,
        **extra,
    }


def _sample(inspection: Inspection) -> Sample:
    sample = selectors.sample_of(inspection=inspection)
    if sample is None:
        raise Http404("No sample has been drawn for this inspection.")
    return sample


# --- overview ---------------------------------------------------------------------------------


@login_required
def overview(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "fieldwork.view_fieldwork")
    sample = selectors.sample_of(inspection=inspection)
    return render(
        request,
        "fieldwork/overview.html",
        _context(
            request,
            inspection,
            current=selectors.current_return(inspection=inspection),
            sample=sample,
            progress=selectors.reading_progress(sample=sample) if sample else None,
            surveys=selectors.surveys(inspection=inspection),
        ),
    )


# --- the pre-inspection return ----------------------------------------------------------------


@login_required
def return_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "fieldwork.import_return")
    form = ReturnUploadForm(request.POST or None, request.FILES or None, initial={"as_at": today()})
    rejected: ReturnRejected | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            stored = services.return_import(
                inspection=inspection,
                name=PurePath(upload.name).name,
                data=upload.read(),
                as_at=form.cleaned_data["as_at"],
                by=request.user,
            )
        except ReturnRejected as error:
            rejected = error
            form.add_error(None, error.message)
        except FieldworkError as error:
            form.add_error(None, str(error))
        else:
            kept = selectors.sample_of(inspection=inspection)
            current = selectors.current_return(inspection=inspection)
            children = getattr(current, "distinct_children", stored.children_count)
            entries = stored.children_count
            messages.success(
                request,
                f"Return imported: {children} child{'' if children == 1 else 'ren'} on the lists, "
                f"in {entries} entr{'y' if entries == 1 else 'ies'}, as at "
                f"{long_date(stored.as_at)}."
                + (
                    " The sample stays on the return it was drawn from, as at "
                    f"{long_date(kept.pi_return.as_at)}."
                    if kept is not None
                    else ""
                ),
            )
            return redirect("fieldwork:return", inspection.pk)
    current = selectors.current_return(inspection=inspection)
    problem_groups: list[tuple[str, str, int]] = []
    if rejected is not None:
        grouped = Counter(
            (f"{p.sheet} / {p.column}" if p.sheet else p.column, p.expected)
            for p in rejected.check.problems
        )
        problem_groups = [(where, what, n) for (where, what), n in grouped.most_common(20)]
        if any(p.value for p in rejected.check.problems[:PROBLEMS_SHOWN]):
            # The problems quote the file's values: child IDs, birth months, dates.
            log_child_level_access(
                request,
                what=f"Problems quoting a rejected pre-inspection return ({inspection})",
                obj=inspection,
            )
    return render(
        request,
        "fieldwork/return.html",
        _context(
            request,
            inspection,
            form=form,
            current=current,
            sample=selectors.sample_of(inspection=inspection),
            summary=selectors.return_summary(pi_return=current) if current else [],
            rejected=rejected,
            problems=rejected.check.problems[:PROBLEMS_SHOWN] if rejected else [],
            problem_count=len(rejected.check.problems) if rejected else 0,
            problem_groups=problem_groups,
            shown_limit=PROBLEMS_SHOWN,
            history=PreInspectionReturn.objects.filter(inspection=inspection).select_related(
                "uploaded_by"
            ),
        ),
    )


@login_required
def return_children(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "fieldwork.view_child_level")
    current = selectors.current_return(inspection=inspection)
    if current is None:
        raise Http404("There is no return yet.")
    list_kind = request.GET.get("list", "")
    log_child_level_access(
        request, what=f"Children on the pre-inspection return ({inspection})", obj=inspection
    )
    page = Paginator(
        selectors.return_children(pi_return=current, list_kind=list_kind), 100
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "fieldwork/return_children.html",
        _context(
            request,
            inspection,
            current=current,
            page=page,
            lists=ListKind.choices,
            list_kind=list_kind if list_kind in ListKind.values else "",
            query=f"list={list_kind}" if list_kind in ListKind.values else "",
        ),
    )


@login_required
def return_template(request: AuthenticatedRequest, fmt: str) -> FileResponse:
    if fmt not in TEMPLATE_FILES:
        raise Http404("No such template.")
    name, content_type = TEMPLATE_FILES[fmt]
    return FileResponse(
        (DATA / name).open("rb"), as_attachment=True, filename=name, content_type=content_type
    )


# --- the sample ------------------------------------------------------------------------------


@login_required
def sample_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "fieldwork.view_child_level")
    sample = selectors.sample_of(inspection=inspection)
    records = selectors.sample_records(sample=sample) if sample else []
    if sample is not None:
        log_child_level_access(request, what=f"Record sample ({inspection})", obj=inspection)
    user = request.user
    team = user.has_perm("fieldwork.manage_reading", inspection)
    rows = [
        (record, team or user.has_perm("fieldwork.record_reading", record)) for record in records
    ]
    return render(
        request,
        "fieldwork/sample.html",
        _context(
            request,
            inspection,
            sample=sample,
            rows=rows,
            allocation=selectors.allocation_lines(sample=sample) if sample else [],
            current=selectors.current_return(inspection=inspection),
            strata_labels=services.STRATA_COLUMNS,
        ),
    )


@login_required
def sample_draw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "fieldwork.draw_sample")
    current = selectors.current_return(inspection=inspection)
    population = len(services.population(current)) if current else 0
    suggested: int | None = None
    # The settings the suggestion was worked out for, so the page names them.
    suggested_for = (0.9, 0.15)
    if population:
        suggested = services.suggested_size(population_size=population)
    form = SampleDrawForm(
        request.POST or None,
        initial={"size": suggested, "template": services.default_template().pk},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        margin = float(data["margin"])
        if request.POST.get("action") == "suggest":
            try:
                suggested = services.suggested_size(
                    population_size=max(population, 1),
                    confidence=data["confidence"],
                    margin=margin,
                )
            except FieldworkError as error:
                form.add_error("margin", str(error))
            else:
                suggested_for = (data["confidence"], margin)
                form = SampleDrawForm(initial={**data, "size": suggested})
        else:
            try:
                size = data["size"]
                if size is None:
                    size = services.suggested_size(
                        population_size=max(population, 1),
                        confidence=data["confidence"],
                        margin=margin,
                    )
                sample = services.sample_draw(
                    inspection=inspection,
                    size=size,
                    strata=data["strata"],
                    seed=data["seed"],
                    confidence=data["confidence"],
                    margin=margin,
                    minimum=data["minimum"] or 0,
                    template=data["template"],
                    by=request.user,
                )
            except FieldworkError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    f"Sample drawn: {sample.size} records of {sample.population} "
                    f"(seed {sample.seed}).",
                )
                return redirect("fieldwork:sample", inspection.pk)
    return render(
        request,
        "fieldwork/sample_draw.html",
        _context(
            request,
            inspection,
            form=form,
            current=current,
            sample=selectors.sample_of(inspection=inspection),
            population=population,
            suggested=suggested,
            suggested_confidence=_percent(suggested_for[0]),
            suggested_margin=_percent(suggested_for[1]),
        ),
    )


def _percent(fraction: float) -> str:
    """0.95 as "95", 0.025 as "2.5": for "95% confidence", "±2.5 percentage points"."""
    return f"{round(fraction * 100, 3):g}"


@login_required
def sample_export(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "fieldwork.view_child_level")
    sample = _sample(inspection)
    log_child_level_access(request, what=f"Record sample export ({inspection})", obj=inspection)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "reference",
            "child_id",
            "list",
            "age_band",
            "sex",
            "team",
            "placement_type",
            "stratum",
            "reading_pair",
        ]
    )
    for record in selectors.sample_records(sample=sample):
        child = record.child
        writer.writerow(
            [
                record.reference,
                child.child_id,
                child.list_kind,
                child.age_band,
                child.sex,
                child.team,
                child.placement_type,
                record.stratum,
                record.pair.number if record.pair else "",
            ]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="record-sample-{inspection.pk}.csv"'
    return response


# --- reading ---------------------------------------------------------------------------------


@login_required
def reading(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "fieldwork.manage_reading")
    sample = selectors.sample_of(inspection=inspection)
    if sample is not None:
        log_child_level_access(request, what=f"Record reading ({inspection})", obj=inspection)
    return render(
        request,
        "fieldwork/reading.html",
        _context(
            request,
            inspection,
            sample=sample,
            pairs=ReadingPair.objects.filter(inspection=inspection).select_related(
                "inspector", "local_reader"
            ),
            rows=[
                (
                    record,
                    any(not r.is_moderation for r in record.readings.all()),
                    any(r.is_moderation for r in record.readings.all()),
                )
                for record in (selectors.sample_records(sample=sample) if sample else [])
            ],
            progress=selectors.reading_progress(sample=sample) if sample else None,
            moderation_form=ModerationForm(
                initial={"count": moderation_count(sample.size) if sample else None}
            ),
        ),
    )


@login_required
def pair_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "fieldwork.manage_reading")
    form = ReadingPairForm(request.POST or None, inspection=inspection)
    if request.method == "POST" and form.is_valid():
        try:
            pair = services.reading_pair_add(inspection=inspection, **form.cleaned_data)
        except FieldworkError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Pair {pair.number} added.")
            return redirect("fieldwork:reading", inspection.pk)
    return render(request, "fieldwork/pair_add.html", _context(request, inspection, form=form))


@login_required
@require_POST
def pair_remove(request: AuthenticatedRequest, pk: int, pair_pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "fieldwork.manage_reading")
    pair = get_object_or_404(ReadingPair, pk=pair_pk, inspection=inspection)
    try:
        services.reading_pair_remove(pair=pair)
    except FieldworkError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Pair {pair.number} removed.")
    return redirect("fieldwork:reading", inspection.pk)


@login_required
@require_POST
def assign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "fieldwork.manage_reading")
    try:
        count = services.records_assign_evenly(sample=_sample(inspection))
    except FieldworkError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{count} records assigned to reading pairs.")
    return redirect("fieldwork:reading", inspection.pk)


@login_required
@require_POST
def record_assign(request: AuthenticatedRequest, pk: int, record_pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "fieldwork.manage_reading")
    record = get_object_or_404(SampledRecord, pk=record_pk, sample__inspection=inspection)
    form = RecordAssignForm(request.POST, inspection=inspection)
    if form.is_valid():
        try:
            services.record_assign(record=record, pair=form.cleaned_data["pair"])
        except FieldworkError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Record {record.reference} reassigned.")
    else:
        messages.error(request, "Choose a pair from the list.")
    return redirect("fieldwork:reading-record", inspection.pk, record.pk)


@login_required
@require_POST
def moderation(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "fieldwork.manage_reading")
    form = ModerationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the number of records to read a second time (1 or more).")
        return redirect("fieldwork:reading", inspection.pk)
    try:
        chosen = services.moderation_select(
            sample=_sample(inspection),
            count=form.cleaned_data["count"],
            seed=form.cleaned_data["seed"],
        )
    except FieldworkError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{len(chosen)} records chosen for a second reading.")
    return redirect("fieldwork:reading", inspection.pk)


def _record_reading(
    request: AuthenticatedRequest, pk: int, record_pk: int, *, is_moderation: bool
) -> HttpResponse:
    inspection = get_object_or_404(Inspection.objects.select_related("partnership__area"), pk=pk)
    record = get_object_or_404(
        SampledRecord.objects.select_related("sample__template", "child", "pair"),
        pk=record_pk,
        sample__inspection=inspection,
    )
    require(request, "fieldwork.record_reading", record)
    sample = record.sample
    log_child_level_access(
        request, what=f"Reading of record {record.reference} ({inspection})", obj=inspection
    )
    existing = record.readings.filter(is_moderation=is_moderation).first()
    questions = list(sample.template.questions.select_related("section").order_by("order"))
    initial = {}
    if existing is not None:
        for answer in existing.answers.select_related("question"):
            initial[answer.question.key] = answer.text or answer.value
    form_class = reading_form_class(questions)
    form = form_class(request.POST or None, initial=initial)
    meta: ReadingMetaForm | SecondReadingMetaForm
    first_pair_notice = ""
    if is_moderation:
        meta, first_pair_notice = _second_reading_meta(request, record, existing)
    else:
        meta = ReadingMetaForm(
            request.POST or None,
            inspection=inspection,
            prefix="meta",
            initial={
                "pair": existing.pair_id if existing else record.pair_id,
                "readers": existing.readers if existing else "",
            },
        )
    # Both forms are validated, so every problem is listed at once.
    answers_valid, meta_valid = form.is_valid(), meta.is_valid()
    if request.method == "POST" and answers_valid and meta_valid:
        answers = {
            key: ("" if value is None else str(value)) for key, value in form.cleaned_data.items()
        }
        try:
            services.reading_save(
                record=record,
                answers=answers,
                by=request.user,
                is_moderation=is_moderation,
                pair=meta.cleaned_data["pair"],
                readers=meta.cleaned_data["readers"],
                on_behalf=bool(meta.cleaned_data.get("on_behalf")),
            )
        except FieldworkError as error:
            form.add_error(None, str(error))
            for problem in error.problems:
                key, _, message = problem.partition(": ")
                if key in form.fields:
                    form.add_error(key, message)
        else:
            messages.success(
                request,
                f"{'Second reading' if is_moderation else 'Reading'} of record "
                f"{record.reference} saved.",
            )
            if request.user.has_perm("fieldwork.manage_reading", inspection):
                return redirect("fieldwork:reading", inspection.pk)
            return redirect("fieldwork:sample", inspection.pk)
    sections: list[tuple[str, list[Any]]] = []
    for question in questions:
        if not sections or sections[-1][0] != question.section.title:
            sections.append((question.section.title, []))
        sections[-1][1].append(form[question.key])
    return render(
        request,
        "fieldwork/reading_record.html",
        _context(
            request,
            inspection,
            record=record,
            sample=sample,
            form=form,
            meta=meta,
            error_forms=[f for f in (meta, form) if f.errors],
            sections=sections,
            existing=existing,
            recorded_on_behalf=bool(
                existing
                and existing.pair
                and not services.pair_member(existing.pair, existing.recorded_by)
            ),
            first_pair_notice=first_pair_notice,
            is_moderation=is_moderation,
            assign_form=RecordAssignForm(inspection=inspection, initial={"pair": record.pair_id}),
        ),
    )


def _second_reading_meta(
    request: AuthenticatedRequest, record: SampledRecord, existing: Reading | None
) -> tuple[SecondReadingMetaForm, str]:
    """The pair box of a second reading: the reader's own pairs (every pair for the lead
    inspector or an administrator), set to their pair that did not read the record first; and
    a notice when the reader was in the first reading's pair."""
    inspection = record.sample.inspection
    user = request.user
    on_behalf_allowed = user.has_perm("fieldwork.record_for_any_pair", inspection)
    first = record.readings.filter(is_moderation=False).select_related("pair").first()
    first_pair_id = first.pair_id if first else None
    own = selectors.pairs_of_reader(inspection=inspection, user=user)
    pairs = (
        ReadingPair.objects.filter(inspection=inspection).exclude(
            pk__in=[first_pair_id] if first_pair_id else []
        )
        if on_behalf_allowed
        else own
    )
    default = existing.pair_id if existing else None
    if default is None:
        default = next((pair.pk for pair in own if pair.pk != first_pair_id), None)
    notice = ""
    if first is not None and first.pair is not None and services.pair_member(first.pair, user):
        notice = services.SECOND_READING_BY_FIRST_PAIR.format(
            number=first.pair.number, reference=record.reference
        )
    form = SecondReadingMetaForm(
        request.POST or None,
        pairs=pairs,
        on_behalf_allowed=on_behalf_allowed,
        prefix="meta",
        initial={
            "pair": default,
            "readers": existing.readers if existing else "",
            "on_behalf": bool(existing and default and default not in {p.pk for p in own}),
        },
    )
    return form, notice


@login_required
def reading_record(request: AuthenticatedRequest, pk: int, record_pk: int) -> HttpResponse:
    return _record_reading(request, pk, record_pk, is_moderation=False)


@login_required
def reading_moderate(request: AuthenticatedRequest, pk: int, record_pk: int) -> HttpResponse:
    return _record_reading(request, pk, record_pk, is_moderation=True)


@login_required
def reading_results(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "fieldwork.view_results")
    sample = selectors.sample_of(inspection=inspection)
    if sample is None:
        return render(
            request,
            "fieldwork/results_none.html",
            _context(request, inspection),
        )
    return render(
        request,
        "fieldwork/results.html",
        _context(
            request,
            inspection,
            sample=sample,
            results=results.reading_results(sample=sample),
            threshold=gate.threshold(),
        ),
    )


@login_required
def reading_results_csv(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "fieldwork.view_results")
    sample = _sample(inspection)
    found = results.reading_results(sample=sample)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "section",
            "question",
            "answer",
            "group",
            "count",
            "n",
            "percentage",
            "lower_95",
            "upper_95",
            "proportion_word",
        ]
    )
    for question in found.questions:
        for line in question.lines:
            writer.writerow(_csv_line(question.section, question.text, line, question.n))
        for breakdown in question.breakdowns:
            for group, cells, total in breakdown.rows:
                for column, cell in zip(breakdown.columns, cells, strict=True):
                    writer.writerow(
                        [
                            question.section,
                            question.text,
                            column,
                            group,
                            cell,
                            total,
                            "",
                            "",
                            "",
                            "",
                        ]
                    )
    writer.writerow([])
    writer.writerow(
        [
            f"Disclosure control: counts from 1 to {gate.threshold() - 1} and the "
            "counts that would reveal them are shown as *; percentages on them too."
        ]
    )
    return _csv_response(out.getvalue(), f"record-reading-results-{inspection.pk}.csv")


def _csv_line(section: str, text: str, line: results.ShownShare, n: str) -> list[str]:
    def number(value: float | None) -> str:
        return "" if value is None else f"{value:.1f}"

    percentage = (
        number(line.percentage)
        if line.percentage is not None
        else (results.SUPPRESSED if line.suppressed else "")
    )
    return [
        section,
        text,
        line.label,
        "All",
        line.count,
        n,
        percentage,
        number(line.lower),
        number(line.upper),
        line.word,
    ]


def _csv_response(text: str, name: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def reading_evidence(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "fieldwork.manage_reading")
    try:
        item = services.record_reading_evidence_save(sample=_sample(inspection), by=request.user)
    except FieldworkError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Evidence log updated: {item.source}.")
    return redirect("fieldwork:results", inspection.pk)


# --- templates and instruments --------------------------------------------------------------


@login_required
def templates(request: AuthenticatedRequest) -> HttpResponse:
    require(request, "fieldwork.view_templates")
    return render(
        request,
        "fieldwork/templates.html",
        {
            "templates": ReadingTemplate.objects.all(),
            "instruments": selectors.instruments(),
            "can_manage": request.user.has_perm("fieldwork.manage_templates"),
        },
    )


@login_required
def template_detail(request: AuthenticatedRequest, template_pk: int) -> HttpResponse:
    require(request, "fieldwork.view_templates")
    template = get_object_or_404(ReadingTemplate, pk=template_pk)
    sections = [
        (section, [q for q in questions if q.section_id == section.pk])
        for section in template.sections.all()
        for questions in [list(template.questions.order_by("order"))]
    ]
    return render(request, "fieldwork/template.html", {"template": template, "sections": sections})


@login_required
def template_download(request: AuthenticatedRequest, template_pk: int) -> HttpResponse:
    require(request, "fieldwork.view_templates")
    template = get_object_or_404(ReadingTemplate, pk=template_pk)
    data = json.dumps(template_as_data(template), indent=2, ensure_ascii=False)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{template.slug}-v{template.version}.json"'
    )
    return response


@login_required
def template_load(request: AuthenticatedRequest) -> HttpResponse:
    require(request, "fieldwork.manage_templates")
    form = TemplateLoadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            data = json.loads(form.cleaned_data["file"].read().decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            form.add_error("file", f"This is not a JSON file that can be read ({error}).")
        else:
            try:
                template = services.reading_template_load(data=data, by=request.user)
            except FieldworkError as error:
                form.add_error(None, str(error))
                problems = error.problems
            else:
                messages.success(request, f"Loaded {template}.")
                return redirect(template)
    return render(request, "fieldwork/template_load.html", {"form": form, "problems": problems})


@login_required
def instrument_detail(request: AuthenticatedRequest, instrument_pk: int) -> HttpResponse:
    require(request, "fieldwork.view_templates")
    instrument = get_object_or_404(SurveyInstrument, pk=instrument_pk)
    return render(
        request,
        "fieldwork/instrument.html",
        {"instrument": instrument, "questions": instrument.questions.all()},
    )


# --- surveys ----------------------------------------------------------------------------------


def _survey(request: HttpRequest, survey_pk: int, permission: str) -> Survey:
    survey = get_object_or_404(
        Survey.objects.select_related(
            "instrument", "inspection__partnership__area", "evidence_item"
        ),
        pk=survey_pk,
    )
    require(request, permission, survey.inspection)
    return survey


@login_required
def surveys(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "fieldwork.view_survey_results")
    return render(
        request,
        "fieldwork/surveys.html",
        _context(request, inspection, surveys=selectors.surveys(inspection=inspection)),
    )


@login_required
def survey_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "fieldwork.manage_surveys")
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(
                inspection=inspection, by=request.user, **form.cleaned_data
            )
        except FieldworkError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Survey '{survey.title}' added.")
            return redirect(survey)
    return render(request, "fieldwork/survey_add.html", _context(request, inspection, form=form))


@login_required
def survey_edit(request: AuthenticatedRequest, survey_pk: int) -> HttpResponse:
    survey = _survey(request, survey_pk, "fieldwork.manage_surveys")
    inspection = survey.inspection
    has_responses = survey.responses.exists()
    form = SurveyForm(
        request.POST or None,
        initial={
            "instrument": survey.instrument_id,
            "title": survey.title,
            "opens_on": survey.opens_on,
            "closes_on": survey.closes_on,
        },
    )
    if has_responses:  # its responses answer these questions
        form.fields["instrument"].disabled = True
        form.fields["instrument"].help_text = "Fixed once responses are imported."
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_update(survey=survey, **form.cleaned_data)
        except FieldworkError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Survey '{form.cleaned_data['title']}' saved.")
            return redirect(survey)
    return render(
        request,
        "fieldwork/survey_edit.html",
        _context(request, inspection, form=form, survey=survey),
    )


@login_required
@require_POST
def survey_delete(request: AuthenticatedRequest, survey_pk: int) -> HttpResponse:
    survey = _survey(request, survey_pk, "fieldwork.manage_surveys")
    try:
        services.survey_delete(survey=survey)
    except FieldworkError as error:
        messages.error(request, str(error))
        return redirect(survey)
    messages.success(request, f"Survey '{survey.title}' deleted.")
    return redirect("fieldwork:surveys", survey.inspection_id)


@login_required
def survey_detail(request: AuthenticatedRequest, survey_pk: int) -> HttpResponse:
    survey = _survey(request, survey_pk, "fieldwork.view_survey_results")
    inspection = survey.inspection
    return render(
        request,
        "fieldwork/survey.html",
        _context(
            request,
            inspection,
            survey=survey,
            results=results.survey_results(survey=survey),
            imports=survey.imports.select_related("imported_by"),
            can_free_text=request.user.has_perm("fieldwork.view_free_text", inspection),
            threshold=gate.threshold(),
        ),
    )


@login_required
@require_POST
def survey_evidence(request: AuthenticatedRequest, survey_pk: int) -> HttpResponse:
    survey = _survey(request, survey_pk, "fieldwork.manage_surveys")
    try:
        item = services.survey_evidence_save(survey=survey, by=request.user)
    except FieldworkError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Evidence log updated: {item.source}.")
    return redirect("fieldwork:survey", survey.pk)


@login_required
def survey_csv(request: AuthenticatedRequest, survey_pk: int) -> HttpResponse:
    survey = _survey(request, survey_pk, "fieldwork.view_survey_results")
    found = results.survey_results(survey=survey)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "section",
            "question",
            "answer",
            "group",
            "count",
            "n",
            "percentage",
            "lower_95",
            "upper_95",
            "proportion_word",
        ]
    )
    for item in found.items:
        for line in item.lines:
            writer.writerow(_csv_line("", item.text, line, item.n))
        if item.agree is not None:  # n: the answers other than don't know
            writer.writerow(_csv_line("", item.text, item.agree, item.agree.base))
    for table in (found.by_agency, found.by_role):
        if table is None:
            continue
        for text, cells in table.rows:
            for group, cell in zip(table.groups, cells, strict=True):
                writer.writerow([table.title, text, "% agree", group, "", "", cell, "", "", ""])
    writer.writerow([])
    writer.writerow(
        [
            f"Disclosure control: counts from 1 to {gate.threshold() - 1} and the "
            "counts that would reveal them are shown as *; percentages on them too."
        ]
    )
    writer.writerow(["% agree = (strongly agree + agree) / (answers other than don't know)."])
    return _csv_response(out.getvalue(), f"survey-results-{survey.pk}.csv")


@login_required
def survey_free_text(request: AuthenticatedRequest, survey_pk: int) -> HttpResponse:
    survey = _survey(request, survey_pk, "fieldwork.view_free_text")
    log_child_level_access(
        request, what=f"Free-text answers to {survey.title} ({survey.inspection})", obj=survey
    )
    page = Paginator(selectors.free_text_answers(survey=survey), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "fieldwork/survey_free_text.html",
        _context(request, survey.inspection, survey=survey, page=page, query=""),
    )


@login_required
def survey_upload(request: AuthenticatedRequest, survey_pk: int) -> HttpResponse:
    survey = _survey(request, survey_pk, "fieldwork.manage_surveys")
    form = SurveyUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            pending = services.survey_upload(
                survey=survey, name=PurePath(upload.name).name, data=upload.read(), by=request.user
            )
        except FieldworkError as error:
            form.add_error("file", str(error))
        else:
            return redirect("fieldwork:survey-map", survey.pk, pending.pk)
    return render(
        request,
        "fieldwork/survey_upload.html",
        _context(request, survey.inspection, survey=survey, form=form),
    )


def _kept_hours() -> int:
    return int(services.PENDING_KEPT.total_seconds() // 3600)


def _pending(survey: Survey, pending_pk: int) -> PendingSurveyImport:
    pending = selectors.pending_import(survey=survey, pk=pending_pk, kept=services.PENDING_KEPT)
    if pending is None:
        raise Http404(UPLOAD_GONE.format(hours=_kept_hours()))
    return pending


@login_required
def survey_map(request: AuthenticatedRequest, survey_pk: int, pending_pk: int) -> HttpResponse:
    survey = _survey(request, survey_pk, "fieldwork.manage_surveys")
    pending = _pending(survey, pending_pk)
    # The page quotes the upload: an example answer from each column, and rejected values.
    log_child_level_access(
        request, what=f"Survey upload to map for {survey.title} ({survey.inspection})", obj=survey
    )
    questions = services.instrument_questions(survey.instrument)
    header, rows = services.read_export(pending.text)
    saved = selectors.saved_mapping(instrument=survey.instrument, headers=header)
    from scrutiny.fieldwork import mapping

    initial_mapping = (
        {h: saved.mapping.get(h, mapping.IGNORE) for h in header}
        if saved
        else mapping.suggest(header, questions)
    )
    form = ColumnMappingForm(
        request.POST or None,
        headers=header,
        questions=questions,
        initial_mapping=initial_mapping,
        initial={"day_first": "1" if (saved is None or saved.day_first) else "0"},
    )
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            imported = services.survey_import(
                pending=pending,
                column_mapping=form.column_mapping(),
                day_first=form.cleaned_data["day_first"],
                by=request.user,
            )
        except SurveyImportRejected as error:
            form.add_error(None, error.message)
            problems = error.problems
        except FieldworkError as error:
            form.add_error(None, str(error))
        else:
            level = messages.SUCCESS if imported.new else messages.INFO
            messages.add_message(request, level, imported.message)
            return redirect(survey)
    examples = {
        name: next((cells[i] for _, cells in rows if i < len(cells) and cells[i].strip()), "")
        for i, name in enumerate(header)
    }
    return render(
        request,
        "fieldwork/survey_map.html",
        _context(
            request,
            survey.inspection,
            survey=survey,
            pending=pending,
            form=form,
            saved=saved,
            rows=len(rows),
            examples=[(form[f"column_{i}"], examples[name]) for i, name in enumerate(header)],
            problems=problems[:PROBLEMS_SHOWN],
            problem_count=len(problems),
            kept_hours=_kept_hours(),
        ),
    )


@login_required
@require_POST
def survey_upload_cancel(
    request: AuthenticatedRequest, survey_pk: int, pending_pk: int
) -> HttpResponse:
    survey = _survey(request, survey_pk, "fieldwork.manage_surveys")
    pending = _pending(survey, pending_pk)
    services.survey_upload_cancel(pending=pending)
    messages.success(
        request, f"Import cancelled: the upload of {pending.original_name} has been deleted."
    )
    return redirect(survey)


@login_required
@require_POST
def survey_import_delete(
    request: AuthenticatedRequest, survey_pk: int, import_pk: int
) -> HttpResponse:
    survey = _survey(request, survey_pk, "fieldwork.manage_surveys")
    batch = get_object_or_404(SurveyImport, pk=import_pk, survey=survey)
    try:
        services.survey_import_delete(survey_import=batch)
    except FieldworkError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Removed the import of {batch}.")
    return redirect(survey)
