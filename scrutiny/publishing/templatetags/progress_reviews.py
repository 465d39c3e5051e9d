"""``{{ inspection|published_progress_reviews }}``: the published progress reviews that follow
an inspection, for the public partnership page."""

from __future__ import annotations

from django import template
from django.db.models import QuerySet

from scrutiny.improvement.models import ProgressReview
from scrutiny.inspections.models import Inspection

register = template.Library()


@register.filter
def published_progress_reviews(inspection: Inspection) -> QuerySet[ProgressReview]:
    return ProgressReview.objects.filter(
        inspection=inspection, status=ProgressReview.Status.PUBLISHED
    ).order_by("publication_date")
