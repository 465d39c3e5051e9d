"""The header's navigation: each person sees the sections their role may use."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from scrutiny.frontend.context_processors import shell
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def _labels(user: Any) -> list[str]:
    request = RequestFactory().get("/")
    request.user = user
    return [item.label for item in shell(request)["nav_items"]]


def test_the_administrator_reaches_every_administration_section(cast: Cast) -> None:
    labels = _labels(cast.admin)
    for section in ("Frameworks", "Indicators", "People", "Link inspectors", "Audit"):
        assert section in labels


def test_partnership_staff_see_their_partnership_and_no_administration(cast: Cast) -> None:
    labels = _labels(cast.lead_a)
    assert labels[:2] == ["Home", "Your partnership"]
    for section in ("Indicators", "People", "Link inspectors", "Audit", "New inspection"):
        assert section not in labels
