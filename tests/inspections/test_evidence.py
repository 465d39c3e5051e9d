from __future__ import annotations

import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from scrutiny.inspections import services
from scrutiny.inspections.models import EvidenceFile, EvidenceItem
from scrutiny.inspections.services import InspectionError, Upload
from tests.inspections import helpers

pytestmark = pytest.mark.django_db


def _upload(name: str, content: bytes) -> Upload:
    return Upload(name=name, size=len(content), stream=io.BytesIO(content))


def _add(inspection, lead, uploads):
    return services.evidence_add(
        inspection=inspection,
        kind=EvidenceItem.Kind.FOCUS_GROUP,
        date=date(2026, 3, 3),
        source="Focus group with young people",
        summary="What young people told us.",
        qis=list(inspection.evaluated_qis()[:2]),
        by=lead,
        uploads=uploads,
    )


def test_it_stores_attachments_privately_with_their_checksum() -> None:
    lead = helpers.lead_inspector()
    inspection = helpers.planned_inspection(lead)
    item = _add(inspection, lead, [_upload("notes.pdf", b"%PDF-1.7 notes")])
    stored = item.files.get()
    assert stored.original_name == "notes.pdf"
    assert stored.content_type == "application/pdf"
    assert len(stored.sha256) == 64
    assert stored.file.name.startswith(f"evidence/{inspection.pk}/")
    assert list(item.qis.all()) == list(inspection.evaluated_qis()[:2])


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ", "files of this type cannot be attached"),
        ("report.pdf", b"not a pdf at all", "does not look like a PDF file"),
        ("data.csv", b"a,b\x00\x00", "is not a text file"),
        ("empty.txt", b"", "is empty"),
    ],
)
def test_it_refuses_bad_attachments_and_saves_nothing(
    name: str, content: bytes, message: str
) -> None:
    lead = helpers.lead_inspector()
    inspection = helpers.planned_inspection(lead)
    good = _upload("fine.txt", b"fine")
    with pytest.raises(InspectionError, match=message):
        _add(inspection, lead, [good, _upload(name, content)])
    assert not EvidenceItem.objects.exists()
    assert not EvidenceFile.objects.exists()


def test_it_refuses_attachments_over_the_size_limit(settings) -> None:
    settings.SCRUTINY_MAX_UPLOAD_MB = 1
    lead = helpers.lead_inspector()
    inspection = helpers.planned_inspection(lead)
    big = _upload("big.txt", b"x" * (1024 * 1024 + 1))
    with pytest.raises(InspectionError, match="the limit is 1 MB"):
        _add(inspection, lead, [big])


def test_evidence_must_relate_to_a_quality_indicator() -> None:
    lead = helpers.lead_inspector()
    inspection = helpers.planned_inspection(lead)
    with pytest.raises(InspectionError, match="at least one quality indicator"):
        services.evidence_add(
            inspection=inspection,
            kind=EvidenceItem.Kind.OTHER,
            date=date(2026, 3, 3),
            source="x",
            summary="y",
            qis=[],
            by=lead,
        )


def test_the_upload_form_reports_a_wrong_file_type_by_name(cast) -> None:
    lead = helpers.lead_inspector()
    inspection = helpers.planned_inspection(lead)
    client = Client()
    client.force_login(lead)
    qi = helpers.first_qi(inspection)
    response = client.post(
        reverse("inspections:evidence-add", args=[inspection.pk]),
        {
            "kind": "document",
            "date": "2026-03-01",
            "source": "Plan",
            "summary": "Summary",
            "qis": [qi.pk],
            "attachments": [io.BytesIO(b"MZ binary")],
        },
    )
    assert response.status_code == 200
    assert "files of this type cannot be attached" in response.content.decode()
    assert not EvidenceItem.objects.exists()


def test_attachments_are_served_only_after_an_authorisation_check(cast) -> None:
    lead = helpers.lead_inspector()
    inspection = helpers.planned_inspection(lead)
    item = _add(inspection, lead, [_upload("notes.txt", b"private notes")])
    url = reverse("inspections:evidence-file", args=[inspection.pk, item.files.get().pk])
    team = Client()
    team.force_login(lead)
    response = team.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"private notes"  # type: ignore[attr-defined]
    assert "attachment" in response["Content-Disposition"]
    other = Client()
    other.force_login(cast.lead_b)
    assert other.get(url).status_code == 403
    partnership = Client()
    partnership.force_login(cast.lead_a)
    assert partnership.get(url).status_code == 403
    assert Client().get(url).status_code == 302


def test_evidence_dated_in_the_future_is_refused() -> None:
    """
    Given an inspection
    When evidence dated tomorrow is logged
    Then it is refused, saying the date is in the future, and nothing is saved
    """
    from datetime import timedelta

    from django.utils import timezone

    lead = helpers.lead_inspector()
    inspection = helpers.planned_inspection(lead)
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(InspectionError, match="is in the future"):
        services.evidence_add(
            inspection=inspection,
            kind=EvidenceItem.Kind.OTHER,
            date=tomorrow,
            source="x",
            summary="y",
            qis=list(inspection.evaluated_qis()[:1]),
            by=lead,
        )
    assert not EvidenceItem.objects.exists()
