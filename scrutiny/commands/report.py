"""`scrutiny report …`: write a report as HTML or PDF, or list what can be reported."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from scrutiny.commands.setup import django_setup

report_app = typer.Typer(
    help="Write reports (HTML or PDF) from the command line.", no_args_is_help=True
)


class Format(StrEnum):
    html = "html"
    pdf = "pdf"


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(2)


@report_app.command("inspection")
def inspection_report(
    inspection_id: Annotated[
        int | None, typer.Argument(metavar="ID", help="The inspection's id (see --list).")
    ] = None,
    output_format: Annotated[Format, typer.Option("--format", help="html or pdf.")] = Format.pdf,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File to write.", dir_okay=False)
    ] = None,
    list_: Annotated[
        bool,
        typer.Option(
            "--list", help="Print one line per inspection: id, partnership, status, title."
        ),
    ] = False,
) -> None:
    """Write an inspection report. A published inspection gives its frozen, latest version;
    any other gives the current draft, marked as a draft."""
    django_setup()
    from scrutiny.inspections.models import Inspection
    from scrutiny.publishing import report
    from scrutiny.publishing.models import ReportVersion

    if list_:
        for inspection in Inspection.objects.select_related("partnership").order_by("pk"):
            fields = [
                str(inspection.pk),
                inspection.partnership.name,
                inspection.status,
                inspection.title,
            ]
            typer.echo("\t".join(field.replace("\t", " ") for field in fields))
        return
    if inspection_id is None:
        raise _fail("Give an inspection id (see `scrutiny report inspection --list`), or --list.")
    if output is None:
        raise _fail("Give the file to write with -o FILE.")
    found = Inspection.objects.filter(pk=inspection_id).first()
    if found is None:
        raise _fail(
            f"There is no inspection {inspection_id}: see `scrutiny report inspection --list`."
        )
    inspection = found
    version = (
        ReportVersion.objects.filter(inspection=inspection).order_by("-number").first()
        if inspection.is_published
        else None
    )
    if output_format == Format.pdf:
        data = (
            bytes(version.pdf)
            if version
            else report.render_pdf(report.render_document(inspection, draft=True))
        )
        output.write_bytes(data)
    else:
        if version is not None:
            html = report.render_document(
                inspection, draft=False, version=version.number, body=version.html
            )
        else:
            html = report.render_document(inspection, draft=True)
        output.write_text(html, encoding="utf-8")
    typer.echo(f"Wrote {output} ({output.stat().st_size:,} bytes).", err=True)


@report_app.command("progress-review")
def progress_review_report(
    review_id: Annotated[
        int | None, typer.Argument(metavar="ID", help="The progress review's id (see --list).")
    ] = None,
    output_format: Annotated[Format, typer.Option("--format", help="html or pdf.")] = Format.pdf,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File to write.", dir_okay=False)
    ] = None,
    list_: Annotated[
        bool,
        typer.Option(
            "--list", help="Print one line per progress review: id, partnership, status, title."
        ),
    ] = False,
) -> None:
    """Write a progress review report. A published review gives its frozen, latest version;
    any other gives the current draft, marked as a draft."""
    django_setup()
    from scrutiny.improvement.models import ProgressReview
    from scrutiny.publishing import progress_review as reports
    from scrutiny.publishing.report import render_pdf

    if list_:
        for review in ProgressReview.objects.select_related("partnership").order_by("pk"):
            fields = [str(review.pk), review.partnership.name, review.status, review.title]
            typer.echo("\t".join(field.replace("\t", " ") for field in fields))
        return
    if review_id is None:
        raise _fail(
            "Give a progress review id (see `scrutiny report progress-review --list`), or --list."
        )
    if output is None:
        raise _fail("Give the file to write with -o FILE.")
    found = ProgressReview.objects.filter(pk=review_id).first()
    if found is None:
        raise _fail(
            f"There is no progress review {review_id}: "
            "see `scrutiny report progress-review --list`."
        )
    review = found
    version = review.versions.order_by("-number").first() if review.is_published else None
    if output_format == Format.pdf:
        data = (
            bytes(version.pdf)
            if version
            else render_pdf(reports.render_document(review, draft=True))
        )
        output.write_bytes(data)
    else:
        if version is not None:
            html = reports.render_document(
                review, draft=False, version=version.number, body=version.html
            )
        else:
            html = reports.render_document(review, draft=True)
        output.write_text(html, encoding="utf-8")
    typer.echo(f"Wrote {output} ({output.stat().st_size:,} bytes).", err=True)
