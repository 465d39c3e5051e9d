"""Reading templates are versioned data: load, download, load a new version."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.urls import reverse

from scrutiny.fieldwork import loader, services
from scrutiny.fieldwork.models import ReadingTemplate

pytestmark = pytest.mark.django_db


def test_a_downloaded_template_loads_back_as_a_new_version_only_when_changed(
    cast: Any, as_user: Any
) -> None:
    template = ReadingTemplate.objects.get(slug="scrutiny-record-reading", version=1)
    client = as_user(cast.admin)
    data = json.loads(
        client.get(reverse("fieldwork:template-download", args=[template.pk])).content
    )
    with pytest.raises(services.FieldworkError, match="same as version 1"):
        services.reading_template_load(data=data, by=cast.admin)
    data["sections"][0]["questions"].append(
        {
            "key": "chronology-shared",
            "text": "Is the chronology shared?",
            "answer_type": "yes_partly_no",
        }
    )
    upload = io.BytesIO(json.dumps(data).encode())
    upload.name = "t.json"
    response = client.post(reverse("fieldwork:template-load"), {"file": upload})
    assert response.status_code == 302
    new = ReadingTemplate.objects.get(slug="scrutiny-record-reading", version=2)
    assert new.questions.filter(key="chronology-shared").exists()
    assert template.questions.count() == new.questions.count() - 1


def test_a_template_with_problems_names_every_one() -> None:
    problems = loader.check_template(
        {
            "slug": "Bad Slug",
            "title": "",
            "sections": [
                {
                    "title": "S",
                    "questions": [
                        {"key": "a", "text": "A", "answer_type": "stars"},
                        {"key": "a", "text": "B", "answer_type": "single_choice", "choices": ["x"]},
                    ],
                }
            ],
        }
    )
    assert problems == [
        "'slug' must be lower-case letters, digits and hyphens",
        "the template: 'title' must be non-empty text",
        "section 1, question 1: 'answer_type' must be one of six_point, yes_partly_no, "
        "single_choice, number, free_text",
        "section 1, question 2: the key 'a' is used twice",
        "section 1, question 2: a single-choice question needs at least two choices",
    ]


def test_the_default_files_are_valid() -> None:
    for name in loader.TEMPLATE_FILES:
        assert loader.check_template(loader.read(name)) == []
    for name in loader.INSTRUMENT_FILES:
        assert loader.check_instrument(loader.read(name)) == []
