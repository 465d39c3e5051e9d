"""Progress review reports: the public pages and PDFs of published versions, the draft for the
team, publishing and corrections."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from scrutiny.accounts.access import AuthenticatedRequest, require
from scrutiny.improvement.models import ProgressReview, ProgressReviewVersion
from scrutiny.improvement.services import ImprovementError
from scrutiny.publishing import progress_review as reports
from scrutiny.publishing.report import render_pdf
from scrutiny.publishing.views import CorrectionForm


def _page(
    request: HttpRequest, version: ProgressReviewVersion, *, pinned: bool = False
) -> HttpResponse:
    versions = version.review.versions.order_by("number")
    latest = versions.last()
    return render(
        request,
        "publishing/progress_review/page.html",
        {
            "version": version,
            "review": version.review,
            "versions": versions,
            "is_latest": latest is not None and latest.pk == version.pk,
            "pinned": pinned,
        },
    )


def review_latest(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, reports.published_version(review_pk=pk))


def review_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    return _page(request, reports.published_version(review_pk=pk, number=number), pinned=True)


def _pdf(version: ProgressReviewVersion) -> HttpResponse:
    name = slugify(f"{version.review.partnership.area.name} progress review v{version.number}")
    response = HttpResponse(bytes(version.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


def review_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _pdf(reports.published_version(review_pk=pk))


def review_version_pdf(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    return _pdf(reports.published_version(review_pk=pk, number=number))


def _review(request: HttpRequest, pk: int, permission: str) -> ProgressReview:
    review = get_object_or_404(
        ProgressReview.objects.select_related("partnership__area", "inspection"), pk=pk
    )
    require(request, permission, review)
    return review


@login_required
def review_draft(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    review = _review(request, pk, "improvement.view_progress_review")
    body = reports.render_body(review, draft=not review.is_published)
    return render(
        request, "publishing/progress_review/draft.html", {"review": review, "body": body}
    )


@login_required
def review_draft_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    review = _review(request, pk, "improvement.view_progress_review")
    pdf = render_pdf(reports.render_document(review, draft=not review.is_published))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(f"{review.partnership.area.name} progress review draft {timezone.localdate()}")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@login_required
@require_POST
def review_publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    review = _review(request, pk, "improvement.lead_progress_review")
    try:
        reports.progress_review_publish(review=review, by=request.user)
    except ImprovementError as exc:
        messages.error(request, str(exc))
        return redirect("improvement:review", review.pk)
    messages.success(request, "The progress review is published and frozen.")
    return redirect("publishing:progress-review", review.pk)


@login_required
def review_correct(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    review = _review(request, pk, "improvement.lead_progress_review")
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = reports.progress_review_correct(
                review=review, by=request.user, note=form.cleaned_data["note"]
            )
        except reports.ProgressPublishingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Version {version.number} of the review is published.")
            return redirect("publishing:progress-review", review.pk)
    return render(
        request, "publishing/progress_review/correct.html", {"review": review, "form": form}
    )
