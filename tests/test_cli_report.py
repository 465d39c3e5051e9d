from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from scrutiny.accounts.models import Role
from scrutiny.cli import app
from scrutiny.inspections.models import Status
from tests import factories

pytestmark = pytest.mark.django_db
runner = CliRunner()


def test_list_prints_one_tab_separated_line_per_inspection() -> None:
    first = factories.inspection("south-ayrshire", status=Status.EVALUATING)
    second = factories.inspection("east-ayrshire", status=Status.PLANNED, title="Title\twith tab")
    result = runner.invoke(app, ["report", "inspection", "--list"])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"{first.pk}\tSouth Ayrshire Community Planning Partnership\tevaluating\t{first.title}",
        f"{second.pk}\tEast Ayrshire Community Planning Partnership\tplanned\tTitle with tab",
    ]


def test_it_writes_a_draft_pdf_and_html(tmp_path: Path) -> None:
    inspection = factories.inspection(status=Status.EVALUATING, context="Context for the CLI.")
    pdf = tmp_path / "report.pdf"
    result = runner.invoke(
        app, ["report", "inspection", str(inspection.pk), "--format", "pdf", "-o", str(pdf)]
    )
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes().startswith(b"%PDF")
    pages = PdfReader(pdf).pages
    assert len(pages) > 2
    for page in pages:  # a loose page still says it is a draft
        text = page.extract_text()
        assert "DRAFT: not for publication" in text
    assert "joint inspection report (draft)" in pages[-1].extract_text()
    html = tmp_path / "report.html"
    result = runner.invoke(
        app, ["report", "inspection", str(inspection.pk), "--format", "html", "-o", str(html)]
    )
    assert result.exit_code == 0
    text = html.read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>")
    assert "Context for the CLI." in text
    assert "Draft report — not for publication." in text


def test_a_published_inspection_gives_its_frozen_version(tmp_path: Path) -> None:
    from scrutiny.publishing.models import ReportVersion

    inspection = factories.inspection(status=Status.PUBLISHED)
    lead = factories.user(Role.LEAD_INSPECTOR)
    ReportVersion.objects.create(
        inspection=inspection,
        number=1,
        html="<p>Frozen words</p>",
        pdf=b"%PDF-frozen",
        published_by=lead,
    )
    out = tmp_path / "r.pdf"
    assert (
        runner.invoke(app, ["report", "inspection", str(inspection.pk), "-o", str(out)]).exit_code
        == 0
    )
    assert out.read_bytes() == b"%PDF-frozen"
    html = tmp_path / "r.html"
    runner.invoke(
        app, ["report", "inspection", str(inspection.pk), "--format", "html", "-o", str(html)]
    )
    assert "<p>Frozen words</p>" in html.read_text(encoding="utf-8")


def test_unknown_ids_and_missing_output_are_explained(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "inspection", "999999", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2
    assert "There is no inspection 999999" in result.stderr
    result = runner.invoke(app, ["report", "inspection", "1"])
    assert result.exit_code == 2
    assert "Give the file to write with -o FILE." in result.stderr


def test_young_people_writes_the_version_for_children_and_young_people(tmp_path: Path) -> None:
    from scrutiny.publishing.models import ReportVersion

    draft = factories.inspection(
        status=Status.EVALUATING, young_people_working_well="Staff listen to us."
    )
    html = tmp_path / "young.html"
    args = ["report", "inspection", str(draft.pk), "--young-people", "--format", "html"]
    result = runner.invoke(app, [*args, "-o", str(html)])
    assert result.exit_code == 0, result.output
    text = html.read_text(encoding="utf-8")
    assert "<li>Staff listen to us.</li>" in text and "Draft — not for publication." in text
    assert "What we found in" in text

    published = factories.inspection(status=Status.PUBLISHED)
    version = ReportVersion.objects.create(
        inspection=published,
        number=1,
        html="<p>Frozen words</p>",
        pdf=b"%PDF-frozen",
        published_by=factories.user(Role.LEAD_INSPECTOR),
    )
    out = tmp_path / "young.pdf"
    args = ["report", "inspection", str(published.pk), "--young-people", "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "published without a version for children and young people" in result.stderr
    ReportVersion.objects.filter(pk=version.pk).update(
        young_html="<p>Frozen for young people</p>", young_pdf=b"%PDF-young"
    )
    assert runner.invoke(app, args).exit_code == 0
    assert out.read_bytes() == b"%PDF-young"
    html = tmp_path / "young-published.html"
    args = ["report", "inspection", str(published.pk), "--young-people", "--format", "html"]
    assert runner.invoke(app, [*args, "-o", str(html)]).exit_code == 0
    text = html.read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>") and "<p>Frozen for young people</p>" in text
    assert "Draft" not in text and text.count("<h1>") == 1


def test_a_file_that_cannot_be_written_is_explained(tmp_path: Path) -> None:
    inspection = factories.inspection(status=Status.EVALUATING)
    target = tmp_path / "missing-folder" / "report.html"
    result = runner.invoke(
        app, ["report", "inspection", str(inspection.pk), "--format", "html", "-o", str(target)]
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{target}: cannot be written (No such file or directory)."
    assert not target.exists()


def test_list_with_an_id_is_refused_rather_than_ignored() -> None:
    inspection = factories.inspection(status=Status.EVALUATING)
    result = runner.invoke(app, ["report", "inspection", "--list", str(inspection.pk)])
    assert result.exit_code == 2
    assert "Give either --list or an id with -o FILE, not both" in result.stderr
    assert result.stdout == ""


def test_a_database_without_its_tables_is_explained(tmp_path: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "scrutiny.cli", "report", "progress-review", "--list"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "SCRUTINY_DATA_DIR": str(tmp_path)},
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "The database is not set up or not up to date: run `scrutiny manage migrate` "
        "(or `scrutiny demo --no-serve` for the demonstration data)."
    ]
