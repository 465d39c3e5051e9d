from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from scrutiny.accounts.access import AuthenticatedRequest, require
from scrutiny.accounts.models import LinkAssignment
from scrutiny.improvement import selectors, services
from scrutiny.improvement.forms import (
    ActionForm,
    AssignmentForm,
    ConcernForm,
    ContactForm,
    DoneForm,
    EndAssignmentForm,
    FindingForm,
    LevelForm,
    LinkForm,
    MilestoneForm,
    NoteForm,
    OverrideForm,
    PlanReviewForm,
    ResolveForm,
    ReviewCreateForm,
    ReviewEditForm,
    ReviewTeamForm,
    SignOffForm,
    SupportForm,
    UpdateForm,
)
from scrutiny.improvement.models import (
    Action,
    ActionMeasure,
    ActionPlan,
    ActionUpdateFile,
    Concern,
    Contact,
    FindingEvidence,
    Milestone,
    MonitoringNote,
    ProgressFinding,
    ProgressLevel,
    ProgressReview,
)
from scrutiny.improvement.registry import EVIDENCE, MEASURE, link_source
from scrutiny.improvement.services import ImprovementError
from scrutiny.inspections.models import Inspection
from scrutiny.inspections.services import Upload
from scrutiny.places.models import Partnership

# --- fetching objects through the rules ---------------------------------------------------------


def _plan(request: HttpRequest, pk: int, permission: str) -> ActionPlan:
    plan = get_object_or_404(
        ActionPlan.objects.select_related("inspection", "partnership__area"), pk=pk
    )
    require(request, permission, plan)
    return plan


def _milestone(request: HttpRequest, pk: int, permission: str) -> Milestone:
    milestone = get_object_or_404(
        Milestone.objects.select_related("action__plan__partnership"), pk=pk
    )
    require(request, permission, milestone.action)
    return milestone


def _action(request: HttpRequest, pk: int, permission: str) -> Action:
    action = get_object_or_404(
        Action.objects.select_related(
            "plan__inspection", "plan__partnership__area", "owner_user"
        ).prefetch_related("milestones", "areas"),
        pk=pk,
    )
    require(request, permission, action)
    return action


def _partnership(request: HttpRequest, slug: str, permission: str) -> Partnership:
    partnership = get_object_or_404(Partnership.objects.select_related("area"), slug=slug)
    require(request, permission, partnership)
    return partnership


def _review(request: HttpRequest, pk: int, permission: str) -> ProgressReview:
    review = get_object_or_404(
        ProgressReview.objects.select_related("inspection", "partnership__area"), pk=pk
    )
    require(request, permission, review)
    return review


def _form_error(form: Any, exc: ImprovementError) -> None:
    """Show a service's refusal at the field it names, else above the form."""
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))


def _attempt(request: HttpRequest, work: Callable[[], Any], success: str) -> bool:
    try:
        work()
    except ImprovementError as exc:
        messages.error(request, str(exc))
        return False
    messages.success(request, success)
    return True


# --- action plans ------------------------------------------------------------------------------


@login_required
@require_POST
def plan_start(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = get_object_or_404(Inspection, pk=pk)
    require(request, "improvement.change_action_plan", inspection)
    try:
        plan = services.action_plan_start(inspection=inspection, by=request.user)
    except ImprovementError as exc:
        messages.error(request, str(exc))
        return redirect("frontend:partnership", inspection.partnership.slug)
    messages.success(request, "Action plan started: add its actions, then submit it.")
    return redirect("improvement:plan", plan.pk)


def _plan_context(request: HttpRequest, plan: ActionPlan, **extra: Any) -> dict[str, Any]:
    user = request.user
    return {
        "plan": plan,
        "inspection": plan.inspection,
        "partnership": plan.partnership,
        "can_change": user.has_perm("improvement.change_action_plan", plan) and plan.is_editable,
        "can_review": user.has_perm("improvement.review_action_plan", plan)
        and plan.status == ActionPlan.Status.SUBMITTED,
        **extra,
    }


@login_required
def plan_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk, "improvement.view_action_plan")
    actions = selectors.plan_actions(plan=plan)
    missing = services.plan_missing(plan) if plan.is_editable else []
    return render(
        request,
        "improvement/plan.html",
        _plan_context(
            request,
            plan,
            actions=actions,
            summary=selectors.summarise(actions),
            missing=missing,
            events=plan.events.select_related("by"),
            review_form=PlanReviewForm(),
        ),
    )


@login_required
@require_POST
def plan_submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk, "improvement.change_action_plan")
    _attempt(
        request,
        lambda: services.action_plan_submit(plan=plan, by=request.user),
        "The plan is submitted to the link inspector.",
    )
    return redirect("improvement:plan", plan.pk)


@login_required
@require_POST
def plan_review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk, "improvement.review_action_plan")
    form = PlanReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose to accept the plan or return it with comments.")
        return redirect("improvement:plan", plan.pk)
    accept = form.cleaned_data["decision"] == "accept"
    _attempt(
        request,
        lambda: services.action_plan_review(
            plan=plan, by=request.user, accept=accept, comments=form.cleaned_data["comments"]
        ),
        "The plan is accepted." if accept else "The plan is returned to the partnership.",
    )
    return redirect("improvement:plan", plan.pk)


@login_required
def action_edit(
    request: AuthenticatedRequest, pk: int | None = None, action_pk: int | None = None
) -> HttpResponse:
    action = None
    if action_pk is not None:
        action = _action(request, action_pk, "improvement.change_action_plan")
        plan = action.plan
    else:
        assert pk is not None
        plan = _plan(request, pk, "improvement.change_action_plan")
    context = {"plan": plan, "action": action, "inspection": plan.inspection}
    locked = services.plan_locked_reason(plan)
    if locked is not None:
        return render(
            request, "improvement/action_edit.html", {**context, "form": None, "locked": locked}
        )
    initial = None
    if action is not None:
        initial = {
            "title": action.title,
            "description": action.description,
            "areas": action.areas.all(),
            "owner_user": action.owner_user,
            "owner_name": action.owner_name,
            "owner_email": action.owner_email,
            "lead_agency": action.lead_agency,
            "start_date": action.start_date,
            "due_date": action.due_date,
            "stated_measure": action.stated_measure,
        }
    form = ActionForm(request.POST or None, initial=initial, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.action_save(plan=plan, action=action, **form.cleaned_data)
        except ImprovementError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"Action {saved.number} saved.")
            return redirect("improvement:plan", plan.pk)
    return render(request, "improvement/action_edit.html", {**context, "form": form})


@login_required
@require_POST
def action_delete(request: AuthenticatedRequest, action_pk: int) -> HttpResponse:
    action = _action(request, action_pk, "improvement.change_action_plan")
    _attempt(
        request,
        lambda: services.action_delete(action=action),
        f"Action {action.number} removed. The other actions keep their numbers.",
    )
    return redirect("improvement:plan", action.plan_id)


@login_required
def action_detail(request: AuthenticatedRequest, action_pk: int) -> HttpResponse:
    action = _action(request, action_pk, "improvement.view_action_plan")
    return _action_page(request, action)


def _action_page(
    request: AuthenticatedRequest, action: Action, milestone_form: MilestoneForm | None = None
) -> HttpResponse:
    """The action's page; with a milestone form that was refused, it shows the problems at
    their fields and keeps what was typed."""
    user = request.user
    plan = action.plan
    return render(
        request,
        "improvement/action.html",
        {
            "action": action,
            "plan": plan,
            "inspection": plan.inspection,
            "history": selectors.action_history(action=action),
            "measures": action.measures.prefetch_related("target"),
            "can_change": user.has_perm("improvement.change_action_plan", action)
            and plan.is_editable,
            "can_update": user.has_perm("improvement.update_action", action)
            and plan.first_submitted_on is not None,
            "can_override": user.has_perm("improvement.override_status", action),
            "milestone_form": milestone_form or MilestoneForm(prefix="milestone"),
            "done_form": DoneForm(prefix="done"),
        },
    )


@login_required
@require_POST
def milestone_add(request: AuthenticatedRequest, action_pk: int) -> HttpResponse:
    action = _action(request, action_pk, "improvement.change_action_plan")
    locked = services.plan_locked_reason(action.plan)
    if locked is not None:  # the action's page offers no milestone form to show it on
        messages.error(request, locked)
        return redirect("improvement:action", action.pk)
    form = MilestoneForm(request.POST, prefix="milestone")
    if form.is_valid():
        try:
            services.milestone_add(action=action, **form.cleaned_data)
        except ImprovementError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Milestone added.")
            return redirect("improvement:action", action.pk)
    return _action_page(request, action, milestone_form=form)


@login_required
def milestone_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    milestone = _milestone(request, pk, "improvement.change_action_plan")
    action = milestone.action
    context = {"milestone": milestone, "action": action, "plan": action.plan}
    locked = services.plan_locked_reason(action.plan)
    if locked is not None:
        return render(
            request, "improvement/milestone_edit.html", {**context, "form": None, "locked": locked}
        )
    form = MilestoneForm(
        request.POST or None,
        initial={"title": milestone.title, "due_date": milestone.due_date},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_change(milestone=milestone, **form.cleaned_data)
        except ImprovementError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"Milestone '{milestone.title}' changed.")
            return redirect("improvement:action", action.pk)
    return render(request, "improvement/milestone_edit.html", {**context, "form": form})


@login_required
@require_POST
def milestone_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    milestone = _milestone(request, pk, "improvement.change_action_plan")
    _attempt(
        request,
        lambda: services.milestone_remove(milestone=milestone),
        f"Milestone '{milestone.title}' removed.",
    )
    return redirect("improvement:action", milestone.action_id)


@login_required
@require_POST
def milestone_done(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    milestone = _milestone(request, pk, "improvement.update_action")
    form = DoneForm(request.POST, prefix="done")
    if not form.is_valid():
        problem = " ".join(str(error) for error in form.errors.get("done_on", []))
        messages.error(request, f"Date done: {problem or 'give the date the milestone was done.'}")
    else:
        _attempt(
            request,
            lambda: services.milestone_mark_done(
                milestone=milestone, done_on=form.cleaned_data["done_on"]
            ),
            f"Milestone '{milestone.title}' marked done.",
        )
    return redirect("improvement:action", milestone.action_id)


@login_required
def update_add(request: AuthenticatedRequest, action_pk: int) -> HttpResponse:
    action = _action(request, action_pk, "improvement.update_action")
    form = UpdateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        uploads = [Upload(name=f.name, size=f.size, stream=f) for f in data["attachments"]]
        try:
            services.action_update_add(
                action=action,
                date=data["date"],
                narrative=data["narrative"],
                complete=data["complete"],
                by=request.user,
                uploads=uploads,
            )
        except ImprovementError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Update added to the action's history.")
            return redirect("improvement:action", action.pk)
    return render(
        request,
        "improvement/update_add.html",
        {"action": action, "plan": action.plan, "inspection": action.plan.inspection, "form": form},
    )


@login_required
def update_file(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """Attachments are never served directly: only through this authorisation check."""
    stored = get_object_or_404(
        ActionUpdateFile.objects.select_related("update__action__plan"), pk=pk
    )
    require(request, "improvement.view_action_plan", stored.update.action)
    return FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type,
    )


@login_required
def status_override(request: AuthenticatedRequest, action_pk: int) -> HttpResponse:
    action = _action(request, action_pk, "improvement.override_status")
    form = OverrideForm(
        request.POST or None,
        initial={"rag": action.rag_override, "reason": action.rag_override_reason},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_status_override(
                action=action,
                rag=form.cleaned_data["rag"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ImprovementError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Status saved.")
            return redirect("improvement:action", action.pk)
    return render(
        request,
        "improvement/status_override.html",
        {"action": action, "plan": action.plan, "inspection": action.plan.inspection, "form": form},
    )


def _resolve_target(value: str, purpose: str) -> Any:
    key, _, pk = value.partition(":")
    source = link_source(key, purpose)
    if source is None or not pk.isdigit():
        raise ImprovementError("Choose something to link from the list.")
    app_label, model_name = key.split(".")
    model = apps.get_model(app_label, model_name)
    obj = model.objects.filter(pk=int(pk)).first()
    if obj is None:
        raise ImprovementError("That object no longer exists.")
    return obj


@login_required
def measure_choose(request: AuthenticatedRequest, action_pk: int) -> HttpResponse:
    """The generic chooser for an action's measures (indicators, qualitative themes…)."""
    action = _action(request, action_pk, "improvement.update_action")
    groups = selectors.chooser_candidates(purpose=MEASURE, partnership=action.plan.partnership)
    form = LinkForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        try:
            obj = _resolve_target(form.cleaned_data["target"], MEASURE)
            services.measure_link_add(
                action=action, obj=obj, note=form.cleaned_data["note"], by=request.user
            )
        except ImprovementError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Measure linked.")
            return redirect("improvement:action", action.pk)
    return render(
        request,
        "improvement/choose.html",
        {
            "what": "measure",
            "heading": f"Link a measure to action {action.number}",
            "action": action,
            "plan": action.plan,
            "inspection": action.plan.inspection,
            "groups": groups,
            "has_candidates": any(g.options for g in groups),
            "links": action.measures.prefetch_related("target"),
            "remove_url_name": "improvement:measure-remove",
            "form": form,
        },
    )


@login_required
@require_POST
def measure_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(ActionMeasure.objects.select_related("action__plan"), pk=pk)
    require(request, "improvement.update_action", link.action)
    _attempt(request, lambda: services.measure_link_remove(link=link), "Measure unlinked.")
    return redirect("improvement:action", link.action_id)


# --- link-inspector monitoring -----------------------------------------------------------------


@login_required
def monitoring(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug, "improvement.view_monitoring")
    return render(
        request,
        "improvement/monitoring.html",
        {
            "partnership": partnership,
            "overview": selectors.monitoring_overview(partnership=partnership),
            "can_change": request.user.has_perm("improvement.change_monitoring", partnership),
            "can_create_review": request.user.has_perm(
                "improvement.create_progress_review", partnership
            ),
            "reviewable": selectors.reviewable_inspections(partnership=partnership),
            # Monitoring readers are not all on a review's team: each review says whether this
            # user may open it (else its published version, or its title only).
            "reviews": [
                (review, request.user.has_perm("improvement.view_progress_review", review))
                for review in ProgressReview.objects.filter(partnership=partnership)
            ],
        },
    )


def _monitoring_form(
    request: AuthenticatedRequest,
    slug: str,
    *,
    form_class: Any,
    save: Callable[[Partnership, dict[str, Any]], Any],
    heading: str,
    success: str,
    form_kwargs: Callable[[Partnership], dict[str, Any]] | None = None,
    initial: dict[str, Any] | None = None,
) -> HttpResponse:
    partnership = _partnership(request, slug, "improvement.change_monitoring")
    extra = form_kwargs(partnership) if form_kwargs else {}
    form = form_class(request.POST or None, initial=initial, **extra)
    if request.method == "POST" and form.is_valid():
        try:
            save(partnership, form.cleaned_data)
        except ImprovementError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, success)
            return redirect("improvement:monitoring", partnership.slug)
    return render(
        request,
        "improvement/monitoring_form.html",
        {"partnership": partnership, "form": form, "heading": heading},
    )


@login_required
def contact_add(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    return _monitoring_form(
        request,
        slug,
        form_class=ContactForm,
        save=lambda p, data: services.contact_add(partnership=p, by=request.user, **data),
        heading="Log a contact",
        success="Contact logged.",
    )


@login_required
def contact_change(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact.objects.select_related("partnership"), pk=pk)
    return _monitoring_form(
        request,
        contact.partnership.slug,
        form_class=ContactForm,
        save=lambda p, data: services.contact_change(contact=contact, **data),
        heading=f"Change the contact of {contact.date.day} {contact.date:%B %Y}",
        success="Contact changed.",
        initial={
            "date": contact.date,
            "kind": contact.kind,
            "participants": contact.participants,
            "notes": contact.notes,
        },
    )


@login_required
def note_add(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    return _monitoring_form(
        request,
        slug,
        form_class=NoteForm,
        save=lambda p, data: services.monitoring_note_add(partnership=p, by=request.user, **data),
        heading="Add a monitoring note",
        success="Monitoring note added.",
        form_kwargs=lambda p: {"partnership": p},
    )


@login_required
def note_change(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(MonitoringNote.objects.select_related("partnership"), pk=pk)
    return _monitoring_form(
        request,
        note.partnership.slug,
        form_class=NoteForm,
        save=lambda p, data: services.monitoring_note_change(note=note, **data),
        heading=f"Change the monitoring note of {note.date.day} {note.date:%B %Y}",
        success="Monitoring note changed.",
        form_kwargs=lambda p: {"partnership": p},
        initial={"area": note.area_id, "date": note.date, "text": note.text},
    )


@login_required
def concern_add(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    return _monitoring_form(
        request,
        slug,
        form_class=ConcernForm,
        save=lambda p, data: services.concern_raise(partnership=p, by=request.user, **data),
        heading="Record a concern",
        success="Concern recorded.",
    )


@login_required
def support_add(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    return _monitoring_form(
        request,
        slug,
        form_class=SupportForm,
        save=lambda p, data: services.support_offer_add(partnership=p, by=request.user, **data),
        heading="Record support offered",
        success="Support recorded.",
    )


@login_required
def concern_resolve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    concern = get_object_or_404(Concern.objects.select_related("partnership__area"), pk=pk)
    require(request, "improvement.change_monitoring", concern)
    form = ResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_resolve(concern=concern, **form.cleaned_data)
        except ImprovementError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Concern resolved.")
            return redirect("improvement:monitoring", concern.partnership.slug)
    return render(
        request,
        "improvement/monitoring_form.html",
        {
            "partnership": concern.partnership,
            "form": form,
            "heading": f"Resolve the concern: {concern.title}",
        },
    )


@login_required
def timeline(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug, "improvement.view_timeline")
    internal = request.user.has_perm("improvement.view_monitoring", partnership)
    return render(
        request,
        "improvement/timeline.html",
        {
            "partnership": partnership,
            "events": selectors.partnership_timeline(partnership=partnership, internal=internal),
            "internal": internal,
        },
    )


@login_required
def assignments(request: AuthenticatedRequest) -> HttpResponse:
    require(request, "improvement.manage_link_assignments")
    form = AssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.link_assignment_add(**form.cleaned_data)
        except ImprovementError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Link inspector assigned.")
            return redirect("improvement:assignments")
    return render(
        request,
        "improvement/assignments.html",
        {
            "form": form,
            "assignments": LinkAssignment.objects.select_related(
                "inspector", "partnership"
            ).order_by("partnership__name", "-started_on"),
            "end_form": EndAssignmentForm(),
        },
    )


@login_required
@require_POST
def assignment_end(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(request, "improvement.manage_link_assignments")
    assignment = get_object_or_404(LinkAssignment, pk=pk)
    form = EndAssignmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the date the assignment ends.")
    else:
        _attempt(
            request,
            lambda: services.link_assignment_end(
                assignment=assignment, ended_on=form.cleaned_data["ended_on"]
            ),
            "Assignment ended.",
        )
    return redirect("improvement:assignments")


# --- progress reviews --------------------------------------------------------------------------


@login_required
def review_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = get_object_or_404(Inspection.objects.select_related("partnership__area"), pk=pk)
    require(request, "improvement.create_progress_review", inspection)
    form = ReviewCreateForm(
        request.POST or None,
        initial={
            "title": f"Progress review: {inspection.partnership.area.name}",
            "lead": request.user,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            review = services.progress_review_create(
                inspection=inspection, by=request.user, **form.cleaned_data
            )
        except ImprovementError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Progress review created.")
            return redirect("improvement:review", review.pk)
    return render(
        request, "improvement/review_create.html", {"inspection": inspection, "form": form}
    )


def _review_context(request: HttpRequest, review: ProgressReview, **extra: Any) -> dict[str, Any]:
    user = request.user
    locked = review.status in (
        ProgressReview.Status.QUALITY_ASSURANCE,
        ProgressReview.Status.SIGNED_OFF,
    )
    return {
        "review": review,
        "inspection": review.inspection,
        "partnership": review.partnership,
        "can_change": user.has_perm("improvement.change_progress_review", review) and not locked,
        "can_lead": user.has_perm("improvement.lead_progress_review", review),
        "can_qa": user.has_perm("improvement.quality_assure_progress_review", review),
        **extra,
    }


@login_required
def review_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    review = _review(request, pk, "improvement.view_progress_review")
    return render(
        request,
        "improvement/review.html",
        _review_context(
            request,
            review,
            findings=selectors.review_findings(review=review),
            team=review.team.select_related("user"),
            missing=services.progress_review_missing(review),
            signoffs=review.signoffs.select_related("by"),
            versions=review.versions.order_by("number"),
            signoff_form=SignOffForm(),
        ),
    )


@login_required
def review_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    review = _review(request, pk, "improvement.change_progress_review")
    form = ReviewEditForm(request.POST or None, instance=review)
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_review_update(
                review=ProgressReview.objects.get(pk=review.pk), **form.cleaned_data
            )
        except ImprovementError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Progress review saved.")
            return redirect("improvement:review", review.pk)
    return render(
        request, "improvement/review_edit.html", _review_context(request, review, form=form)
    )


@login_required
def review_team_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    review = _review(request, pk, "improvement.lead_progress_review")
    form = ReviewTeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_review_team_add(review=review, **form.cleaned_data)
        except ImprovementError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Team member added.")
            return redirect("improvement:review", review.pk)
    return render(
        request, "improvement/review_team_add.html", _review_context(request, review, form=form)
    )


@login_required
def finding_edit(request: AuthenticatedRequest, pk: int, finding_pk: int) -> HttpResponse:
    review = _review(request, pk, "improvement.change_progress_review")
    finding = get_object_or_404(
        ProgressFinding.objects.select_related("area", "level"), pk=finding_pk, review=review
    )
    form = FindingForm(
        request.POST or None, initial={"level": finding.level, "narrative": finding.narrative}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_finding_save(finding=finding, by=request.user, **form.cleaned_data)
        except ImprovementError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"Progress on area {finding.area.number} saved.")
            return redirect("improvement:review", review.pk)
    return render(
        request,
        "improvement/finding_edit.html",
        _review_context(
            request,
            review,
            form=form,
            finding=finding,
            actions=Action.objects.filter(areas=finding.area)
            .select_related("plan")
            .prefetch_related("milestones"),
            levels=ProgressLevel.objects.all(),
        ),
    )


@login_required
def evidence_choose(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The generic chooser for a finding's evidence."""
    finding = get_object_or_404(
        ProgressFinding.objects.select_related("review__partnership__area", "area"), pk=pk
    )
    review = finding.review
    require(request, "improvement.change_progress_review", review)
    groups = selectors.chooser_candidates(purpose=EVIDENCE, partnership=review.partnership)
    form = LinkForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        try:
            obj = _resolve_target(form.cleaned_data["target"], EVIDENCE)
            services.evidence_link_add(
                finding=finding, obj=obj, note=form.cleaned_data["note"], by=request.user
            )
        except ImprovementError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Evidence linked.")
            return redirect("improvement:evidence-choose", finding.pk)
    return render(
        request,
        "improvement/choose.html",
        {
            "what": "evidence",
            "heading": f"Evidence for area {finding.area.number}: {finding.area.title}",
            "review": review,
            "finding": finding,
            "inspection": review.inspection,
            "groups": groups,
            "has_candidates": any(g.options for g in groups),
            "links": finding.evidence_links.prefetch_related("target"),
            "remove_url_name": "improvement:evidence-remove",
            "form": form,
        },
    )


@login_required
@require_POST
def evidence_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(FindingEvidence.objects.select_related("finding__review"), pk=pk)
    require(request, "improvement.change_progress_review", link.finding.review)
    _attempt(request, lambda: services.evidence_link_remove(link=link), "Evidence unlinked.")
    return redirect("improvement:evidence-choose", link.finding_id)


@login_required
@require_POST
def review_submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    review = _review(request, pk, "improvement.lead_progress_review")
    _attempt(
        request,
        lambda: services.progress_review_submit(review=review, by=request.user),
        "The progress review is with quality assurance.",
    )
    return redirect("improvement:review", review.pk)


@login_required
@require_POST
def review_qa(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    review = _review(request, pk, "improvement.quality_assure_progress_review")
    form = SignOffForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose to sign off the review or return it to the team.")
    else:
        _attempt(
            request,
            lambda: services.progress_review_signoff(
                review=review, by=request.user, **form.cleaned_data
            ),
            "Your decision is recorded.",
        )
    return redirect("improvement:review", review.pk)


# --- the progress scale ------------------------------------------------------------------------


@login_required
def scale(request: AuthenticatedRequest) -> HttpResponse:
    require(request, "improvement.view_progress_scale")
    return render(
        request,
        "improvement/scale.html",
        {
            "levels": ProgressLevel.objects.all(),
            "can_change": request.user.has_perm("improvement.change_progress_scale"),
        },
    )


@login_required
def scale_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    require(request, "improvement.change_progress_scale")
    level = get_object_or_404(ProgressLevel, pk=pk) if pk is not None else None
    initial = (
        {"order": level.order, "label": level.label, "description": level.description}
        if level
        else {"order": (ProgressLevel.objects.count() + 1)}
    )
    form = LevelForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_level_save(level=level, **form.cleaned_data)
        except ImprovementError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Progress scale saved.")
            return redirect("improvement:scale")
    return render(request, "improvement/scale_edit.html", {"form": form, "level": level})
