from __future__ import annotations

from django.db.models import Prefetch

from scrutiny.inspections.models import Inspection, Status
from scrutiny.places.models import Partnership


def partnerships_with_published_work() -> list[Partnership]:
    """Every partnership, each with only its published inspections attached."""
    published = Inspection.objects.filter(status=Status.PUBLISHED).order_by("-publication_date")
    return list(
        Partnership.objects.prefetch_related(
            Prefetch("inspections", queryset=published, to_attr="published_inspections")
        )
    )
