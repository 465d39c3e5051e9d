from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from scrutiny.accounts.access import AuthenticatedRequest, require
from scrutiny.inspections import selectors, services
from scrutiny.inspections.forms import (
    AreaForImprovementForm,
    EvaluationForm,
    EvidenceForm,
    FactualAccuracyCommentForm,
    FactualAccuracyResponseForm,
    GoodPracticeForm,
    InspectionCreateForm,
    InspectionEditForm,
    KeyStrengthForm,
    QASignOffForm,
    TeamMemberForm,
)
from scrutiny.inspections.models import (
    AreaForImprovement,
    EvidenceFile,
    EvidenceItem,
    FactualAccuracyComment,
    GoodPractice,
    Inspection,
    KeyStrength,
    Status,
    TeamMember,
)
from scrutiny.inspections.services import InspectionError, Upload
from scrutiny.inspections.structure import report_sections


def _inspection(request: HttpRequest, pk: int, permission: str) -> Inspection:
    inspection = get_object_or_404(
        Inspection.objects.select_related("partnership", "framework_version__framework"), pk=pk
    )
    require(request, permission, inspection)
    return inspection


def _linked_pages(request: HttpRequest, inspection: Inspection) -> dict[str, str]:
    """Pages of other apps that belong to this inspection, for its side navigation (by URL
    name and permission name only: inspections imports none of those apps)."""
    user = request.user
    pages: dict[str, str] = {}
    if user.has_perm("fieldwork.view_fieldwork", inspection):
        pages["fieldwork_url"] = reverse("fieldwork:overview", args=[inspection.pk])
    try:
        plan = inspection.action_plan
    except ObjectDoesNotExist:
        plan = None
    if plan is not None and user.has_perm("improvement.view_action_plan", plan):
        pages["plan_url"] = reverse("improvement:plan", args=[plan.pk])
    # The team's qualitative evidence: its first project, or where to start one.
    projects = getattr(inspection, "qualitative_projects", None)
    if projects is not None:
        visible = [
            p for p in projects.order_by("pk") if user.has_perm("qualitative.view_project", p)
        ]
        if visible:
            pages["qualitative_url"] = visible[0].get_absolute_url()
        elif user.has_perm("qualitative.add_inspection_project", inspection):
            pages["qualitative_url"] = reverse(
                "qualitative:inspection-project-create", args=[inspection.pk]
            )
    return pages


def _context(request: HttpRequest, inspection: Inspection, **extra: Any) -> dict[str, Any]:
    user = request.user
    return {
        "inspection": inspection,
        "can_change": user.has_perm("inspections.change_inspection", inspection),
        "can_lead": user.has_perm("inspections.lead_inspection", inspection),
        "can_see_work": user.has_perm("inspections.view_inspection_work", inspection),
        "can_view_draft": user.has_perm("inspections.view_draft", inspection),
        **_linked_pages(request, inspection),
        **extra,
    }


@login_required
def create(request: AuthenticatedRequest) -> HttpResponse:
    require(request, "inspections.create_inspection")
    form = InspectionCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = services.inspection_create(
                partnership=data["partnership"],
                title=data["title"],
                model=data["model"],
                lead_inspector=data["lead_inspector"],
                notification_date=data["notification_date"],
                by=request.user,
            )
        except InspectionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Inspection created.")
            return redirect("inspections:detail", inspection.pk)
    return render(request, "inspections/create.html", {"form": form})


@login_required
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "inspections.view_inspection")
    transition = services.next_transition(inspection)
    missing = services.missing_for(inspection, transition.target) if transition else []
    publish_missing = (
        services.missing_for(inspection, Status.PUBLISHED)
        if inspection.status == Status.FACTUAL_ACCURACY
        else []
    )
    return render(
        request,
        "inspections/detail.html",
        _context(
            request,
            inspection,
            transition=transition,
            missing=missing,
            publish_missing=publish_missing,
            timeline=selectors.inspection_timeline(inspection=inspection),
            team=selectors.team(inspection=inspection),
            status_changes=inspection.status_changes.select_related("by"),
        ),
    )


@login_required
def edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "inspections.change_inspection")
    form = InspectionEditForm(request.POST or None, instance=inspection)
    if request.method == "POST" and form.is_valid():
        try:
            services.inspection_update(
                inspection=inspection,
                **{name: form.cleaned_data[name] for name in form.changed_data},
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Inspection details saved.")
            return redirect("inspections:detail", inspection.pk)
    return render(request, "inspections/edit.html", _context(request, inspection, form=form))


@login_required
@require_POST
def advance(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "inspections.lead_inspection")
    try:
        inspection = services.inspection_advance(inspection=inspection, by=request.user)
    except InspectionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"The inspection is now at '{inspection.get_status_display()}'.")
    return redirect("inspections:detail", inspection.pk)


@login_required
def team_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "inspections.lead_inspection")
    form = TeamMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_member_add(inspection=inspection, **form.cleaned_data)
        except InspectionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Team member added.")
            return redirect("inspections:detail", inspection.pk)
    return render(request, "inspections/team_add.html", _context(request, inspection, form=form))


@login_required
@require_POST
def team_remove(request: AuthenticatedRequest, pk: int, member_pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "inspections.lead_inspection")
    member = get_object_or_404(TeamMember, pk=member_pk, inspection=inspection)
    try:
        services.team_member_remove(member=member)
    except InspectionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{member.name} removed from the team.")
    return redirect("inspections:detail", inspection.pk)


@login_required
@require_POST
def team_make_lead(request: AuthenticatedRequest, pk: int, member_pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "inspections.lead_inspection")
    member = get_object_or_404(TeamMember, pk=member_pk, inspection=inspection)
    try:
        services.team_lead_change(inspection=inspection, member=member)
    except InspectionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{member.name} is now the lead inspector.")
    return redirect("inspections:detail", inspection.pk)


# --- evidence --------------------------------------------------------------------------------


@login_required
def evidence(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "inspections.view_inspection_work")
    items = selectors.evidence_log(inspection=inspection)
    kind = request.GET.get("kind", "")
    if kind in EvidenceItem.Kind.values:
        items = items.filter(kind=kind)
    return render(
        request,
        "inspections/evidence.html",
        _context(request, inspection, items=items, kinds=EvidenceItem.Kind.choices, kind=kind),
    )


@login_required
def evidence_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "inspections.change_inspection")
    form = EvidenceForm(request.POST or None, request.FILES or None, inspection=inspection)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        uploads = [Upload(name=f.name, size=f.size, stream=f) for f in data["attachments"]]
        try:
            services.evidence_add(
                inspection=inspection,
                kind=data["kind"],
                date=data["date"],
                source=data["source"],
                summary=data["summary"],
                qis=data["qis"],
                by=request.user,
                uploads=uploads,
            )
        except InspectionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Evidence added to the log.")
            return redirect("inspections:evidence", inspection.pk)
    return render(
        request, "inspections/evidence_add.html", _context(request, inspection, form=form)
    )


@login_required
def evidence_file(request: AuthenticatedRequest, pk: int, file_pk: int) -> FileResponse:
    """Attachments are never served directly: only through this authorisation check."""
    inspection = _inspection(request, pk, "inspections.view_inspection_work")
    stored = get_object_or_404(EvidenceFile, pk=file_pk, evidence_item__inspection=inspection)
    return FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type,
    )


@login_required
@require_POST
def evidence_delete(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "inspections.change_inspection")
    item = get_object_or_404(EvidenceItem, pk=item_pk, inspection=inspection)
    try:
        services.evidence_delete(item=item)
    except InspectionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Evidence removed from the log.")
    return redirect("inspections:evidence", inspection.pk)


# --- evaluations and findings ----------------------------------------------------------------


@login_required
def evaluations(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "inspections.view_inspection_work")
    return render(
        request,
        "inspections/evaluations.html",
        _context(request, inspection, rows=selectors.evaluation_rows(inspection=inspection)),
    )


@login_required
def evaluation_edit(request: AuthenticatedRequest, pk: int, qi_pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "inspections.change_inspection")
    qi = get_object_or_404(inspection.evaluated_qis(), pk=qi_pk)
    current = inspection.evaluations.filter(qi=qi).first()
    initial = (
        {
            "grade": current.grade,
            "narrative": current.narrative,
            "evidence": current.evidence.all(),
        }
        if current
        else {"evidence": inspection.evidence.filter(qis=qi)}
    )
    form = EvaluationForm(request.POST or None, initial=initial, inspection=inspection)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.evaluation_save(
                inspection=inspection,
                qi=qi,
                grade=data["grade"],
                narrative=data["narrative"],
                evidence=data["evidence"],
                by=request.user,
            )
        except InspectionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Evaluation of '{qi.label}' saved.")
            return redirect("inspections:evaluations", inspection.pk)
    return render(
        request,
        "inspections/evaluation_edit.html",
        _context(
            request,
            inspection,
            form=form,
            qi=qi,
            qi_evidence=inspection.evidence.filter(qis=qi).order_by("date", "pk"),
        ),
    )


@login_required
def findings(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "inspections.view_inspection_work")
    return render(
        request,
        "inspections/findings.html",
        _context(
            request,
            inspection,
            strengths=inspection.key_strengths.all(),
            areas=inspection.areas_for_improvement.prefetch_related("qis"),
            practice=inspection.good_practice.all(),
            strength_form=KeyStrengthForm(prefix="strength"),
            area_form=AreaForImprovementForm(prefix="area", inspection=inspection),
            practice_form=GoodPracticeForm(prefix="practice"),
        ),
    )


def _finding_saved(request: HttpRequest, inspection: Inspection, action: Any) -> HttpResponse:
    try:
        action()
    except InspectionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Findings saved.")
    return redirect("inspections:findings", inspection.pk)


@login_required
@require_POST
def strength_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "inspections.change_inspection")
    form = KeyStrengthForm(request.POST, prefix="strength")
    if not form.is_valid():
        messages.error(request, "Write the key strength before adding it.")
        return redirect("inspections:findings", inspection.pk)
    return _finding_saved(
        request,
        inspection,
        lambda: services.key_strength_add(inspection=inspection, text=form.cleaned_data["text"]),
    )


@login_required
@require_POST
def strength_delete(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "inspections.change_inspection")
    strength = get_object_or_404(KeyStrength, pk=item_pk, inspection=inspection)
    return _finding_saved(
        request, inspection, lambda: services.key_strength_delete(strength=strength)
    )


@login_required
def area_edit(request: AuthenticatedRequest, pk: int, item_pk: int | None = None) -> HttpResponse:
    inspection = _inspection(request, pk, "inspections.change_inspection")
    area = (
        get_object_or_404(AreaForImprovement, pk=item_pk, inspection=inspection)
        if item_pk
        else None
    )
    initial = {"title": area.title, "text": area.text, "qis": area.qis.all()} if area else None
    form = AreaForImprovementForm(
        request.POST or None, prefix="area", initial=initial, inspection=inspection
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.area_for_improvement_save(
                inspection=inspection,
                title=data["title"],
                text=data["text"],
                qis=data["qis"],
                area=area,
            )
        except InspectionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Area for improvement saved.")
            return redirect("inspections:findings", inspection.pk)
    return render(
        request, "inspections/area_edit.html", _context(request, inspection, form=form, area=area)
    )


@login_required
@require_POST
def area_delete(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "inspections.change_inspection")
    area = get_object_or_404(AreaForImprovement, pk=item_pk, inspection=inspection)
    return _finding_saved(
        request, inspection, lambda: services.area_for_improvement_delete(area=area)
    )


@login_required
@require_POST
def practice_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "inspections.change_inspection")
    form = GoodPracticeForm(request.POST, prefix="practice")
    if not form.is_valid():
        messages.error(request, "A good practice example needs a title and a description.")
        return redirect("inspections:findings", inspection.pk)
    return _finding_saved(
        request,
        inspection,
        lambda: services.good_practice_add(inspection=inspection, **form.cleaned_data),
    )


@login_required
@require_POST
def practice_delete(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "inspections.change_inspection")
    example = get_object_or_404(GoodPractice, pk=item_pk, inspection=inspection)
    return _finding_saved(
        request, inspection, lambda: services.good_practice_delete(example=example)
    )


# --- quality assurance and factual accuracy ----------------------------------------------------


@login_required
def quality_assurance(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "inspections.view_inspection_work")
    can_sign = request.user.has_perm("inspections.quality_assure", inspection)
    form = QASignOffForm(request.POST or None)
    if request.method == "POST":
        require(request, "inspections.quality_assure", inspection)
        if form.is_valid():
            try:
                services.qa_signoff_record(
                    inspection=inspection, by=request.user, **form.cleaned_data
                )
            except InspectionError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Your decision is recorded.")
                return redirect("inspections:quality-assurance", inspection.pk)
    return render(
        request,
        "inspections/quality_assurance.html",
        _context(
            request,
            inspection,
            panel=selectors.qa_panel(inspection=inspection),
            signoffs=inspection.qa_signoffs.select_related("by"),
            form=form,
            can_sign=can_sign
            and inspection.status == Status.QUALITY_ASSURANCE
            and services.qa_signed_off(inspection) is None,
        ),
    )


@login_required
def factual_accuracy(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, "inspections.view_factual_accuracy")
    sections = [(s.key, s.heading) for s in report_sections(inspection)]
    can_comment = request.user.has_perm("inspections.comment_factual_accuracy", inspection)
    form = FactualAccuracyCommentForm(request.POST or None, sections=sections)
    if request.method == "POST":
        require(request, "inspections.comment_factual_accuracy", inspection)
        if form.is_valid():
            try:
                services.factual_accuracy_comment_add(
                    inspection=inspection, by=request.user, **form.cleaned_data
                )
            except InspectionError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Comment sent to the inspection team.")
                return redirect("inspections:factual-accuracy", inspection.pk)
    # A comment may name a section the report no longer has (good practice examples removed).
    titles = {s.key: s.heading for s in report_sections(inspection, keep_empty=True)} | dict(
        sections
    )
    comments = [
        (c, titles.get(c.section, c.section))
        for c in inspection.factual_accuracy_comments.select_related("by", "responded_by")
    ]
    return render(
        request,
        "inspections/factual_accuracy.html",
        _context(
            request,
            inspection,
            comments=comments,
            form=form,
            can_comment=can_comment and inspection.status == Status.FACTUAL_ACCURACY,
            response_form=FactualAccuracyResponseForm(),
            changes=selectors.draft_changes(inspection=inspection),
        ),
    )


@login_required
@require_POST
def factual_accuracy_respond(
    request: AuthenticatedRequest, pk: int, comment_pk: int
) -> HttpResponse:
    inspection = _inspection(request, pk, "inspections.change_inspection")
    comment = get_object_or_404(FactualAccuracyComment, pk=comment_pk, inspection=inspection)
    form = FactualAccuracyResponseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose accept or decline, and give a reason.")
    else:
        try:
            services.factual_accuracy_respond(
                comment=comment,
                accept=form.cleaned_data["response"] == FactualAccuracyComment.Response.ACCEPTED,
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except InspectionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Response recorded.")
    return redirect("inspections:factual-accuracy", inspection.pk)
