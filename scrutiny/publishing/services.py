"""Publishing freezes a report: the HTML and PDF stored at publication are what the public sees,
until a correction publishes a new version with a visible note. The version for children and
young people, when the team has written one, is frozen with it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from scrutiny.accounts.models import User
from scrutiny.inspections import services as inspection_services
from scrutiny.inspections.models import Inspection, Status
from scrutiny.publishing.models import ReportVersion
from scrutiny.publishing.report import (
    render_body,
    render_document,
    render_pdf,
    render_young_body,
    render_young_document,
)


class PublishingError(Exception):
    pass


def _freeze(inspection: Inspection, *, by: User, note: str) -> ReportVersion:
    number = (
        ReportVersion.objects.filter(inspection=inspection)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
        or 0
    ) + 1
    corrections = [
        {"number": v.number, "published_at": v.published_at, "note": v.correction_note}
        for v in inspection.report_versions.exclude(correction_note="")
    ]
    if note:
        corrections.append({"number": number, "published_at": timezone.now(), "note": note})
    options: dict[str, Any] = {"draft": False, "version": number, "corrections": corrections}
    young_html, young_pdf = "", b""
    if inspection.has_young_peoples_version:
        young_html = render_young_body(inspection, draft=False, version=number)
        young_pdf = render_pdf(
            render_young_document(inspection, body=young_html, draft=False, version=number)
        )
    html = render_body(inspection, **options)
    return ReportVersion.objects.create(
        inspection=inspection,
        number=number,
        html=html,
        pdf=render_pdf(render_document(inspection, body=html, **options)),
        published_by=by,
        correction_note=note,
        young_html=young_html,
        young_pdf=young_pdf,
    )


@transaction.atomic
def inspection_publish(
    *, inspection: Inspection, by: User, on: date | None = None
) -> ReportVersion:
    """Publish today (or ``on``, for a report published before Scrutiny held it)."""
    inspection = inspection_services.inspection_mark_published(inspection=inspection, by=by, on=on)
    return _freeze(inspection, by=by, note="")


@transaction.atomic
def report_correct(*, inspection: Inspection, by: User, note: str) -> ReportVersion:
    """Publish the report as it now stands, as a new version carrying ``note``."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.status != Status.PUBLISHED:
        raise PublishingError("Only a published report can be corrected.")
    if not note.strip():
        raise PublishingError("Say what the correction changes: the note is shown to readers.")
    return _freeze(inspection, by=by, note=note.strip())
