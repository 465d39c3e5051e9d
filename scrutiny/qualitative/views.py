"""Pages for qualitative evidence. Each view fetches the project, asks the rules, calls one
service or selector, and renders or redirects; a ``QualitativeError`` is shown as a message."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from scrutiny.accounts.access import AuthenticatedRequest, log_child_level_access, require
from scrutiny.analysis import spc
from scrutiny.analysis.redaction import redact
from scrutiny.charts.spc_svg import spc_chart_svg
from scrutiny.inspections.models import Inspection
from scrutiny.places.models import Partnership
from scrutiny.publishing import gate
from scrutiny.qualitative import exchange, forms, selectors, services, texts
from scrutiny.qualitative.models import (
    CandidateTheme,
    Code,
    Coding,
    CodingCheck,
    PendingImport,
    Project,
    Quote,
    Segment,
    Source,
    Suggestion,
)
from scrutiny.qualitative.services import QualitativeError

SEGMENTS_PER_PAGE = 100
RESULTS_PER_PAGE = 50
SUGGESTIONS_PER_PAGE = 50

VIEW = "qualitative.view_project"
CHANGE = "qualitative.change_project"


def _project(request: HttpRequest, pk: int, permission: str = VIEW) -> Project:
    project = get_object_or_404(
        Project.objects.select_related("partnership__area", "inspection"), pk=pk
    )
    require(request, permission, project)
    return project


def _context(request: HttpRequest, project: Project, section: str, **extra: Any) -> dict[str, Any]:
    return {
        "project": project,
        "section": section,
        "can_change": request.user.has_perm(CHANGE, project),
        **extra,
    }


def _log_source_text(request: HttpRequest, project: Project, what: str) -> None:
    """Sources hold children's and families' own words, case studies and survey answers: every
    page or file showing their text is in the child-level access log, whatever the project."""
    log_child_level_access(request, what=f"{what} ({project.title})", obj=project)


def _upload(form_file: Any) -> tuple[str, bytes]:
    return form_file.name, form_file.read()


# --- projects ------------------------------------------------------------------------------------


def _counted(count: int, word: str) -> str:
    """ "1 comment", "3 comments", "1,200 paragraphs"."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"


@login_required
def project_create(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    partnership = get_object_or_404(Partnership.objects.select_related("area"), slug=slug)
    require(request, "qualitative.add_partnership_project", partnership)
    form = forms.ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(
                partnership=partnership,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                by=request.user,
            )
        except QualitativeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Project started. Add sources and a codebook next.")
            return redirect(project)
    return render(
        request,
        "qualitative/project_create.html",
        {"form": form, "partnership": partnership, "inspection": None},
    )


@login_required
def inspection_project_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = get_object_or_404(Inspection.objects.select_related("partnership__area"), pk=pk)
    require(request, "qualitative.add_inspection_project", inspection)
    form = forms.ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(
                partnership=inspection.partnership,
                inspection=inspection,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                by=request.user,
            )
        except QualitativeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Project started for the inspection team.")
            return redirect(project)
    return render(
        request,
        "qualitative/project_create.html",
        {"form": form, "partnership": inspection.partnership, "inspection": inspection},
    )


@login_required
def project_import(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    partnership = get_object_or_404(Partnership.objects.select_related("area"), slug=slug)
    require(request, "qualitative.add_partnership_project", partnership)
    form = forms.ProjectImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        name, data = _upload(form.cleaned_data["upload"])
        try:
            summary = exchange.import_project(
                partnership=partnership,
                name=name,
                data=data,
                title=form.cleaned_data["title"],
                by=request.user,
            )
        except QualitativeError as exc:
            form.add_error("upload", str(exc))
        else:
            text = (
                f"Imported {summary.sources} sources, {summary.codes} codes and "
                f"{summary.codings} codings."
            )
            if summary.skipped:
                text += " Left out (not text): " + "; ".join(summary.skipped[:10]) + "."
            messages.success(request, text)
            return redirect(summary.project)
    return render(
        request, "qualitative/project_import.html", {"form": form, "partnership": partnership}
    )


@login_required
def project(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    sources = project.sources.defer("text").order_by("-created_at")[:10]
    return render(
        request,
        "qualitative/project.html",
        _context(
            request,
            project,
            "overview",
            sources=sources,
            n_sources=project.sources.count(),
            n_codes=project.codes.count(),
            share=selectors.coded_share(project=project),
            checks=project.checks.order_by("-created_at")[:3],
            run=selectors.latest_run(project),
            n_quotes=project.quotes.count(),
        ),
    )


@login_required
def project_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = _project(request, pk, CHANGE)
    form = forms.ProjectEditForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(project=project, **form.cleaned_data)
        except QualitativeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Project details saved.")
            return redirect(project)
    return render(
        request, "qualitative/project_edit.html", _context(request, project, "overview", form=form)
    )


@login_required
def project_export(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    data = exchange.export_project(project, blind=_blind(request, project))
    _log_source_text(request, project, "Project export (.qdpx)")
    response = HttpResponse(data, content_type="application/zip")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="qualitative-{project.pk}-{stamp}.qdpx"'
    )
    return response


# --- sources -------------------------------------------------------------------------------------


@login_required
def sources(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    segments = dict(
        Segment.objects.filter(source__project=project)
        .values_list("source_id")
        .annotate(n=Count("pk"))
    )
    codings = dict(
        Coding.objects.filter(source__project=project, check_run__isnull=True)
        .values_list("source_id")
        .annotate(n=Count("pk"))
    )
    listed = list(project.sources.defer("text").order_by("kind", "title"))
    for item in listed:
        item.n_segments = segments.get(item.pk, 0)  # type: ignore[attr-defined]
        item.n_codings = codings.get(item.pk, 0)  # type: ignore[attr-defined]
    return render(
        request,
        "qualitative/sources.html",
        _context(request, project, "sources", sources=listed),
    )


def _attributes(data: dict[str, Any]) -> services.Attributes:
    return services.Attributes(
        respondent_type=data["respondent_type"],
        agency=data.get("agency") or "",
        collected_on=data.get("collected_on"),
        origin=data.get("origin") or "",
    )


@login_required
def source_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = _project(request, pk, CHANGE)
    form = forms.SourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["upload"]:
                name, content = _upload(data["upload"])
                source = services.source_add_file(
                    project=project,
                    kind=data["kind"],
                    title=data["title"],
                    name=name,
                    data=content,
                    attributes=_attributes(data),
                    by=request.user,
                )
            else:
                source = services.source_add_text(
                    project=project,
                    kind=data["kind"],
                    title=data["title"],
                    text=data["text"],
                    attributes=_attributes(data),
                    by=request.user,
                )
        except QualitativeError as exc:
            form.add_error("upload" if data.get("upload") else None, str(exc))
        else:
            messages.success(request, f"'{source.title}' added.")
            return redirect(source)
    return render(
        request, "qualitative/source_add.html", _context(request, project, "sources", form=form)
    )


@login_required
def comments_import(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = _project(request, pk, CHANGE)
    form = forms.CommentsUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        name, data = _upload(form.cleaned_data["upload"])
        try:
            pending = services.comments_upload(
                project=project, name=name, data=data, by=request.user
            )
        except QualitativeError as exc:
            form.add_error("upload", str(exc))
        else:
            return redirect("qualitative:comments-map", project.pk, pending.pk)
    return render(
        request,
        "qualitative/comments_import.html",
        _context(request, project, "sources", form=form),
    )


@login_required
def comments_map(request: AuthenticatedRequest, pk: int, import_pk: int) -> HttpResponse:
    project = _project(request, pk, CHANGE)
    pending = get_object_or_404(
        PendingImport, pk=import_pk, project=project, created_by=request.user
    )
    form = forms.ColumnMappingForm(
        request.POST or None,
        headers=pending.headers,
        initial={"title": pending.filename.rsplit(".", 1)[0]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        mapping = services.ColumnMapping(
            text=data["text_column"],
            respondent_type=data["respondent_column"],
            agency=data["agency_column"],
            role=data["role_column"],
            date=data["date_column"],
            reference=data["reference_column"],
        )
        try:
            result = services.comments_import(
                pending=pending,
                mapping=mapping,
                title=data["title"],
                kind=data["kind"],
                defaults=_attributes(data),
                by=request.user,
            )
        except (QualitativeError, texts.TextFileError) as exc:
            form.add_error(None, str(exc))
        else:
            text = f"Imported {_counted(result.comments, 'comment')}."
            if result.blank_rows:
                text += (
                    f" {_counted(result.blank_rows, 'row')} had no comment and "
                    f"{'was' if result.blank_rows == 1 else 'were'} left out."
                )
            messages.success(request, " ".join([text, *result.notes]))
            return redirect(result.source)
    _log_source_text(request, project, f"Comments upload {pending.filename!r} to map")
    return render(
        request,
        "qualitative/comments_map.html",
        _context(request, project, "sources", form=form, pending=pending),
    )


@login_required
def survey_import(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Bring the free-text answers of the inspection's surveys in as comments to code."""
    from scrutiny.fieldwork.models import Survey
    from scrutiny.fieldwork.selectors import free_text_answers

    project = _project(request, pk, CHANGE)
    surveys = (
        list(
            Survey.objects.filter(inspection_id=project.inspection_id).select_related("instrument")
        )
        if project.inspection_id
        else []
    )
    if request.method == "POST":
        survey = next((s for s in surveys if s.pk == _int(request.POST.get("survey"))), None)
        if survey is None:
            messages.error(request, "Choose one of this inspection's surveys.")
        else:
            try:
                made = services.survey_import(project=project, survey=survey, by=request.user)
            except QualitativeError as exc:
                messages.error(request, str(exc))
            else:
                total = sum(source.segments.count() for source in made)
                messages.success(
                    request, f"Imported {total} answers into {len(made)} sources, one per question."
                )
                return redirect("qualitative:sources", project.pk)
    rows = [(survey, len(free_text_answers(survey=survey))) for survey in surveys]
    return render(
        request,
        "qualitative/survey_import.html",
        _context(request, project, "sources", rows=rows),
    )


def _codings_html(
    view: selectors.SegmentView,
    *,
    base: str,
    unit: str,
    quoted: set[int],
    can_change: bool,
) -> SafeString:
    """The list of codes on one comment or paragraph. Built here rather than in the template
    because a page can carry hundreds of codings and this is several times faster; every value
    is escaped."""
    segment = view.segment
    where = f"{unit} {segment.position}"
    items = []
    for c in view.codings:
        name = escape(c.code_name)
        whole = (c.start, c.end) == (segment.start, segment.end)
        excerpt = "" if whole else c.text if len(c.text) <= 90 else c.text[:89] + "\u2026"
        parts = [
            f'<li><span class="qual-tag" style="border-left-color:{escape(c.code_colour)}">'
            f"{name}</span>",
            f" <q>{escape(excerpt)}</q>" if excerpt else "",
            f' <span class="ds_hint-text">by {escape(c.coder)}</span>',
            f' <a class="ds_link" href="{base}{c.pk}/">{"Memo" if c.memo else "Details"}'
            f'<span class="visually-hidden"> of {name} on {where}</span></a>',
            ' <strong class="ds_tag">Quoted</strong>' if c.pk in quoted else "",
        ]
        if can_change and c.pk not in quoted:  # a quoted coding goes after its quote
            parts.append(
                ' <button type="submit" class="ds_button ds_button--secondary ds_button--small '
                f'qual-inline-button" formaction="{base}{c.pk}/delete/">Remove'
                f'<span class="visually-hidden"> {name} from {where}</span></button>'
            )
        parts.append("</li>")
        items.append("".join(parts))
    html = f'<ul class="qual-codings" aria-label="Codes on {where}">{"".join(items)}</ul>'
    return mark_safe(html)  # every value escaped above


def _source(project: Project, source_pk: int) -> Source:
    return get_object_or_404(
        Source.objects.select_related("project"), pk=source_pk, project=project
    )


@login_required
def source(request: AuthenticatedRequest, pk: int, source_pk: int) -> HttpResponse:
    project = _project(request, pk)
    source = _source(project, source_pk)
    paginator = Paginator(source.segments.order_by("position"), SEGMENTS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    blind = _blind(request, project)
    segments = selectors.source_segments(source=source, segments=page.object_list, blind=blind)
    codes = selectors.codes_in_order(project)
    quoted = set(
        Quote.objects.filter(
            coding__in=[c.pk for view in segments for c in view.codings]
        ).values_list("coding_id", flat=True)
    )
    can_change = request.user.has_perm(CHANGE, project)
    base = reverse("qualitative:coding", args=[project.pk, 0]).removesuffix("0/")
    for view in segments:
        view.codings_html = _codings_html(  # type: ignore[attr-defined]
            view, base=base, unit=source.unit_word, quoted=quoted, can_change=can_change
        )
    _log_source_text(request, project, f"Source {source.title!r}")
    return render(
        request,
        "qualitative/source.html",
        _context(
            request,
            project,
            "sources",
            source=source,
            page=page,
            segments=segments,
            codes=codes,
            blind=bool(blind),
            blind_reason=blind.reason,
            quoted=quoted,
            span_form=forms.SpanForm(project=project) if codes else None,
            span_url=reverse("qualitative:code-span", args=[project.pk, source.pk]),
        ),
    )


@login_required
def source_edit(request: AuthenticatedRequest, pk: int, source_pk: int) -> HttpResponse:
    project = _project(request, pk, CHANGE)
    source = _source(project, source_pk)
    form = forms.SourceEditForm(
        request.POST or None,
        initial={
            "title": source.title,
            "respondent_type": source.respondent_type,
            "agency": source.agency,
            "collected_on": source.collected_on,
            "origin": source.origin,
            "memo": source.memo,
            "apply_to_segments": not source.is_comments,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.source_update(
                source=source,
                title=data["title"],
                attributes=_attributes(data),
                memo=data["memo"],
                apply_to_segments=data["apply_to_segments"],
            )
        except QualitativeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Source saved.")
            return redirect(source)
    return render(
        request,
        "qualitative/source_edit.html",
        _context(request, project, "sources", form=form, source=source),
    )


@login_required
@require_POST
def source_delete(request: AuthenticatedRequest, pk: int, source_pk: int) -> HttpResponse:
    project = _project(request, pk, CHANGE)
    source = _source(project, source_pk)
    services.source_delete(source=source)
    messages.success(request, f"'{source.title}' and its codings were removed.")
    return redirect("qualitative:sources", project.pk)


def _back_to_source(source: Source, request: HttpRequest, anchor: str = "") -> HttpResponse:
    page = request.POST.get("page", "")
    url = source.get_absolute_url() + (f"?page={page}" if page.isdigit() else "")
    return redirect(url + (f"#{anchor}" if anchor else ""))


@login_required
@require_POST
def code_comments(request: AuthenticatedRequest, pk: int, source_pk: int) -> HttpResponse:
    project = _project(request, pk, CHANGE)
    source = _source(project, source_pk)
    code = project.codes.filter(pk=_int(request.POST.get("code")) or 0).first()
    ids = [_int(value) for value in request.POST.getlist("segment")]
    segments = list(source.segments.filter(pk__in=[i for i in ids if i is not None]))
    if code is None:
        messages.error(request, "Choose a code to apply.")
    else:
        try:
            result = services.codings_add_whole(segments=segments, code=code, by=request.user)
        except QualitativeError as exc:
            messages.error(request, str(exc))
        else:
            text = f"'{code.name}' applied to {_counted(result.added, source.unit_word)}."
            if result.skipped:
                text += f" {result.skipped} already had it."
            messages.success(request, text)
    anchor = f"seg-{segments[0].position}" if segments else ""
    return _back_to_source(source, request, anchor)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def code_span(request: AuthenticatedRequest, pk: int, source_pk: int) -> HttpResponse:
    """Code part of a text: by start and end offsets (filled in by the selection script), or,
    without JavaScript, by choosing a sentence of one comment or paragraph."""
    project = _project(request, pk, CHANGE)
    source = _source(project, source_pk)
    segment = source.segments.filter(pk=_int(request.GET.get("segment")) or 0).first()
    sentences = []
    if segment is not None:
        sentences = [
            (f"{span.start}-{span.end}", source.text[span.start : span.end])
            for span in texts.sentences(source.text, segment.start, segment.end)
        ]
    span_form = forms.SpanForm(
        request.POST if request.method == "POST" and "start" in request.POST else None,
        project=project,
        initial={"start": segment.start, "end": segment.end} if segment else None,
    )
    sentence_form = forms.SentenceForm(
        request.POST if request.method == "POST" and "span" in request.POST else None,
        project=project,
        sentences=sentences,
    )
    if request.method == "POST":
        chosen = None
        if span_form.is_bound and span_form.is_valid():
            data = span_form.cleaned_data
            chosen = (data["code"], data["start"], data["end"], data["memo"])
        elif sentence_form.is_bound and sentence_form.is_valid():
            start, end = (int(n) for n in sentence_form.cleaned_data["span"].split("-"))
            chosen = (sentence_form.cleaned_data["code"], start, end, "")
        if chosen is not None:
            code, start, end, memo = chosen
            try:
                coding = services.coding_add(
                    source=source, code=code, start=start, end=end, memo=memo, by=request.user
                )
            except QualitativeError as exc:
                (span_form if span_form.is_bound else sentence_form).add_error(None, str(exc))
            else:
                messages.success(request, f"'{code.name}' applied to “{coding.text[:80]}”.")
                anchor = f"seg-{coding.segment.position}" if coding.segment else ""
                position = coding.segment.position if coding.segment else 1
                page = (position - 1) // SEGMENTS_PER_PAGE + 1
                return redirect(f"{source.get_absolute_url()}?page={page}#{anchor}")
    _log_source_text(request, project, f"Coding part of source {source.title!r}")
    return render(
        request,
        "qualitative/code_span.html",
        _context(
            request,
            project,
            "sources",
            source=source,
            segment=segment,
            span_form=span_form,
            sentence_form=sentence_form if sentences else None,
        ),
    )


def _blind(request: AuthenticatedRequest, project: Project) -> selectors.Blind:
    return selectors.blind_for(user=request.user, project=project)


def _coding(request: AuthenticatedRequest, project: Project, coding_pk: int) -> Coding:
    """One of the project's codings that the person may see (not one hidden by blind coding)."""
    visible = selectors.visible_codings(projects=[project], blind=_blind(request, project))
    return get_object_or_404(
        visible.select_related("source", "code", "coder", "segment"), pk=coding_pk
    )


@login_required
def coding(request: AuthenticatedRequest, pk: int, coding_pk: int) -> HttpResponse:
    project = _project(request, pk)
    coding = _coding(request, project, coding_pk)
    can_change = request.user.has_perm(CHANGE, project)
    form = forms.MemoForm(request.POST or None, initial={"memo": coding.memo})
    if request.method == "POST":
        require(request, CHANGE, project)
        if form.is_valid():
            services.coding_memo_set(coding=coding, memo=form.cleaned_data["memo"])
            messages.success(request, "Memo saved.")
            return redirect("qualitative:coding", project.pk, coding.pk)
    _log_source_text(request, project, "A coding and its text")
    return render(
        request,
        "qualitative/coding.html",
        _context(
            request,
            project,
            "sources",
            coding=coding,
            form=form if can_change else None,
            quote=coding.quotes.first(),
        ),
    )


@login_required
@require_POST
def coding_delete(request: AuthenticatedRequest, pk: int, coding_pk: int) -> HttpResponse:
    project = _project(request, pk, CHANGE)
    coding = _coding(request, project, coding_pk)
    try:
        services.coding_delete(coding=coding)
    except QualitativeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"'{coding.code.name}' removed from “{coding.text[:60]}”.")
    anchor = f"seg-{coding.segment.position}" if coding.segment else ""
    return _back_to_source(coding.source, request, anchor)


# --- codebook ------------------------------------------------------------------------------------


@login_required
def codebook(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    return render(
        request,
        "qualitative/codebook.html",
        _context(
            request,
            project,
            "codebook",
            codes=selectors.codebook(project, blind=_blind(request, project)),
        ),
    )


def _code_data(form: forms.CodeForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "description": data["description"],
        "colour": data["colour"],
        "parent": data["parent"],
        "shanarri": data["shanarri"],
        "qis": data.get("qis") or [],
        "areas": data.get("areas") or [],
        "memo": data["memo"],
    }


@login_required
def code_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = _project(request, pk, CHANGE)
    form = forms.CodeForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            code = services.code_add(project=project, **_code_data(form))
        except QualitativeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Code '{code.name}' added.")
            return redirect("qualitative:codebook", project.pk)
    return render(
        request, "qualitative/code_form.html", _context(request, project, "codebook", form=form)
    )


def _code(project: Project, code_pk: int) -> Code:
    return get_object_or_404(Code, pk=code_pk, project=project)


@login_required
def code_edit(request: AuthenticatedRequest, pk: int, code_pk: int) -> HttpResponse:
    project = _project(request, pk)
    code = _code(project, code_pk)
    blind = _blind(request, project)
    can_change = request.user.has_perm(CHANGE, project)
    form = forms.CodeForm(
        request.POST or None,
        project=project,
        code=code,
        initial={
            "name": code.name,
            "description": code.description,
            "colour": code.colour,
            "parent": code.parent_id,
            "shanarri": code.shanarri,
            "areas": list(code.areas_for_improvement.all()),
            "qis": list(code.qis.all()),
            "memo": code.memo,
        },
    )
    if request.method == "POST":
        require(request, CHANGE, project)
        if form.is_valid():
            try:
                services.code_update(code=code, **_code_data(form))
            except QualitativeError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Code '{code.name}' saved.")
                return redirect("qualitative:code-edit", project.pk, code.pk)
    _log_source_text(request, project, f"Codings of {code.name!r}")
    return render(
        request,
        "qualitative/code.html",
        _context(
            request,
            project,
            "codebook",
            code=code,
            form=form if can_change else None,
            codings=selectors.recent_codings(code=code, blind=blind),
            n_codings=selectors.code_codings(code=code, blind=blind).count(),
        ),
    )


@login_required
def code_merge(request: AuthenticatedRequest, pk: int, code_pk: int) -> HttpResponse:
    project = _project(request, pk, CHANGE)
    code = _code(project, code_pk)
    form = forms.MergeForm(request.POST or None, code=code)
    if request.method == "POST" and form.is_valid():
        into = form.cleaned_data["into"]
        try:
            moved = services.code_merge(code=code, into=into)
        except QualitativeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, f"'{code.name}' merged into '{into.name}': {moved} codings moved."
            )
            return redirect("qualitative:code-edit", project.pk, into.pk)
    return render(
        request,
        "qualitative/code_merge.html",
        _context(request, project, "codebook", form=form, code=code),
    )


@login_required
@require_POST
def code_delete(request: AuthenticatedRequest, pk: int, code_pk: int) -> HttpResponse:
    project = _project(request, pk, CHANGE)
    code = _code(project, code_pk)
    try:
        services.code_delete(code=code)
    except QualitativeError as exc:
        messages.error(request, str(exc))
        return redirect("qualitative:code-edit", project.pk, code.pk)
    messages.success(request, f"Code '{code.name}' removed.")
    return redirect("qualitative:codebook", project.pk)


@login_required
def codebook_export(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    try:
        data = exchange.export_codebook(project)
    except QualitativeError as exc:
        messages.error(request, str(exc))
        return redirect("qualitative:codebook", project.pk)
    response = HttpResponse(data, content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="codebook-{project.pk}.qdc"'
    return response


@login_required
def codebook_import(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = _project(request, pk, CHANGE)
    form = forms.CodebookImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        name, data = _upload(form.cleaned_data["upload"])
        try:
            summary = exchange.import_codebook(project=project, name=name, data=data)
        except QualitativeError as exc:
            form.add_error("upload", str(exc))
        else:
            messages.success(
                request,
                f"Added {summary.added} codes; {summary.kept} already in the codebook were kept.",
            )
            return redirect("qualitative:codebook", project.pk)
    return render(
        request,
        "qualitative/codebook_import.html",
        _context(request, project, "codebook", form=form),
    )


# --- double coding -------------------------------------------------------------------------------


def _check(project: Project, check_pk: int) -> CodingCheck:
    return get_object_or_404(
        CodingCheck.objects.select_related("project__inspection", "first_coder"),
        pk=check_pk,
        project=project,
    )


@login_required
def checks(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    listed = project.checks.select_related("first_coder").prefetch_related("coders__user")
    mine = set(
        project.checks.filter(
            coders__user=request.user, coders__finished_at__isnull=True
        ).values_list("pk", flat=True)
    )
    return render(
        request,
        "qualitative/checks.html",
        _context(request, project, "checks", checks=listed, mine=mine),
    )


@login_required
def check_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = _project(request, pk, CHANGE)
    form = forms.CheckForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            check = services.check_create(
                project=project,
                title=data["title"],
                unit=data["unit"],
                first_coder=data["first_coder"],
                coders=list(data["coders"]),
                sources=list(data["sources"]),
                sample_size=data["sample_size"] or 0,
                by=request.user,
            )
        except QualitativeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Check started. The blind coders can now code the sample.")
            return redirect(check)
    return render(
        request,
        "qualitative/check_create.html",
        _context(request, project, "checks", form=form),
    )


@login_required
def check(request: AuthenticatedRequest, pk: int, check_pk: int) -> HttpResponse:
    project = _project(request, pk)
    check = _check(project, check_pk)
    blind = _blind(request, project)
    participant = check.coders.filter(user=request.user).first()
    # Results show the first coder's coding of the sample: hidden from a blind coder until
    # they finish, and from anyone still coding blind in a check of the project.
    hidden = bool(participant and participant.finished_at is None) or bool(blind)
    return render(
        request,
        "qualitative/check.html",
        _context(
            request,
            project,
            "checks",
            check=check,
            agreement=None if hidden else selectors.check_agreement(check=check),
            hidden=hidden,
            hidden_because=blind.reason,
            participant=participant,
            coders=check.coders.select_related("user"),
            can_code=request.user.has_perm("qualitative.code_in_check", check),
        ),
    )


@login_required
def check_code(request: AuthenticatedRequest, pk: int, check_pk: int) -> HttpResponse:
    """The blind coder's page: the sample, with only their own coding."""
    project = _project(request, pk)
    check = _check(project, check_pk)
    require(request, "qualitative.code_in_check", check)
    participant = check.coders.get(user=request.user)
    codes = selectors.codes_in_order(project)
    if check.unit == CodingCheck.Unit.COMMENT:
        return _check_code_comments(request, project, check, participant, codes)
    return _check_code_characters(request, project, check, participant, codes)


def _check_code_comments(
    request: AuthenticatedRequest,
    project: Project,
    check: CodingCheck,
    participant: Any,
    codes: list[Code],
) -> HttpResponse:
    sample = list(check.segments.select_related("source").order_by("pk"))
    paginator = Paginator(sample, 20)
    page = paginator.get_page(request.GET.get("page") or request.POST.get("page"))
    if request.method == "POST":
        choices = {
            segment.pk: [
                i for i in (_int(v) for v in request.POST.getlist(f"codes-{segment.pk}")) if i
            ]
            for segment in page.object_list
        }
        try:
            services.check_code_segments(check=check, coder=request.user, choices=choices)
        except QualitativeError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Your coding of this page is saved.")
            target = page.next_page_number() if page.has_next() else page.number
            return redirect(
                f"{reverse('qualitative:check-code', args=[project.pk, check.pk])}?page={target}"
            )
    mine: dict[int, set[int]] = {}
    for segment_id, code_id in Coding.objects.filter(
        check_run=check, coder=request.user
    ).values_list("segment_id", "code_id"):
        mine.setdefault(segment_id, set()).add(code_id)
    rows = [(segment, mine.get(segment.pk, set())) for segment in page.object_list]
    _log_source_text(request, project, f"Blind coding sample of {check.title!r}")
    return render(
        request,
        "qualitative/check_code.html",
        _context(
            request,
            project,
            "checks",
            check=check,
            participant=participant,
            rows=rows,
            page=page,
            codes=codes,
            n_done=len(mine),
            n_sample=len(sample),
        ),
    )


def _check_code_characters(
    request: AuthenticatedRequest,
    project: Project,
    check: CodingCheck,
    participant: Any,
    codes: list[Code],
) -> HttpResponse:
    sources = list(check.sources.order_by("pk"))
    source = next(
        (s for s in sources if s.pk == _int(request.GET.get("source"))),
        sources[0] if sources else None,
    )
    if source is None:
        raise Http404
    form = forms.SpanForm(request.POST or None, project=project)
    if request.method == "POST":
        delete = _int(request.POST.get("delete"))
        try:
            if delete:
                coding = get_object_or_404(Coding, pk=delete, check_run=check)
                services.check_coding_delete(check=check, coder=request.user, coding=coding)
                messages.success(request, "Coding removed.")
            elif form.is_valid():
                data = form.cleaned_data
                services.check_code_span(
                    check=check,
                    coder=request.user,
                    source=source,
                    code=data["code"],
                    start=data["start"],
                    end=data["end"],
                )
                messages.success(request, f"'{data['code'].name}' applied.")
            else:
                raise QualitativeError("Choose a code and give the start and end of the text.")
        except QualitativeError as exc:
            messages.error(request, str(exc))
        return redirect(
            f"{reverse('qualitative:check-code', args=[project.pk, check.pk])}?source={source.pk}"
        )
    segments = selectors.source_segments(
        source=source,
        segments=source.segments.order_by("position"),
        check=check,
        coder=request.user,
    )
    _log_source_text(request, project, f"Blind coding sample of {check.title!r}")
    return render(
        request,
        "qualitative/check_code_characters.html",
        _context(
            request,
            project,
            "checks",
            check=check,
            participant=participant,
            source=source,
            sources=sources,
            segments=segments,
            span_form=form,
            codes=codes,
        ),
    )


@login_required
@require_POST
def check_finish(request: AuthenticatedRequest, pk: int, check_pk: int) -> HttpResponse:
    project = _project(request, pk)
    check = _check(project, check_pk)
    require(request, "qualitative.code_in_check", check)
    try:
        services.check_finish(check=check, user=request.user)
    except QualitativeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Thank you: your coding is finished and now counts.")
    return redirect(check)


@login_required
def check_disagreements(request: AuthenticatedRequest, pk: int, check_pk: int) -> HttpResponse:
    project = _project(request, pk)
    check = _check(project, check_pk)
    participant = check.coders.filter(user=request.user).first()
    blind = _blind(request, project)
    if (participant is not None and participant.finished_at is None) or blind:
        messages.info(
            request,
            blind.reason or "Finish your own blind coding before looking at disagreements.",
        )
        return redirect(check)
    _log_source_text(request, project, f"Disagreements in {check.title!r}")
    return render(
        request,
        "qualitative/check_disagreements.html",
        _context(
            request,
            project,
            "checks",
            check=check,
            disagreements=selectors.check_disagreements(check=check),
        ),
    )


@login_required
@require_POST
def check_reconcile(request: AuthenticatedRequest, pk: int, check_pk: int) -> HttpResponse:
    project = _project(request, pk, CHANGE)
    check = _check(project, check_pk)
    code = get_object_or_404(Code, pk=_int(request.POST.get("code")), project=project)
    apply = request.POST.get("action") == "apply"
    try:
        if check.unit == CodingCheck.Unit.COMMENT:
            segment = get_object_or_404(Segment, pk=_int(request.POST.get("segment")))
            done = services.check_reconcile(
                check=check, segment=segment, code=code, apply=apply, by=request.user
            )
        else:
            source = get_object_or_404(Source, pk=_int(request.POST.get("source")), project=project)
            services.check_span_apply(
                check=check,
                source=source,
                code=code,
                start=_int(request.POST.get("start")) or 0,
                end=_int(request.POST.get("end")) or 0,
                by=request.user,
            )
            done = f"'{code.name}' applied to the project's coding."
    except QualitativeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("qualitative:check-disagreements", project.pk, check.pk)


@login_required
@require_POST
def check_close(request: AuthenticatedRequest, pk: int, check_pk: int) -> HttpResponse:
    project = _project(request, pk, CHANGE)
    check = _check(project, check_pk)
    services.check_mark_reconciled(check=check)
    messages.success(request, "The check is marked as reconciled.")
    return redirect(check)


# --- search and analysis -------------------------------------------------------------------------


@login_required
def search(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    form = forms.SearchForm(request.GET or None, project=project)
    results = None
    page_number = max(_int(request.GET.get("page")) or 1, 1)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.SearchFilters(
            text=data["q"],
            code=data["code"],
            respondent_type=data["respondent_type"],
            agency=data["agency"],
            kind=data["kind"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
        if not filters.empty:
            results = selectors.search_segments(
                projects=[project],
                filters=filters,
                limit=RESULTS_PER_PAGE,
                offset=(page_number - 1) * RESULTS_PER_PAGE,
                blind=_blind(request, project),
            )
            for hit in results.hits:
                segment = hit.segment
                page = (segment.position - 1) // SEGMENTS_PER_PAGE + 1
                hit.url = f"{segment.source.get_absolute_url()}?page={page}#seg-{segment.position}"
    query = request.GET.copy()
    query.pop("page", None)
    pages = 0
    if results:
        pages = (results.total + RESULTS_PER_PAGE - 1) // RESULTS_PER_PAGE
    if results is not None:
        _log_source_text(request, project, "Search results")
    return render(
        request,
        "qualitative/search.html",
        _context(
            request,
            project,
            "search",
            form=form,
            results=results,
            page_number=page_number,
            pages=pages,
            query=query.urlencode(),
            looking_for=_looking_for(form),
        ),
    )


def _looking_for(form: forms.SearchForm) -> str:
    """What a search is for, in a few words, so that each search page has its own title."""
    if not form.is_bound or not form.is_valid():
        return ""
    data = form.cleaned_data
    bits = [f"“{data['q']}”" if data["q"] else ""]
    if data["code"]:
        bits.append(f"coded {data['code'].name}")
    for key in ("respondent_type", "agency", "kind"):
        if data[key]:
            bits.append(str(dict(form.fields[key].choices).get(data[key], data[key])).lower())  # type: ignore[attr-defined]
    if data["date_from"] or data["date_to"]:
        bits.append(f"{data['date_from'] or '…'} to {data['date_to'] or '…'}")
    return ", ".join(bit for bit in bits if bit)


def _run_chart(counts: list[selectors.MonthCount], code: Code) -> tuple[str | None, str]:
    periods = [f"{c.month:%b %Y}" for c in counts]
    try:
        result = spc.run_chart(
            periods=periods,
            values=[c.coded for c in counts],
            options=spc.SpcOptions(unit="month"),
        )
    except spc.SpcInputError as exc:
        return None, str(exc)
    svg = spc_chart_svg(
        result,
        title=f"Comments coded '{code.name}' each month",
        y_label="Comments",
        id_prefix=f"run-{code.pk}",
    )
    return svg, spc.summarise(result)


@login_required
def analysis(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    codes = selectors.codebook(project, blind=_blind(request, project))
    code = next((c for c in codes if c.pk == _int(request.GET.get("code"))), None)
    if code is None:
        code = max(codes, key=lambda c: c.n_codings, default=None)  # type: ignore[attr-defined]
    counts, chart, summary = [], None, ""
    if code is not None:
        counts = selectors.monthly_counts(project=project, code=code)
        if counts:
            chart, summary = _run_chart(counts, code)
    return render(
        request,
        "qualitative/analysis.html",
        _context(
            request,
            project,
            "analysis",
            codes=codes,
            code=code,
            counts=counts,
            chart=chart,
            summary=summary,
        ),
    )


@login_required
def cooccurrence(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    return render(
        request,
        "qualitative/cooccurrence.html",
        _context(request, project, "analysis", matrix=selectors.co_occurrence(project=project)),
    )


def _attribute(request: HttpRequest) -> str:
    value = request.GET.get("by", "respondent_type")
    return value if value in selectors.ATTRIBUTES else "respondent_type"


@login_required
def crosstab(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    attribute = _attribute(request)
    table = selectors.crosstab(project=project, attribute=attribute)
    return render(
        request,
        "qualitative/crosstab.html",
        _context(
            request,
            project,
            "analysis",
            table=table,
            rows=list(zip(table.row_labels, table.counts, strict=True)),
            attribute=attribute,
            attribute_label=selectors.ATTRIBUTES[attribute][0].lower(),
            attributes=[(key, label) for key, (label, _) in selectors.ATTRIBUTES.items()],
            threshold=gate.threshold(),
        ),
    )


@login_required
def crosstab_export(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The crosstab as CSV, through the disclosure-control gate (it may leave the system): data
    only, one header and a row per code, so that it loads into a spreadsheet, R or pandas as it
    is; the page that offers it states the rules."""
    project = _project(request, pk)
    attribute = _attribute(request)
    table = selectors.crosstab(project=project, attribute=attribute)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if not table.row_labels or not table.column_labels:
        writer.writerow(["Code"])
    else:
        protected = gate.protect(table.count_table())
        writer.writerow(["Code", *protected.column_labels])
        for label, row in zip(protected.row_labels, protected.text(), strict=True):
            writer.writerow([label, *row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="codes-by-{attribute}-{project.pk}.csv"'
    )
    return response


# --- assisted coding -----------------------------------------------------------------------------


@login_required
def assist(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    run = selectors.latest_run(project)
    codes = selectors.codes_in_order(project)
    code = next((c for c in codes if c.pk == _int(request.GET.get("code"))), None)
    page = None
    themes: list[Any] = []
    if run is not None and run.status == run.Status.DONE:
        paginator = Paginator(
            selectors.pending_suggestions(run=run, code=code), SUGGESTIONS_PER_PAGE
        )
        page = paginator.get_page(request.GET.get("page"))
        themes = selectors.candidate_themes(run)
    methods = services.available_methods()
    _log_source_text(request, project, "Suggested codings")
    return render(
        request,
        "qualitative/assist.html",
        _context(
            request,
            project,
            "assist",
            run=run,
            page=page,
            themes=themes,
            codes=codes,
            code=code,
            train_form=forms.TrainForm(methods=methods),
            embeddings_missing=len(methods) == 1,
            theme_form=forms.ThemeNameForm(project=project),
            query=f"code={code.pk}" if code else "",
        ),
    )


@login_required
@require_POST
def assist_train(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = _project(request, pk, CHANGE)
    form = forms.TrainForm(request.POST, methods=services.available_methods())
    if not form.is_valid():
        messages.error(request, "Choose how the suggestions should be learned.")
    else:
        try:
            services.suggestion_run_start(
                project=project, method=form.cleaned_data["method"], by=request.user
            )
        except QualitativeError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, "Learning from your coding has started; this page shows its progress."
            )
    return redirect("qualitative:assist", project.pk)


@login_required
@require_POST
def suggestions_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = _project(request, pk, CHANGE)
    action = request.POST.get("action", "")
    if ":" in action:  # a button for one suggestion: "accept:12" or "reject:12"
        action, _, one = action.partition(":")
        ids = [_int(one)]
    else:
        ids = [_int(v) for v in request.POST.getlist("suggestion")]
    chosen = list(
        Suggestion.objects.filter(
            pk__in=[i for i in ids if i], run__project=project
        ).select_related("segment", "code")
    )
    if action not in ("accept", "reject") or not chosen:
        messages.error(request, "Choose at least one suggestion, then accept or reject.")
    else:
        result = services.suggestions_decide(
            suggestions=chosen, accept=action == "accept", by=request.user
        )
        if action == "accept":
            messages.success(
                request, f"{_counted(result.added, 'comment')} coded from suggestions."
            )
        else:
            messages.success(request, f"{_counted(len(chosen), 'suggestion')} rejected.")
    back = reverse("qualitative:assist", args=[project.pk])
    query = request.POST.get("query", "")
    return redirect(f"{back}?{query}" if query else back)


@login_required
@require_POST
def theme_name(request: AuthenticatedRequest, pk: int, theme_pk: int) -> HttpResponse:
    project = _project(request, pk, CHANGE)
    theme = get_object_or_404(CandidateTheme, pk=theme_pk, run__project=project)
    form = forms.ThemeNameForm(request.POST, project=project)
    if not form.is_valid():
        messages.error(request, "Name the theme, or choose an existing code for it.")
    else:
        try:
            code, n = services.theme_name(
                theme=theme,
                name=form.cleaned_data["name"],
                code=form.cleaned_data["code"],
                by=request.user,
            )
        except QualitativeError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                f"Theme named '{code.name}': {n} comments are suggested for it below, for you "
                "to accept or reject.",
            )
            return redirect(f"{reverse('qualitative:assist', args=[project.pk])}?code={code.pk}")
    return redirect("qualitative:assist", project.pk)


# --- quotes --------------------------------------------------------------------------------------


@login_required
def quotes(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    visible = selectors.visible_codings(projects=[project], blind=_blind(request, project))
    listed = (
        project.quotes.filter(coding__in=visible)
        .select_related("coding__code", "coding__source")
        .order_by("status", "-created_at")
    )
    _log_source_text(request, project, "Quote bank")
    return render(
        request,
        "qualitative/quotes.html",
        _context(request, project, "quotes", quotes=listed),
    )


@login_required
@require_POST
def quote_add(request: AuthenticatedRequest, pk: int, coding_pk: int) -> HttpResponse:
    project = _project(request, pk, CHANGE)
    coding = _coding(request, project, coding_pk)
    try:
        quote = services.quote_add(coding=coding, by=request.user)
    except QualitativeError as exc:
        messages.error(request, str(exc))
        return redirect("qualitative:coding", project.pk, coding.pk)
    messages.success(request, "Added to the quote bank. Check the redaction, then confirm it.")
    return redirect(quote)


def _quote(request: AuthenticatedRequest, project: Project, quote_pk: int) -> Quote:
    """One of the project's quotes, unless its coding is hidden from the person by blind
    coding."""
    visible = selectors.visible_codings(projects=[project], blind=_blind(request, project))
    return get_object_or_404(
        Quote.objects.select_related("coding__code", "coding__source", "confirmed_by"),
        pk=quote_pk,
        project=project,
        coding__in=visible,
    )


@login_required
def quote(request: AuthenticatedRequest, pk: int, quote_pk: int) -> HttpResponse:
    project = _project(request, pk)
    quote = _quote(request, project, quote_pk)
    can_change = request.user.has_perm(CHANGE, project)
    form = forms.QuoteForm(
        request.POST or None, initial={"redacted": quote.redacted, "note": quote.note}
    )
    if request.method == "POST":
        require(request, CHANGE, project)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if request.POST.get("action") == "confirm":
                    services.quote_confirm(
                        quote=quote,
                        redacted=data["redacted"],
                        note=data["note"],
                        checked=data["checked"],
                        by=request.user,
                    )
                    messages.success(request, "Quote confirmed for use in reports.")
                else:
                    services.quote_update(quote=quote, redacted=data["redacted"], note=data["note"])
                    messages.success(request, "Quote saved; it needs confirming again.")
            except services.QuoteTextError as exc:
                form.add_error("redacted", str(exc))
            except QualitativeError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect(quote)
    _log_source_text(request, project, "A quote and its extract")
    return render(
        request,
        "qualitative/quote.html",
        _context(
            request,
            project,
            "quotes",
            quote=quote,
            form=form if can_change else None,
            still_found=redact(quote.redacted).replacements,
        ),
    )


@login_required
@require_POST
def quote_delete(request: AuthenticatedRequest, pk: int, quote_pk: int) -> HttpResponse:
    project = _project(request, pk, CHANGE)
    quote = _quote(request, project, quote_pk)
    services.quote_delete(quote=quote)
    messages.success(request, "Quote removed from the quote bank (the coding stays).")
    return redirect("qualitative:quotes", project.pk)
