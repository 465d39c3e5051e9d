from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from scrutiny.accounts.access import AuthenticatedRequest, require
from scrutiny.inspections.models import Inspection
from scrutiny.inspections.services import InspectionError
from scrutiny.publishing import compare, figures, report, selectors, services
from scrutiny.publishing.models import ReportVersion
from scrutiny.publishing.services import PublishingError


def partnerships(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "publishing/partnerships.html",
        {"partnerships": selectors.partnerships_with_published_work()},
    )


def partnership(request: HttpRequest, slug: str) -> HttpResponse:
    return render(
        request,
        "publishing/partnership.html",
        {"partnership": selectors.partnership_public(slug=slug)},
    )


def _report_page(
    request: HttpRequest, version: ReportVersion, *, pinned: bool = False
) -> HttpResponse:
    versions = version.inspection.report_versions.order_by("number")
    latest = versions.last()
    return render(
        request,
        "publishing/report.html",
        {
            "version": version,
            "inspection": version.inspection,
            "versions": versions,
            "is_latest": latest is not None and latest.pk == version.pk,
            "pinned": pinned,
        },
    )


def report_latest(request: HttpRequest, pk: int) -> HttpResponse:
    return _report_page(request, selectors.report_version(inspection_pk=pk))


def report_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    return _report_page(
        request, selectors.report_version(inspection_pk=pk, number=number), pinned=True
    )


def _pdf(version: ReportVersion) -> HttpResponse:
    name = slugify(
        f"{version.inspection.partnership.area.name} inspection report v{version.number}"
    )
    response = HttpResponse(bytes(version.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _pdf(selectors.report_version(inspection_pk=pk))


def report_version_pdf(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    return _pdf(selectors.report_version(inspection_pk=pk, number=number))


def _young_pdf(version: ReportVersion) -> HttpResponse:
    name = slugify(
        f"{version.inspection.partnership.area.name} report for children and young people "
        f"v{version.number}"
    )
    response = HttpResponse(bytes(version.young_pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


def _young_version(pk: int) -> ReportVersion:
    version = selectors.report_version(inspection_pk=pk)
    if not version.young_html:
        raise Http404("This report has no version for children and young people")
    return version


def young_people(request: HttpRequest, pk: int) -> HttpResponse:
    version = _young_version(pk)
    return render(
        request,
        "publishing/young.html",
        {"version": version, "inspection": version.inspection, "body": version.young_html},
    )


def young_people_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _young_pdf(_young_version(pk))


def _draft_inspection(request: HttpRequest, pk: int) -> Inspection:
    inspection = get_object_or_404(Inspection.objects.select_related("partnership__area"), pk=pk)
    require(request, "inspections.view_draft", inspection)
    return inspection


@login_required
def draft(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _draft_inspection(request, pk)
    body = report.render_body(inspection, draft=True)
    team = request.user.has_perm("inspections.change_inspection", inspection)
    return render(
        request,
        "publishing/draft.html",
        {
            "inspection": inspection,
            "body": body,
            "figure_checks": figures.figure_checks(inspection=inspection) if team else [],
        },
    )


@login_required
def draft_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _draft_inspection(request, pk)
    pdf = report.render_pdf(report.render_document(inspection, draft=True))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(
        f"{inspection.partnership.area.name} inspection report draft {timezone.localdate()}"
    )
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@login_required
def draft_young_people(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _draft_inspection(request, pk)
    return render(
        request,
        "publishing/young.html",
        {
            "inspection": inspection,
            "body": report.render_young_body(inspection, draft=True),
            "draft": True,
            "can_change": request.user.has_perm("inspections.change_inspection", inspection),
        },
    )


@login_required
def draft_young_people_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = _draft_inspection(request, pk)
    pdf = report.render_pdf(report.render_young_document(inspection, draft=True))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(
        f"{inspection.partnership.area.name} report for children and young people draft "
        f"{timezone.localdate()}"
    )
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@login_required
@require_POST
def publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = get_object_or_404(Inspection, pk=pk)
    require(request, "inspections.publish", inspection)
    try:
        services.inspection_publish(inspection=inspection, by=request.user)
    except InspectionError as exc:
        messages.error(request, str(exc))
        return redirect("inspections:detail", inspection.pk)
    messages.success(request, "The report is published and frozen.")
    return redirect("publishing:report", inspection.pk)


class CorrectionForm(forms.Form):
    note = forms.CharField(
        label="What the correction changes",
        help_text="Shown to readers at the top of the report and in the PDF.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


@login_required
def correct(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = get_object_or_404(Inspection.objects.select_related("partnership__area"), pk=pk)
    require(request, "inspections.publish", inspection)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.report_correct(
                inspection=inspection, by=request.user, note=form.cleaned_data["note"]
            )
        except PublishingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Version {version.number} of the report is published.")
            return redirect("publishing:report", inspection.pk)
    latest = selectors.report_version(inspection_pk=inspection.pk)
    current = report.render_body(
        inspection,
        draft=False,
        version=latest.number,
        corrections=[
            {"number": v.number, "published_at": v.published_at, "note": v.correction_note}
            for v in inspection.report_versions.exclude(correction_note="")
        ],
    )
    young = ""
    if inspection.has_young_peoples_version:
        young = report.render_young_body(inspection, draft=False, version=latest.number)
    return render(
        request,
        "publishing/correct.html",
        {
            "inspection": inspection,
            "form": form,
            "latest": latest,
            "changes": compare.changes(latest.html, current),
            "young_changes": compare.changes(latest.young_html, young),
        },
    )
