from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from scrutiny.accounts.models import Role, User
from scrutiny.inspections.models import Inspection, Status
from tests import factories


@dataclass
class Cast:
    """The people every view is tested with (after the healthchecks test cast)."""

    lead_a: User  # partnership lead of partnership A (South Ayrshire)
    viewer_a: User  # viewer in partnership A
    lead_b: User  # partnership lead of partnership B (East Ayrshire)
    inspector_a: User  # inspector on A's inspection
    link_a: User  # link inspector for A
    admin: User  # inspectorate administrator
    qa: User  # quality assurance

    def members(self) -> dict[str, User | None]:
        return {
            "lead_a": self.lead_a,
            "viewer_a": self.viewer_a,
            "lead_b": self.lead_b,
            "inspector_a": self.inspector_a,
            "link_a": self.link_a,
            "admin": self.admin,
            "qa": self.qa,
            "anonymous": None,
        }


@pytest.fixture
def cast(db: Any) -> Cast:
    link_a = factories.user(Role.LINK_INSPECTOR)
    factories.link(link_a, "south-ayrshire")
    return Cast(
        lead_a=factories.user(Role.PARTNERSHIP_LEAD, "south-ayrshire"),
        viewer_a=factories.user(Role.VIEWER, "south-ayrshire"),
        lead_b=factories.user(Role.PARTNERSHIP_LEAD, "east-ayrshire"),
        inspector_a=factories.user(Role.INSPECTOR),
        link_a=link_a,
        admin=factories.user(Role.ADMINISTRATOR),
        qa=factories.user(Role.QUALITY_ASSURANCE),
    )


@pytest.fixture
def inspection_a(cast: Cast) -> Inspection:
    return factories.inspection(
        "south-ayrshire", status=Status.EVALUATING, team=((cast.inspector_a, "inspector"),)
    )


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def as_user() -> Iterator[Any]:
    yield client_for


@pytest.fixture(autouse=True)
def _fast_password_hashing(request: pytest.FixtureRequest, settings: Any) -> None:
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher."""
    if "real_hashing" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_data_dir(settings: Any, tmp_path: Any) -> None:
    """Uploaded evidence goes to a temporary directory, never to the developer's var/."""
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture(autouse=True, scope="session")
def _static_root_exists() -> None:
    """WhiteNoise warns when the collected-static directory is missing (before collectstatic)."""
    from pathlib import Path

    from django.conf import settings

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
