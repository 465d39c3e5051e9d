"""`scrutiny report …`: write a report as HTML or PDF, or list what can be reported."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import StrEnum
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated, Any

import typer

from scrutiny.commands.setup import django_setup, require_database

report_app = typer.Typer(
    help="Write reports (HTML or PDF) from the command line.", no_args_is_help=True
)


class Format(StrEnum):
    html = "html"
    pdf = "pdf"


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(2)


def _print_list(objects: Iterable[Any]) -> None:
    """One tab-separated line per report: id, partnership, status, title."""
    for obj in objects:
        fields = [str(obj.pk), obj.partnership.name, obj.status, obj.title]
        typer.echo("\t".join(field.replace("\t", " ") for field in fields))


def _check_arguments(
    identifier: int | None, output: Path | None, *, command: str, listing: bool
) -> tuple[int, Path] | None:
    """The id and file to write; None to list. Stops with one line when they do not fit."""
    if listing:
        if identifier is not None or output is not None:
            raise _fail(
                "Give either --list or an id with -o FILE, not both: "
                f"`scrutiny report {command} --list`."
            )
        return None
    if identifier is None:
        raise _fail(f"Give an id (see `scrutiny report {command} --list`), or --list.")
    if output is None:
        raise _fail("Give the file to write with -o FILE.")
    return identifier, output


def _write(
    output: Path,
    output_format: Format,
    *,
    frozen: Any,
    render_document: Callable[..., str],
    render_pdf: Callable[[str], bytes],
    subject: Any,
) -> None:
    """A published report's frozen version, or the current draft marked as a draft."""
    content: bytes
    if output_format == Format.pdf:
        if frozen is not None:
            content = bytes(frozen.pdf)
        else:
            content = render_pdf(render_document(subject, draft=True))
    elif frozen is not None:
        html = render_document(subject, draft=False, version=frozen.number, body=frozen.html)
        content = html.encode("utf-8")
    else:
        content = render_document(subject, draft=True).encode("utf-8")
    try:
        output.write_bytes(content)
    except OSError as exc:
        raise _fail(f"{output}: cannot be written ({exc.strerror or exc}).") from None
    typer.echo(f"Wrote {output} ({output.stat().st_size:,} bytes).", err=True)


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
    young_people: Annotated[
        bool,
        typer.Option(
            "--young-people",
            help="Write the short version for children and young people instead.",
        ),
    ] = False,
) -> None:
    """Write an inspection report. A published inspection gives its frozen, latest version;
    any other gives the current draft, marked as a draft."""
    django_setup()
    from scrutiny.inspections.models import Inspection
    from scrutiny.publishing import report
    from scrutiny.publishing.models import ReportVersion

    require_database()
    arguments = _check_arguments(inspection_id, output, command="inspection", listing=list_)
    if arguments is None:
        _print_list(Inspection.objects.select_related("partnership").order_by("pk"))
        return
    inspection_id, path = arguments
    inspection = Inspection.objects.filter(pk=inspection_id).first()
    if inspection is None:
        raise _fail(
            f"There is no inspection {inspection_id}: see `scrutiny report inspection --list`."
        )
    frozen: Any = (
        ReportVersion.objects.filter(inspection=inspection).order_by("-number").first()
        if inspection.is_published
        else None
    )
    if young_people:
        if frozen is not None and not frozen.young_html:
            raise _fail(
                f"Inspection {inspection_id}'s report was published without a version for "
                "children and young people."
            )
        frozen = (
            SimpleNamespace(number=frozen.number, html=frozen.young_html, pdf=frozen.young_pdf)
            if frozen is not None
            else None
        )
    _write(
        path,
        output_format,
        frozen=frozen,
        render_document=report.render_young_document if young_people else report.render_document,
        render_pdf=report.render_pdf,
        subject=inspection,
    )


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

    require_database()
    arguments = _check_arguments(review_id, output, command="progress-review", listing=list_)
    if arguments is None:
        _print_list(ProgressReview.objects.select_related("partnership").order_by("pk"))
        return
    review_id, path = arguments
    review = ProgressReview.objects.filter(pk=review_id).first()
    if review is None:
        raise _fail(
            f"There is no progress review {review_id}: "
            "see `scrutiny report progress-review --list`."
        )
    frozen = review.versions.order_by("-number").first() if review.is_published else None
    _write(
        path,
        output_format,
        frozen=frozen,
        render_document=reports.render_document,
        render_pdf=render_pdf,
        subject=review,
    )
