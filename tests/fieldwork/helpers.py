"""Small builders for fieldwork tests: a clean return as CSV, and a drawn sample."""

from __future__ import annotations

from datetime import date

from scrutiny.accounts.models import User
from scrutiny.fieldwork import services
from scrutiny.fieldwork.models import PreInspectionReturn, Sample
from scrutiny.inspections.models import Inspection

AS_AT = date(2026, 1, 31)
HEADER = "list,child_id,birth_month,age_band,sex,team,start_date,placement_type,placement_start"
LISTS = ("cp_register", "looked_after", "investigated_not_registered")


def return_csv(children: int = 30, *, header: str = HEADER) -> bytes:
    """A clean CSV return: children spread over three lists, teams and ages."""
    lines = [header]
    for n in range(children):
        kind = LISTS[n % 3]
        placement = ("home" if n % 2 else "foster") if kind == "looked_after" else ""
        lines.append(
            f"{kind},C{n:04},{2010 + n % 14}-{1 + n % 12:02},,{('female', 'male')[n % 2]},"
            f"Team {1 + n % 2},2025-0{1 + n % 9}-15,{placement},"
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def import_return(inspection: Inspection, by: User, children: int = 30) -> PreInspectionReturn:
    return services.return_import(
        inspection=inspection, name="return.csv", data=return_csv(children), as_at=AS_AT, by=by
    )


def drawn_sample(inspection: Inspection, by: User, *, children: int = 30, size: int = 10) -> Sample:
    import_return(inspection, by, children)
    return services.sample_draw(inspection=inspection, size=size, strata=["list"], seed=7, by=by)
