"""Small builders for test data. Tests say what they need; these fill in the rest."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from scrutiny.accounts.models import LinkAssignment, Organisation, Role, User
from scrutiny.frameworks.models import Framework
from scrutiny.inspections.models import Inspection, Model, Status, TeamMember
from scrutiny.places.models import Partnership

PASSWORD = "correct-horse-battery-staple"
_serial = itertools.count(1)


def partnership(slug: str = "south-ayrshire") -> Partnership:
    return Partnership.objects.get(slug=slug)


def user(role: Role, partnership_slug: str | None = None, **extra: Any) -> User:
    n = next(_serial)
    if partnership_slug is None:
        organisation = Organisation.objects.get(kind=Organisation.Kind.INSPECTORATE)
    else:
        organisation = Organisation.objects.get(partnership__slug=partnership_slug)
    extra.setdefault("full_name", f"{role.label} {n}")
    return User.objects.create_user(
        extra.pop("email", f"{role.value}{n}@example.org"),
        PASSWORD,
        role=role,
        organisation=organisation,
        **extra,
    )


def link(inspector: User, slug: str) -> LinkAssignment:
    return LinkAssignment.objects.create(
        inspector=inspector, partnership=partnership(slug), started_on=date(2020, 1, 1)
    )


def inspection(
    slug: str = "south-ayrshire",
    *,
    status: Status = Status.EVALUATING,
    model: Model = Model.A,
    team: tuple[tuple[User, str], ...] = (),
    **extra: Any,
) -> Inspection:
    framework_slug = "hwawitl-2014" if model == Model.A else "care-and-protection-2018"
    place = partnership(slug)
    extra.setdefault("title", f"Joint inspection of services for children in {place.area.name}")
    extra.setdefault("notification_date", date(2026, 1, 12))
    created = Inspection.objects.create(
        partnership=place,
        model=model,
        framework_version=Framework.objects.get(slug=framework_slug).current_version,
        status=status,
        **extra,
    )
    for member, role in team:
        TeamMember.objects.create(inspection=created, user=member, name=member.full_name, role=role)
    return created
