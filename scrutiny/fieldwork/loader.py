"""Reading templates and survey instruments as versioned data files.

The defaults in ``fieldwork/data/`` are loaded by a data migration (and by the demo, after tests
flush the database). An administrator loads a changed template as a new version; a version in use
is never altered. The functions take the model classes as arguments so that the migration can
pass its historical models.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
TEMPLATE_FILES = ("reading_template_default.json",)
INSTRUMENT_FILES = ("survey_staff.json", "survey_children.json", "survey_parents.json")
DEFAULT_TEMPLATE_SLUG = "scrutiny-record-reading"

ANSWER_TYPES = ("six_point", "yes_partly_no", "single_choice", "number", "free_text")
QUESTION_KINDS = ("likert", "single_choice", "free_text")
AUDIENCES = ("staff", "children", "parents")
PURPOSES = ("", "agency", "role")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class DefinitionError(ValueError):
    """A template or instrument file that cannot be loaded; ``problems`` says every reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _text(data: dict[str, Any], name: str, where: str, problems: list[str], limit: int) -> None:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: '{name}' must be non-empty text")
    elif len(value) > limit:
        problems.append(f"{where}: '{name}' is longer than {limit} characters")


def _question_common(
    question: Any, where: str, keys: set[str], problems: list[str]
) -> dict[str, Any] | None:
    if not isinstance(question, dict):
        problems.append(f"{where}: must be an object")
        return None
    key = question.get("key")
    if not isinstance(key, str) or not SLUG.match(key):
        problems.append(f"{where}: 'key' must be lower-case letters, digits and hyphens")
    elif key in keys:
        problems.append(f"{where}: the key '{key}' is used twice")
    else:
        keys.add(key)
    _text(question, "text", where, problems, 400)
    qi_key = question.get("qi_key", "")
    if qi_key and (not isinstance(qi_key, str) or not SLUG.match(qi_key)):
        problems.append(f"{where}: 'qi_key' must be a QI key (lower-case words and hyphens)")
    return question


def _choices(question: dict[str, Any], where: str, problems: list[str], needed: bool) -> None:
    choices = question.get("choices", [])
    if not isinstance(choices, list) or not all(
        isinstance(c, str) and c.strip() and len(c) <= 200 for c in choices
    ):
        problems.append(f"{where}: 'choices' must be a list of short texts")
    elif needed and len(choices) < 2:
        problems.append(f"{where}: a single-choice question needs at least two choices")
    elif len(set(choices)) != len(choices):
        problems.append(f"{where}: a choice appears twice")


def check_template(data: Any) -> list[str]:
    """Every problem with a reading template definition (empty: it can be loaded)."""
    problems: list[str] = []
    if not isinstance(data, dict):
        return ["the template must be a JSON object"]
    slug = data.get("slug")
    if not isinstance(slug, str) or not SLUG.match(slug):
        problems.append("'slug' must be lower-case letters, digits and hyphens")
    _text(data, "title", "the template", problems, 200)
    sections = data.get("sections")
    if not isinstance(sections, list) or not sections:
        return [*problems, "'sections' must be a non-empty list"]
    keys: set[str] = set()
    count = 0
    for s, section in enumerate(sections, start=1):
        where = f"section {s}"
        if not isinstance(section, dict):
            problems.append(f"{where}: must be an object")
            continue
        _text(section, "title", where, problems, 200)
        questions = section.get("questions")
        if not isinstance(questions, list) or not questions:
            problems.append(f"{where}: 'questions' must be a non-empty list")
            continue
        for q, raw in enumerate(questions, start=1):
            count += 1
            question = _question_common(raw, f"{where}, question {q}", keys, problems)
            if question is None:
                continue
            kind = question.get("answer_type")
            if kind not in ANSWER_TYPES:
                problems.append(
                    f"{where}, question {q}: 'answer_type' must be one of {', '.join(ANSWER_TYPES)}"
                )
            _choices(question, f"{where}, question {q}", problems, kind == "single_choice")
    if not count:
        problems.append("the template has no questions")
    return problems


def check_instrument(data: Any) -> list[str]:
    """Every problem with a survey instrument definition (empty: it can be loaded)."""
    problems: list[str] = []
    if not isinstance(data, dict):
        return ["the instrument must be a JSON object"]
    slug = data.get("slug")
    if not isinstance(slug, str) or not SLUG.match(slug):
        problems.append("'slug' must be lower-case letters, digits and hyphens")
    _text(data, "title", "the instrument", problems, 200)
    if data.get("audience") not in AUDIENCES:
        problems.append(f"'audience' must be one of {', '.join(AUDIENCES)}")
    questions = data.get("questions")
    if not isinstance(questions, list) or not questions:
        return [*problems, "'questions' must be a non-empty list"]
    keys: set[str] = set()
    purposes: list[str] = []
    for q, raw in enumerate(questions, start=1):
        question = _question_common(raw, f"question {q}", keys, problems)
        if question is None:
            continue
        kind = question.get("kind")
        if kind not in QUESTION_KINDS:
            problems.append(f"question {q}: 'kind' must be one of {', '.join(QUESTION_KINDS)}")
        purpose = question.get("purpose", "")
        if purpose not in PURPOSES:
            problems.append(f"question {q}: 'purpose' must be agency, role or absent")
        elif purpose:
            if kind != "single_choice":
                problems.append(f"question {q}: an agency or role question must be single choice")
            purposes.append(purpose)
        _choices(question, f"question {q}", problems, kind == "single_choice")
    for purpose in set(purposes):
        if purposes.count(purpose) > 1:
            problems.append(f"only one question may give the respondent's {purpose}")
    return problems


def create_template(models: Any, data: dict[str, Any], *, version: int, by: Any = None) -> Any:
    problems = check_template(data)
    if problems:
        raise DefinitionError(problems)
    template = models.ReadingTemplate.objects.create(
        slug=data["slug"],
        version=version,
        title=data["title"].strip(),
        description=data.get("description", ""),
        notice=data.get("notice") or models.ReadingTemplate._meta.get_field("notice").default,
        created_by=by,
    )
    order = 0
    for s, section_data in enumerate(data["sections"], start=1):
        section = models.TemplateSection.objects.create(
            template=template,
            order=s,
            title=section_data["title"].strip(),
            description=section_data.get("description", ""),
        )
        questions = []
        for question in section_data["questions"]:
            order += 1
            questions.append(
                models.TemplateQuestion(
                    template=template,
                    section=section,
                    order=order,
                    key=question["key"],
                    text=question["text"].strip(),
                    help_text=question.get("help_text", ""),
                    answer_type=question["answer_type"],
                    choices=list(question.get("choices", [])),
                    qi_key=question.get("qi_key", ""),
                )
            )
        models.TemplateQuestion.objects.bulk_create(questions)
    return template


def create_instrument(models: Any, data: dict[str, Any], *, version: int) -> Any:
    problems = check_instrument(data)
    if problems:
        raise DefinitionError(problems)
    instrument = models.SurveyInstrument.objects.create(
        slug=data["slug"],
        version=version,
        title=data["title"].strip(),
        audience=data["audience"],
        description=data.get("description", ""),
        notice=data.get("notice") or models.SurveyInstrument._meta.get_field("notice").default,
    )
    models.InstrumentQuestion.objects.bulk_create(
        models.InstrumentQuestion(
            instrument=instrument,
            order=order,
            key=question["key"],
            text=question["text"].strip(),
            help_text=question.get("help_text", ""),
            kind=question["kind"],
            choices=list(question.get("choices", [])),
            purpose=question.get("purpose", ""),
            qi_key=question.get("qi_key", ""),
        )
        for order, question in enumerate(data["questions"], start=1)
    )
    return instrument


def read(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / name).read_text(encoding="utf-8"))
    return data


def load_defaults(models: Any) -> None:
    """Load each default file as version 1, unless a template or instrument of its slug exists."""
    for name in TEMPLATE_FILES:
        data = read(name)
        if not models.ReadingTemplate.objects.filter(slug=data["slug"]).exists():
            create_template(models, data, version=1)
    for name in INSTRUMENT_FILES:
        data = read(name)
        if not models.SurveyInstrument.objects.filter(slug=data["slug"]).exists():
            create_instrument(models, data, version=1)


def template_as_data(template: Any) -> dict[str, Any]:
    """A stored template as the JSON it can be loaded from (to download, edit and load again)."""
    sections = []
    questions = list(template.questions.all())
    for section in template.sections.all():
        items = []
        for question in questions:
            if question.section_id != section.pk:
                continue
            item: dict[str, Any] = {
                "key": question.key,
                "text": question.text,
                "answer_type": question.answer_type,
            }
            if question.help_text:
                item["help_text"] = question.help_text
            if question.choices:
                item["choices"] = list(question.choices)
            if question.qi_key:
                item["qi_key"] = question.qi_key
            items.append(item)
        entry: dict[str, Any] = {"title": section.title, "questions": items}
        if section.description:
            entry["description"] = section.description
        sections.append(entry)
    return {
        "slug": template.slug,
        "title": template.title,
        "description": template.description,
        "notice": template.notice,
        "sections": sections,
    }
