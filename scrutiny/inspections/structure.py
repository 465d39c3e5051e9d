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

    @property
    def reference(self) -> str:
        """How the text refers to the section: "appendix 3", "section 2"."""
        number = self.number.rstrip(":.")
        if number.startswith("Appendix"):
            return number.lower()
        return f"section {number}"


_APPENDICES = (
    ("appendix-good-practice", "Good practice examples"),
    ("appendix-evaluations", "Evaluated indicators of quality"),
    ("appendix-terms", "The terms we use in this report"),
    ("appendix-framework", "The quality indicator framework"),
)


def report_sections(inspection: Inspection, *, keep_empty: bool = False) -> list[Section]:
    """The report's sections in order. The appendix of good practice examples is left out when
    the inspection has none (the appendices after it are numbered on), unless ``keep_empty``
    (for naming the section of a comment made when it had some)."""
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
    ]
    appendices = [
        (key, title)
        for key, title in _APPENDICES
        if keep_empty or key != "appendix-good-practice" or inspection.good_practice.exists()
    ]
    sections += [
        Section(key, f"Appendix {count}:", title)
        for count, (key, title) in enumerate(appendices, start=1)
    ]
    return sections
