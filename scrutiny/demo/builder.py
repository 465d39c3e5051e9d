"""The synthetic demonstration data set: shared by the demo, local development and tests.

Every person, finding and number in it is invented. Each section is idempotent, so running the
demo again (or after an upgrade adds a section) only adds what is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from scrutiny.accounts.models import INSPECTORATE_NAME as INSPECTORATE
from scrutiny.accounts.models import LinkAssignment, Organisation, Role, User
from scrutiny.places.models import Partnership

DEMO_PASSWORD = "demo-scrutiny-2026"  # noqa: S105  (synthetic demo accounts, printed on purpose)
SOUTH_AYRSHIRE = "south-ayrshire"
EAST_AYRSHIRE = "east-ayrshire"


@dataclass(frozen=True)
class DemoUser:
    email: str
    full_name: str
    role: Role
    partnership: str | None  # slug, or None for the inspectorate


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin@inspectorate.example", "Alex Morgan", Role.ADMINISTRATOR, None),
    DemoUser("lead.inspector@inspectorate.example", "Morag Campbell", Role.LEAD_INSPECTOR, None),
    DemoUser("inspector@inspectorate.example", "Euan Fraser", Role.INSPECTOR, None),
    DemoUser("link.inspector@inspectorate.example", "Priya Shah", Role.LINK_INSPECTOR, None),
    DemoUser("link.inspector2@inspectorate.example", "Callum Stewart", Role.LINK_INSPECTOR, None),
    DemoUser("qa@inspectorate.example", "Fiona Reid", Role.QUALITY_ASSURANCE, None),
    DemoUser("lead@south-ayrshire.example", "Jamie Boyd", Role.PARTNERSHIP_LEAD, SOUTH_AYRSHIRE),
    DemoUser(
        "contributor@south-ayrshire.example", "Kirsty Wallace", Role.CONTRIBUTOR, SOUTH_AYRSHIRE
    ),
    DemoUser("viewer@south-ayrshire.example", "Ross McLean", Role.VIEWER, SOUTH_AYRSHIRE),
    DemoUser("lead@east-ayrshire.example", "Sana Iqbal", Role.PARTNERSHIP_LEAD, EAST_AYRSHIRE),
    DemoUser("contributor@east-ayrshire.example", "Daniel Hughes", Role.CONTRIBUTOR, EAST_AYRSHIRE),
    DemoUser("viewer@east-ayrshire.example", "Eilidh Grant", Role.VIEWER, EAST_AYRSHIRE),
)

Progress = Callable[[str], object]


def _quiet(message: str) -> None:
    return None


def organisation_for(partnership: Partnership | None) -> Organisation:
    if partnership is None:
        return Organisation.objects.get(kind=Organisation.Kind.INSPECTORATE, name=INSPECTORATE)
    return Organisation.objects.get(partnership=partnership)


def build_people() -> dict[str, User]:
    users: dict[str, User] = {}
    for spec in DEMO_USERS:
        partnership = Partnership.objects.get(slug=spec.partnership) if spec.partnership else None
        user = User.objects.filter(email=spec.email).first()
        if user is None:
            user = User.objects.create_user(
                spec.email,
                DEMO_PASSWORD,
                full_name=spec.full_name,
                role=spec.role,
                organisation=organisation_for(partnership),
            )
        users[spec.email] = user
    links = (
        ("link.inspector@inspectorate.example", SOUTH_AYRSHIRE),
        ("link.inspector2@inspectorate.example", EAST_AYRSHIRE),
    )
    for email, slug in links:
        partnership = Partnership.objects.get(slug=slug)
        if not LinkAssignment.objects.filter(inspector=users[email], partnership=partnership):
            LinkAssignment.objects.create(
                inspector=users[email],
                partnership=partnership,
                started_on=date(2015, 4, 1),
            )
    return users


SECTIONS: list[tuple[str, str]] = [
    ("people", "scrutiny.demo.builder:build_people"),
    ("published inspections for comparison", "scrutiny.demo.inspections:build_other_published"),
    ("South Ayrshire's published inspection", "scrutiny.demo.inspections:build_south_ayrshire"),
    ("East Ayrshire's inspection in progress", "scrutiny.demo.inspections:build_east_ayrshire"),
    ("fieldwork: returns, samples, record reading and surveys", "scrutiny.demo.fieldwork:build"),
    ("indicators with synthetic figures", "scrutiny.demo.indicators:build"),
    (
        "South Ayrshire's action plan and progress review",
        "scrutiny.demo.improvement:build_south_ayrshire",
    ),
    ("South Ayrshire's qualitative evidence", "scrutiny.demo.qualitative:build_south_ayrshire"),
]


def _resolve(target: str) -> Callable[[], object]:
    import importlib

    module_name, _, attr = target.partition(":")
    func: Callable[[], object] = getattr(importlib.import_module(module_name), attr)
    return func


def is_built() -> bool:
    return User.objects.filter(email=DEMO_USERS[0].email).exists()


def ensure_reference_data() -> None:
    """Council areas, organisations and frameworks, as the migrations load them (tests that
    flush the database call this before building the demo)."""
    from scrutiny.accounts.models import ensure_organisations
    from scrutiny.frameworks import loader
    from scrutiny.frameworks import models as framework_models
    from scrutiny.places.models import Area, AreaAlias
    from scrutiny.places.reference import load_reference

    load_reference(Area, AreaAlias, Partnership)
    ensure_organisations(Organisation, Partnership)
    loader.load_all(framework_models)


def build(progress: Progress = _quiet) -> None:
    """Build every section, each in its own transaction (a failure leaves earlier ones)."""
    with transaction.atomic():
        ensure_reference_data()
    for name, target in SECTIONS:
        progress(f"Building demonstration data: {name}…")
        with transaction.atomic():
            _resolve(target)()


def build_if_missing(progress: Progress = _quiet) -> bool:
    """Build whatever part of the demo is missing (a new section after an upgrade, say); every
    section skips what is already there. Say whether the demo was built from nothing."""
    fresh = not is_built()
    build(progress if fresh else _quiet)
    return fresh


def sign_in_text(*, port: int) -> str:
    lines = [
        "Demonstration data — not real children or real findings.",
        f"Open http://127.0.0.1:{port}/ and sign in as any of these (password: {DEMO_PASSWORD}):",
    ]
    width = max(len(u.email) for u in DEMO_USERS)
    for spec in DEMO_USERS:
        where = spec.partnership.replace("-", " ").title() if spec.partnership else INSPECTORATE
        lines.append(f"  {spec.email.ljust(width)}  {spec.role.label} ({where})")
    return "\n".join(lines)
