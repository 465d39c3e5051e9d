"""A small qualitative project for tests: comments, a document, a codebook and some coding."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from scrutiny.accounts.models import User
from scrutiny.qualitative import services
from scrutiny.qualitative.models import Code, Project, Source
from tests import factories

COMMENTS = [
    ("My social worker listens to me and I trust her.", "child", "", "", date(2025, 1, 10)),
    ("We waited six months for any help with our son.", "parent", "", "", date(2025, 1, 20)),
    (
        "Caseloads are too high to do proper direct work.",
        "staff",
        "social_work",
        "Social worker",
        date(2025, 2, 3),
    ),
    (
        "The family support team were brilliant and came quickly.",
        "parent",
        "",
        "",
        date(2025, 2, 14),
    ),
    ("I feel safe where I live now.", "child", "", "", date(2025, 3, 1)),
    ("Nobody told us what was happening at the meeting.", "carer", "", "", date(2025, 3, 9)),
]


@dataclass
class Small:
    project: Project
    comments: Source
    notes: Source
    trust: Code
    waiting: Code
    workload: Code


def small_project(by: User, slug: str = "south-ayrshire") -> Small:
    project = services.project_create(
        partnership=factories.partnership(slug), title="Views of families 2025", by=by
    )
    comments = services.comments_add(
        project=project,
        title="Survey comments",
        rows=[(text, who, agency, role, when, "") for text, who, agency, role, when in COMMENTS],
        by=by,
    )
    notes = services.source_add_text(
        project=project,
        kind=Source.Kind.FOCUS_GROUP,
        title="Focus group notes",
        text="Young people said staff changed too often.\nThey valued having one trusted adult.",
        attributes=services.Attributes(respondent_type="child", collected_on=date(2025, 3, 20)),
        by=by,
    )
    return Small(
        project=project,
        comments=comments,
        notes=notes,
        trust=services.code_add(
            project=project, name="Trusted relationships", shanarri=["nurtured"]
        ),
        waiting=services.code_add(project=project, name="Waiting for help", colour="#d32205"),
        workload=services.code_add(project=project, name="Workload"),
    )
