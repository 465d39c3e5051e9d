"""Progress review reports: building, rendering and publishing. As for inspection reports, one
set of templates (``publishing/progress_review/``) makes both the web page and the PDF, and
publishing freezes the HTML and PDF; a correction publishes a new version with a note.

Judgements are words on the progress scale and actions are listed by name with their status.
The one count it carries is of the comments coded with a theme cited as evidence, which passes
the disclosure-control gate (``qualitative.selectors.theme_evidence``), with the theme's
confirmed quotes: redacted, and attributed to a kind of respondent, never a child."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone

from scrutiny.accounts.models import User
from scrutiny.analysis.rag import Rag
from scrutiny.improvement import services as improvement_services
from scrutiny.improvement.models import (
    Action,
    ProgressLevel,
    ProgressReview,
    ProgressReviewVersion,
)
from scrutiny.improvement.registry import source_for
from scrutiny.improvement.selectors import review_findings
from scrutiny.publishing.charts import as_data_uri
from scrutiny.publishing.progress_chart import ProgressBar, progress_alt_text, progress_chart_svg
from scrutiny.publishing.report import render_pdf
from scrutiny.qualitative.models import Code
from scrutiny.qualitative.selectors import theme_evidence

SECTIONS = (
    ("introduction", "1.", "Introduction"),
    ("method", "2.", "How we carried out the review"),
    ("progress", "3.", "Progress on each area for improvement"),
    ("conclusion", "4.", "Conclusion"),
    ("next-steps", "5.", "What happens next"),
)


class ProgressPublishingError(Exception):
    pass


def published_version(*, review_pk: int, number: int | None = None) -> ProgressReviewVersion:
    """A published version (the latest when ``number`` is None); 404 for anything unpublished."""
    versions = ProgressReviewVersion.objects.select_related(
        "review__partnership__area", "review__inspection"
    ).filter(review_id=review_pk, review__status=ProgressReview.Status.PUBLISHED)
    found = (
        versions.filter(number=number).first()
        if number is not None
        else versions.order_by("-number").first()
    )
    if found is None:
        raise Http404("No published progress review")
    return found


def _as_at(review: ProgressReview) -> date:
    return review.publication_date or timezone.localdate()


def _status(action: Action, as_at: date) -> Rag:
    return action.derived_rag(today=as_at)


def review_context(
    review: ProgressReview,
    *,
    draft: bool,
    version: int | None = None,
    corrections: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    as_at = _as_at(review)
    levels = list(ProgressLevel.objects.order_by("order"))
    steps = {level.pk: len(levels) - index for index, level in enumerate(levels)}
    findings = review_findings(review=review)
    actions_by_area: dict[int, list[dict[str, Any]]] = {}
    actions = (
        Action.objects.filter(plan__inspection=review.inspection, start_date__lte=as_at)
        .prefetch_related("milestones", "areas")
        .order_by("number")
    )
    for action in actions:
        status = _status(action, as_at)
        for area in action.areas.all():
            actions_by_area.setdefault(area.pk, []).append({"action": action, "status": status})
    items: list[dict[str, Any]] = []
    for finding in findings:
        evidence = []
        for link in finding.evidence_links.all():
            target = link.target
            label = link.label
            if isinstance(target, Action):
                label = (
                    f"Action {target.number}: {target.title} "
                    f"({_status(target, as_at).label.lower()})"
                )
            elif target is not None and (source := source_for(target)) is not None:
                # As the object is described now (the label was its description when linked).
                label = source.describe(target)[:300]
            # A coded theme is cited with its count of comments (through the gate) and quotes.
            theme = theme_evidence(code=target) if isinstance(target, Code) else None
            evidence.append({"label": label, "note": link.note, "theme": theme})
        items.append(
            {
                "finding": finding,
                "area": finding.area,
                "level": finding.level,
                "actions": actions_by_area.get(finding.area_id, []),
                "evidence": evidence,
            }
        )
    bars = [
        ProgressBar(
            label=f"{item['area'].number}. {item['area'].title}",
            steps=steps.get(item["level"].pk) if item["level"] else None,
            judgement=item["level"].label if item["level"] else "Not judged",
        )
        for item in items
    ]
    title = f"Progress: {review.partnership.area.name}"
    team = list(review.team.all())
    plan = getattr(review.inspection, "action_plan", None)
    return {
        "review": review,
        "inspection": review.inspection,
        "partnership": review.partnership,
        "plan": plan,
        "draft": draft,
        "version": version,
        "corrections": corrections or [],
        "sections": {key.replace("-", "_"): f"{number} {name}" for key, number, name in SECTIONS},
        "section_list": [(key, f"{number} {name}") for key, number, name in SECTIONS],
        "items": items,
        "levels": levels,
        "as_at": as_at,
        "team": team,
        "scrutiny_bodies": sorted({member.scrutiny_body for member in team}),
        "chart_uri": as_data_uri(
            progress_chart_svg(bars, levels=[lvl.label for lvl in reversed(levels)], title=title)
        ),
        "chart_alt": progress_alt_text(bars),
        "chart_title": title,
        "demo_mode": settings.SCRUTINY_DEMO or review.is_demonstration,
        "generated": timezone.now(),
    }


def render_body(review: ProgressReview, **options: Any) -> str:
    return render_to_string(
        "publishing/progress_review/body.html", review_context(review, **options)
    )


def render_document(review: ProgressReview, *, body: str | None = None, **options: Any) -> str:
    """A standalone HTML document: the PDF's source and the HTML export. ``body`` is a frozen
    body from a published version; otherwise it is rendered now."""
    context = review_context(review, **options)
    context["body"] = (
        body
        if body is not None
        else render_to_string("publishing/progress_review/body.html", context)
    )
    return render_to_string("publishing/progress_review/document.html", context)


def _freeze(review: ProgressReview, *, by: User, note: str) -> ProgressReviewVersion:
    number = (review.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    corrections = [
        {"number": v.number, "published_at": v.published_at, "note": v.correction_note}
        for v in review.versions.exclude(correction_note="")
    ]
    if note:
        corrections.append({"number": number, "published_at": timezone.now(), "note": note})
    options: dict[str, Any] = {"draft": False, "version": number, "corrections": corrections}
    return ProgressReviewVersion.objects.create(
        review=review,
        number=number,
        html=render_body(review, **options),
        pdf=render_pdf(render_document(review, **options)),
        published_by=by,
        correction_note=note,
    )


@transaction.atomic
def progress_review_publish(
    *, review: ProgressReview, by: User, publication_date: date | None = None
) -> ProgressReviewVersion:
    review = improvement_services.progress_review_mark_published(
        review=review, by=by, publication_date=publication_date
    )
    return _freeze(review, by=by, note="")


@transaction.atomic
def progress_review_correct(
    *, review: ProgressReview, by: User, note: str
) -> ProgressReviewVersion:
    """Publish the review as it now stands, as a new version carrying ``note``."""
    review = ProgressReview.objects.select_for_update().get(pk=review.pk)
    if review.status != ProgressReview.Status.PUBLISHED:
        raise ProgressPublishingError("Only a published progress review can be corrected.")
    if not note.strip():
        raise ProgressPublishingError(
            "Say what the correction changes: the note is shown to readers."
        )
    return _freeze(review, by=by, note=note.strip())
