from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404

from scrutiny.inspections.models import Inspection, Status
from scrutiny.places.models import Partnership
from scrutiny.publishing.models import ReportVersion


def _published() -> QuerySet[Inspection]:
    """Published inspections, newest first, each with ``has_young_version``: its latest
    report version includes the version for children and young people."""
    latest = (  # within ``young``: the newest version of the same inspection
        ReportVersion.objects.filter(inspection=OuterRef("inspection"))
        .order_by("-number")
        .values("number")[:1]
    )
    young = ReportVersion.objects.filter(
        inspection=OuterRef("pk"), number=Subquery(latest)
    ).exclude(young_html="")
    return (
        Inspection.objects.filter(status=Status.PUBLISHED)
        .annotate(has_young_version=Exists(young))
        .order_by("-publication_date")
    )


def partnerships_with_published_work() -> list[Partnership]:
    """Every partnership, each with only its published inspections attached."""
    return list(
        Partnership.objects.select_related("area").prefetch_related(
            Prefetch("inspections", queryset=_published(), to_attr="published_inspections")
        )
    )


def partnership_public(*, slug: str) -> Partnership:
    try:
        return (
            Partnership.objects.select_related("area")
            .prefetch_related(
                Prefetch("inspections", queryset=_published(), to_attr="published_inspections")
            )
            .get(slug=slug)
        )
    except Partnership.DoesNotExist:
        raise Http404("No such partnership") from None


def report_version(*, inspection_pk: int, number: int | None = None) -> ReportVersion:
    """A published version (the latest when ``number`` is None); 404 for anything unpublished."""
    versions = ReportVersion.objects.select_related("inspection__partnership__area").filter(
        inspection_id=inspection_pk, inspection__status=Status.PUBLISHED
    )
    version = (
        versions.filter(number=number).first()
        if number is not None
        else versions.order_by("-number").first()
    )
    if version is None:
        raise Http404("No published report")
    return version
