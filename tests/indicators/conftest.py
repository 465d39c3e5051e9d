from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scrutiny.analysis.childlevel.synth import SynthParams, TrendAdjustment, synth_write


@pytest.fixture(scope="session")
def child_level_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Small synthetic child-level files: 3 councils (the first in code-list order), 8 years."""
    directory = tmp_path_factory.mktemp("child-level")
    synth_write(SynthParams(children=6_000, councils=3, years=8, last_year=2025, seed=3), directory)
    return directory


@pytest.fixture(scope="session")
def south_ayrshire_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """All 32 councils, South Ayrshire's 11-15s away from home falling from 2017."""
    directory = tmp_path_factory.mktemp("child-level-32")
    trend = TrendAdjustment("S12000028", "lac_away_11_15", 2017, 0.8)
    synth_write(
        SynthParams(children=40_000, years=10, last_year=2025, seed=7, trend=trend), directory
    )
    return directory


@pytest.fixture
def immediate_tasks(settings: Any) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }
