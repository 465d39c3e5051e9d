"""The default progress scale is data: its migration loads it and can be undone."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from scrutiny.improvement.models import ProgressLevel
from scrutiny.improvement.scale import DEFAULT_LEVELS

pytestmark = pytest.mark.django_db

migration = importlib.import_module("scrutiny.improvement.migrations.0002_default_progress_scale")


def _labels() -> list[str]:
    return list(ProgressLevel.objects.order_by("order").values_list("label", flat=True))


def test_the_scale_migration_runs_forwards_and_backwards() -> None:
    defaults = [label for _, label, _ in DEFAULT_LEVELS]
    assert _labels() == defaults  # the test database was migrated forwards
    migration.unload(apps, None)
    assert _labels() == []
    migration.load(apps, None)
    assert _labels() == defaults
    migration.load(apps, None)  # loading again changes nothing
    assert _labels() == defaults
