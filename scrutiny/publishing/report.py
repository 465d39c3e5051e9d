"""Building and rendering inspection reports. One set of templates makes both the web page and
the PDF: ``publishing/report/body.html`` holds the content; the page and the PDF wrap it. The
version for children and young people (``publishing/young/``) is built the same way."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from scrutiny.analysis.proportions import PROPORTION_SOURCE, PROPORTION_TERMS
from scrutiny.frameworks.models import ScaleLevel
from scrutiny.inspections.models import Evaluation, Inspection
from scrutiny.inspections.structure import report_sections
from scrutiny.publishing import gate
from scrutiny.publishing.charts import GradeBar, as_data_uri, grades_alt_text, grades_chart_svg


def _level(levels: dict[int, ScaleLevel], evaluation: Evaluation | None) -> ScaleLevel | None:
    if evaluation is None or evaluation.grade is None:
        return None
    return levels.get(evaluation.grade)


ACTIVITY_FIELDS = ("records_read", "staff_survey_responses", "children_met", "parents_met")


def activity_counts(inspection: Inspection) -> dict[str, str]:
    """The inspection's counts of what the team did (records read, people met), as a report
    says them: through the disclosure-control gate, like every published number. Blank counts
    are left out."""
    return {
        field: gate.count_words(value)
        for field in ACTIVITY_FIELDS
        if (value := getattr(inspection, field))
    }


def report_context(
    inspection: Inspection,
    *,
    draft: bool,
    version: int | None = None,
    corrections: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    framework = inspection.framework_version.framework
    levels = {level.score: level for level in framework.scale.levels.all()}
    evaluations = {e.qi_id: e for e in inspection.evaluations.select_related("qi")}
    sections = report_sections(inspection)
    evaluated = list(inspection.evaluated_qis().select_related("group"))
    question_sections = []
    for section in sections:
        if section.group is None:
            continue
        qis = [qi for qi in evaluated if qi.group_id == section.group.pk]
        question_sections.append(
            {
                "section": section,
                "items": [
                    {
                        "qi": qi,
                        "evaluation": evaluations.get(qi.pk),
                        "level": _level(levels, evaluations.get(qi.pk)),
                    }
                    for qi in qis
                ],
            }
        )
    bars = [
        GradeBar(
            label=qi.label,
            grade=level.score if level else None,
            grade_name=level.grade if level else "",
        )
        for qi in evaluated
        for level in [_level(levels, evaluations.get(qi.pk))]
    ]
    title = f"Grades: {inspection.partnership.area.name}"
    team = list(inspection.team.all())
    bodies = sorted({member.scrutiny_body for member in team})
    return {
        "inspection": inspection,
        "partnership": inspection.partnership,
        "draft": draft,
        "version": version,
        "corrections": corrections or [],
        "sections": {s.key.replace("-", "_"): s for s in sections},
        "demo_mode": settings.SCRUTINY_DEMO,
        "section_list": sections,
        "question_sections": question_sections,
        "evaluated": [
            {
                "qi": qi,
                "evaluation": evaluations.get(qi.pk),
                "level": levels.get(getattr(evaluations.get(qi.pk), "grade", None) or 0),
            }
            for qi in evaluated
        ],
        "key_strengths": list(inspection.key_strengths.all()),
        "areas": list(inspection.areas_for_improvement.prefetch_related("qis")),
        "good_practice": list(inspection.good_practice.all()),
        "levels": [levels[score] for score in sorted(levels, reverse=True)],
        "proportion_terms": PROPORTION_TERMS,
        "proportion_source": PROPORTION_SOURCE,
        "framework": framework,
        "framework_groups": inspection.framework_version.groups.prefetch_related("qis"),
        "team": team,
        "scrutiny_bodies": bodies,
        "counts": activity_counts(inspection),
        "chart_uri": as_data_uri(grades_chart_svg(bars, title=title)),
        "chart_alt": grades_alt_text(bars),
        "chart_title": title,
        "generated": timezone.now(),
    }


def render_body(inspection: Inspection, **options: Any) -> str:
    return render_to_string("publishing/report/body.html", report_context(inspection, **options))


def _document(folder: str, context: dict[str, Any], body: str | None) -> str:
    """``folder``'s document template around ``body`` (rendered from its body template when
    None)."""
    context["body"] = body if body is not None else render_to_string(f"{folder}/body.html", context)
    return render_to_string(f"{folder}/document.html", context)


def render_document(inspection: Inspection, *, body: str | None = None, **options: Any) -> str:
    """A standalone HTML document (print styles included): the PDF's source, and the HTML
    export. ``body`` is a frozen body from a published version; otherwise it is rendered."""
    return _document("publishing/report", report_context(inspection, **options), body)


def _points(text: str) -> list[str]:
    """One point a line; blank lines and list markers people type are left out."""
    points = []
    for line in text.splitlines():
        point = line.strip().lstrip("-*•").strip()
        if point:
            points.append(point)
    return points


def young_context(
    inspection: Inspection, *, draft: bool, version: int | None = None
) -> dict[str, Any]:
    """The version for children and young people: what we did (from the inspection's figures),
    what is working well and what needs to get better (written by the team), what happens
    next, and where to get help."""
    return {
        "inspection": inspection,
        "partnership": inspection.partnership,
        "draft": draft,
        "version": version,
        "demo_mode": settings.SCRUTINY_DEMO,
        "counts": activity_counts(inspection),
        "working_well": _points(inspection.young_people_working_well),
        "get_better": _points(inspection.young_people_get_better),
        "generated": timezone.now(),
    }


def render_young_body(inspection: Inspection, **options: Any) -> str:
    return render_to_string("publishing/young/body.html", young_context(inspection, **options))


def render_young_document(
    inspection: Inspection, *, body: str | None = None, **options: Any
) -> str:
    """The standalone HTML of the version for children and young people (the PDF's source)."""
    return _document("publishing/young", young_context(inspection, **options), body)


def render_pdf(html: str) -> bytes:
    """A tagged PDF (PDF/UA-1) with bookmarks from the headings and page numbers."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=html, base_url=None).write_pdf(pdf_variant="pdf/ua-1")
    return pdf
