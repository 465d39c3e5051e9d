"""The objects the authorisation walk needs, built once per test."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.files.base import ContentFile

import tests
from scrutiny.accounts.models import Role
from scrutiny.frameworks.models import Framework, QualityIndicator
from scrutiny.inspections.models import (
    AreaForImprovement,
    EvidenceFile,
    EvidenceItem,
    FactualAccuracyComment,
    GoodPractice,
    Inspection,
    KeyStrength,
    Status,
    TeamMember,
)
from scrutiny.places.models import Partnership
from scrutiny.publishing.models import ReportVersion
from tests import factories
from tests.conftest import Cast


@dataclass
class World:
    cast: Cast
    partnership_a: Partnership
    partnership_b: Partnership
    inspection_a: Inspection  # evaluating; inspector_a on its team
    inspection_b: Inspection  # evaluating, in partnership B
    published_a: Inspection  # published, in partnership A, with a frozen report
    qi_a: QualityIndicator  # evaluated in inspection_a
    evidence_a: EvidenceItem
    evidence_file_a: EvidenceFile
    assessor_a: TeamMember
    strength_a: KeyStrength
    area_a: AreaForImprovement
    practice_a: GoodPractice
    comment_a: FactualAccuracyComment
    framework: Framework

    def __getattr__(self, name: str) -> Any:
        # Objects added by an app's tests/<app>/world.py are plain attributes; this only
        # runs for a name nobody set, to say so clearly.
        raise AttributeError(f"The test world has no {name!r}: add it in tests/<app>/world.py")


def _extensions() -> list[Callable[[World], None]]:
    """Each app may add objects in ``tests/<app>/world.py`` with ``extend(world)``."""
    found = []
    for module in pkgutil.iter_modules(tests.__path__):
        if module.ispkg:
            try:
                extension = importlib.import_module(f"tests.{module.name}.world")
            except ModuleNotFoundError:
                continue
            found.append(extension.extend)
    return found


def build_world(cast: Cast) -> World:
    world = _build_base(cast)
    for extend in _extensions():
        extend(world)
    return world


def _build_base(cast: Cast) -> World:
    lead = factories.user(Role.LEAD_INSPECTOR)
    inspection_a = factories.inspection(
        "south-ayrshire",
        status=Status.EVALUATING,
        team=((lead, "lead_inspector"), (cast.inspector_a, "inspector")),
    )
    assessor = TeamMember.objects.create(
        inspection=inspection_a, name="An assessor", role="associate_assessor"
    )
    qi = inspection_a.evaluated_qis().first()
    assert qi is not None
    evidence = EvidenceItem.objects.create(
        inspection=inspection_a,
        kind=EvidenceItem.Kind.DOCUMENT,
        date=date(2026, 2, 1),
        source="A document",
        summary="What it says",
        created_by=lead,
    )
    evidence.qis.add(qi)
    stored = EvidenceFile(
        evidence_item=evidence,
        original_name="notes.txt",
        content_type="text/plain",
        size=5,
        sha256="0",
    )
    stored.file.save("notes.txt", ContentFile(b"notes"), save=False)
    stored.save()
    area = AreaForImprovement.objects.create(inspection=inspection_a, number=1, title="T", text="X")
    area.qis.add(qi)
    inspection_b = factories.inspection("east-ayrshire", status=Status.EVALUATING)
    published_a = factories.inspection(
        "south-ayrshire",
        status=Status.PUBLISHED,
        notification_date=date(2016, 4, 4),
        publication_date=date(2016, 9, 1),
    )
    ReportVersion.objects.create(
        inspection=published_a,
        number=1,
        html="<p>Frozen report</p>",
        pdf=b"%PDF-1.7",
        published_by=lead,
        young_html="<p>Frozen report for children and young people</p>",
        young_pdf=b"%PDF-1.7",
    )
    return World(
        cast=cast,
        partnership_a=factories.partnership("south-ayrshire"),
        partnership_b=factories.partnership("east-ayrshire"),
        inspection_a=inspection_a,
        inspection_b=inspection_b,
        published_a=published_a,
        qi_a=qi,
        evidence_a=evidence,
        evidence_file_a=stored,
        assessor_a=assessor,
        strength_a=KeyStrength.objects.create(inspection=inspection_a, order=1, text="Strong"),
        area_a=area,
        practice_a=GoodPractice.objects.create(inspection=inspection_a, title="G", text="P"),
        comment_a=FactualAccuracyComment.objects.create(
            inspection=inspection_a, section="context", comment="Fix", by=cast.lead_a
        ),
        framework=Framework.objects.get(slug="hwawitl-2014"),
    )
