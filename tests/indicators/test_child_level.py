from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from scrutiny.accounts.models import AccessLogEntry
from scrutiny.indicators.models import ChildLevelRun, Observation, Publication
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

FILES = ("looked_after", "child_protection", "population")


def _uploads(directory: Path, **replace: bytes) -> dict[str, Any]:
    return {
        name: SimpleUploadedFile(
            f"{name}.csv", replace.get(name) or (directory / f"{name}.csv").read_bytes()
        )
        for name in FILES
    }


def test_an_administrator_uploads_child_level_files_and_only_aggregates_are_kept(
    cast: Cast, as_user: Any, child_level_dir: Path, immediate_tasks: None
) -> None:
    response = as_user(cast.admin).post(
        "/indicators/imports/child-level/",
        {**_uploads(child_level_dir), "title": "Returns 2025", "vintage": "2025-10-01"},
        follow=True,
    )
    run = ChildLevelRun.objects.get()
    assert run.status == ChildLevelRun.Status.DONE, run.message
    assert "Stored" in response.text
    publication = run.publication
    assert publication is not None and publication.kind == Publication.Kind.CHILD_LEVEL
    # Three councils and Scotland, eight years, every indicator.
    assert (
        Observation.objects.filter(publication=publication, indicator__key="lac_total").count()
        == 32
    )
    assert not any((Path(settings.MEDIA_ROOT) / "child-level").iterdir())
    assert AccessLogEntry.objects.filter(user=cast.admin, what__contains="child-level").exists()


def test_refused_files_store_nothing_and_say_which_rows(
    cast: Cast, as_user: Any, child_level_dir: Path, immediate_tasks: None
) -> None:
    bad = b"council,year,population_0_17\nS12000999,2020,100\n"
    as_user(cast.admin).post(
        "/indicators/imports/child-level/",
        {**_uploads(child_level_dir, population=bad), "title": "Bad", "vintage": "2025-10-01"},
    )
    run = ChildLevelRun.objects.get()
    assert run.status == ChildLevelRun.Status.FAILED
    assert 'population.csv row 1: council "S12000999"' in run.message
    assert "Nothing was saved." in run.message
    assert not Publication.objects.exists()
    assert not any((Path(settings.MEDIA_ROOT) / "child-level").iterdir())
    page = as_user(cast.admin).get(f"/indicators/imports/child-level/{run.pk}/")
    assert "S12000999" in page.text
    assert AccessLogEntry.objects.filter(what__contains=f"upload {run.pk}").exists()


def test_only_administrators_may_upload_child_level_files(
    cast: Cast, as_user: Any, child_level_dir: Path
) -> None:
    for member in (cast.lead_a, cast.inspector_a, cast.link_a, cast.qa):
        response = as_user(member).post(
            "/indicators/imports/child-level/",
            {**_uploads(child_level_dir), "title": "T", "vintage": "2025-10-01"},
        )
        assert response.status_code == 403
    assert not ChildLevelRun.objects.exists()


def test_the_command_line_computes_and_stores_one_publication(child_level_dir: Path) -> None:
    out = StringIO()
    call_command(
        "indicators_load",
        "child-level",
        "--looked-after",
        str(child_level_dir / "looked_after.csv"),
        "--child-protection",
        str(child_level_dir / "child_protection.csv"),
        "--population",
        str(child_level_dir / "population.csv"),
        "--title",
        "Returns",
        "--vintage",
        "2025-10-01",
        stdout=out,
    )
    assert "Stored" in out.getvalue()
    assert Publication.objects.get().title == "Returns"


def test_the_command_line_refuses_a_bad_cube(tmp_path: Path) -> None:
    path = tmp_path / "cube.csv"
    path.write_text(
        "FeatureCode,DateCode,Measurement,Units,Value,Residential Status\n"
        "S12000028,2023,Count,N,x,All\n"
    )
    with pytest.raises(CommandError, match="row 1: Value 'x' is not a number"):
        call_command("indicators_load", "cube", str(path), "--title", "T")
    assert not Publication.objects.exists()


def test_rows_left_out_are_counted_on_the_publication_without_their_values(
    cast: Cast, as_user: Any, child_level_dir: Path, immediate_tasks: None
) -> None:
    population = (child_level_dir / "population.csv").read_bytes() + b"S12000999,2020,100\n"
    as_user(cast.admin).post(
        "/indicators/imports/child-level/",
        {
            **_uploads(child_level_dir, population=population),
            "title": "Returns",
            "vintage": "2025-10-01",
            "drop_invalid": "on",
        },
    )
    run = ChildLevelRun.objects.get()
    assert run.status == ChildLevelRun.Status.DONE, run.message
    assert run.publication is not None
    assert run.publication.note == "Left out 1 row with problems (population.csv 1)."
    assert "S12000999" in run.message
    assert "S12000999" not in run.publication.note
