"""The sections of a report (Model A structure), shared by the report and by factual-accuracy
comments, which are made against a section."""

from __future__ import annotations

from dataclasses import dataclass

from scrutiny.frameworks.models import Group
from scrutiny.inspections.models import Inspection


@dataclass(frozen=True)
class Section:
    key: str
    number: str
    title: str
    group: Group | None = None

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}".strip()


def report_sections(inspection: Inspection) -> list[Section]:
    groups = list(
        Group.objects.filter(
            version=inspection.framework_version, qis__evaluated_in__contains=inspection.model
        )
        .distinct()
        .order_by("order")
    )
    sections = [
        Section("introduction", "1.", "Introduction"),
        Section("method", "2.", "How we conducted the inspection"),
        Section("context", "3.", "The community planning partnership and context"),
    ]
    number = 4
    for group in groups:
        sections.append(Section(f"question-{group.order}", f"{number}.", group.title, group))
        number += 1
    sections += [
        Section(
            "conclusion",
            f"{number}.",
            "Conclusion, areas of particular strength and areas for improvement",
        ),
        Section("next-steps", f"{number + 1}.", "What happens next?"),
        Section("appendix-good-practice", "Appendix 1:", "Good practice examples"),
        Section("appendix-evaluations", "Appendix 2:", "Evaluated indicators of quality"),
        Section("appendix-terms", "Appendix 3:", "The terms we use in this report"),
        Section("appendix-framework", "Appendix 4:", "The quality indicator framework"),
    ]
    return sections
