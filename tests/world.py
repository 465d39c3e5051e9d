"""The objects the authorisation walk needs, built once per test."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from scrutiny.inspections.models import Inspection, Status
from tests import factories
from tests.conftest import Cast


@dataclass
class World:
    cast: Cast
    partnership_a: object
    partnership_b: object
    inspection_a: Inspection  # in progress, inspector_a on its team
    inspection_b: Inspection  # in progress, in partnership B
    published_a: Inspection  # published, in partnership A


def build_world(cast: Cast) -> World:
    inspection_a = factories.inspection(
        "south-ayrshire", status=Status.EVALUATING, team=((cast.inspector_a, "inspector"),)
    )
    inspection_b = factories.inspection("east-ayrshire", status=Status.EVALUATING)
    published_a = factories.inspection(
        "south-ayrshire",
        status=Status.PUBLISHED,
        notification_date=date(2016, 4, 4),
        publication_date=date(2016, 9, 1),
    )
    return World(
        cast=cast,
        partnership_a=factories.partnership("south-ayrshire"),
        partnership_b=factories.partnership("east-ayrshire"),
        inspection_a=inspection_a,
        inspection_b=inspection_b,
        published_a=published_a,
    )
