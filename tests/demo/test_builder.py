from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from scrutiny.accounts.models import Role, User
from scrutiny.demo import builder
from scrutiny.inspections.models import Evaluation, Inspection, Status
from scrutiny.publishing.models import ReportVersion

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_user_for_every_role_across_two_partnerships() -> None:
    builder.build()
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    slugs = set(
        User.objects.exclude(organisation__partnership=None).values_list(
            "organisation__partnership__slug", flat=True
        )
    )
    assert slugs == {"south-ayrshire", "east-ayrshire"}


def test_south_ayrshire_follows_the_seed_and_is_published() -> None:
    builder.build()
    inspection = Inspection.objects.get(partnership__slug="south-ayrshire")
    assert inspection.status == Status.PUBLISHED
    grades = sorted(
        grade or 0
        for grade in Evaluation.objects.filter(inspection=inspection).values_list(
            "grade", flat=True
        )
    )
    assert grades == [2, 2, 3, 3, 3, 3, 4, 4, 4]
    weak = set(
        Evaluation.objects.filter(inspection=inspection, grade=2).values_list(
            "qi__title", flat=True
        )
    )
    assert weak == {"Planning and improving services", "Leadership of improvement and change"}
    assert inspection.areas_for_improvement.count() == 5
    version = ReportVersion.objects.get(inspection=inspection)
    # Dated as published in 2016, as its status history is.
    assert timezone.localdate(version.published_at) == inspection.publication_date
    published = inspection.status_changes.get(to_status=Status.PUBLISHED)
    assert timezone.localdate(published.at) == inspection.publication_date
    # The report's figures are those of its fieldwork.
    assert (inspection.records_read, inspection.staff_survey_responses) == (100, 400)


def test_east_ayrshire_evidence_falls_between_notification_and_evaluation() -> None:
    builder.build()
    inspection = Inspection.objects.get(partnership__slug="east-ayrshire")
    days = list(inspection.evidence.values_list("date", flat=True))
    assert days and inspection.notification_date is not None
    assert all(inspection.notification_date <= day <= date(2026, 9, 7) for day in days)


def test_east_ayrshire_is_in_progress_and_ready_for_qa() -> None:
    from scrutiny.inspections.services import missing_for

    builder.build()
    inspection = Inspection.objects.get(partnership__slug="east-ayrshire")
    assert inspection.status == Status.EVALUATING
    assert missing_for(inspection, Status.QUALITY_ASSURANCE) == []


def test_building_twice_adds_nothing() -> None:
    builder.build()
    counts = (User.objects.count(), Inspection.objects.count(), ReportVersion.objects.count())
    builder.build()
    assert (
        User.objects.count(),
        Inspection.objects.count(),
        ReportVersion.objects.count(),
    ) == counts
