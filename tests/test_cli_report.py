from __future__ import annotations

from pathlib import Path

import pytest
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
