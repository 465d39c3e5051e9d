"""Store indicator figures from the command line: child-level files (computed with DuckDB; the
rows themselves are never stored) or a statistics.gov.scot / data.gov.scot CSV.

    scrutiny manage indicators_load child-level --looked-after LA.csv \\
        --child-protection CP.csv --population POP.csv --title "Returns 2024-25"
    scrutiny manage indicators_load cube looked-after-children.csv --title "CSWS 2023-24"

Each run is one publication (vintage): a revision adds history instead of overwriting.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from scrutiny.indicators import services


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--vintage must be YYYY-MM-DD, not {text!r}.") from None


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True)
        child = kinds.add_parser("child-level", help="Compute from the three child-level files.")
        child.add_argument("--looked-after", type=Path, required=True)
        child.add_argument("--child-protection", type=Path, required=True)
        child.add_argument("--population", type=Path, required=True)
        child.add_argument("--drop-invalid", action="store_true")
        cube = kinds.add_parser("cube", help="A statistics.gov.scot or data.gov.scot CSV.")
        cube.add_argument("file", type=Path)
        for sub in (child, cube):
            sub.add_argument("--title", required=True, help="The publication's name.")
            sub.add_argument("--vintage", help="YYYY-MM-DD; default: today.")

    def handle(self, *args: Any, **options: Any) -> None:
        vintage = _date(options["vintage"]) if options["vintage"] else timezone.localdate()
        try:
            if options["kind"] == "cube":
                path: Path = options["file"]
                try:
                    content = path.read_bytes()
                except OSError as exc:
                    raise CommandError(f"{path}: cannot be read ({exc.strerror}).") from None
                publication = services.cube_import(
                    content=content,
                    file_name=path.name,
                    title=options["title"],
                    vintage=vintage,
                    by=None,
                )
            else:
                publication = self._child_level(options, vintage)
        except services.IndicatorError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Stored {publication.rows:,} values as {publication}.")

    def _child_level(self, options: dict[str, Any], vintage: date) -> Any:
        from scrutiny.analysis.childlevel.compute import YearsError, indicators_compute
        from scrutiny.analysis.childlevel.validate import ChildLevelDataError, ChildLevelFiles

        try:
            result = indicators_compute(
                files=ChildLevelFiles(
                    looked_after=options["looked_after"],
                    child_protection=options["child_protection"],
                    population=options["population"],
                ),
                drop_invalid=options["drop_invalid"],
            )
        except ChildLevelDataError as exc:
            raise CommandError(f"{exc.report.listing()}\n{services.NOTHING_SAVED}") from None
        except YearsError as exc:
            raise CommandError(f"{exc}\n{services.NOTHING_SAVED}") from None
        if result.report.total:
            self.stderr.write(result.report.listing())
        return services.child_level_store(
            rows=result.rows,
            title=options["title"],
            vintage=vintage,
            by=None,
            file_name=", ".join(
                str(options[name].name)
                for name in ("looked_after", "child_protection", "population")
            ),
            note=services.dropped_rows_note(result.report),
        )
