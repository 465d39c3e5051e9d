"""The demonstration's qualitative evidence for South Ayrshire."""

from __future__ import annotations

import pytest

from scrutiny.demo import builder
from scrutiny.qualitative import selectors
from scrutiny.qualitative.models import Code, Coding, Project, Segment, Source, SuggestionRun

pytestmark = pytest.mark.django_db


def test_the_demo_has_coded_comments_a_double_coded_sample_and_suggestions() -> None:
    builder.build()
    project = Project.objects.get(partnership__slug="south-ayrshire", inspection__isnull=True)
    comments = Segment.objects.filter(source__project=project, source__kind=Source.Kind.SURVEY)
    # Each survey says who answered it where they are all of one kind.
    who = dict(
        Source.objects.filter(project=project, kind=Source.Kind.SURVEY).values_list(
            "title", "respondent_type"
        )
    )
    assert who["Young people's survey: what is it like for you?"] == "child"
    assert who["Staff survey: what helps and what gets in the way"] == "staff"
    assert comments.count() >= 600
    assert set(comments.values_list("respondent_type", flat=True)) >= {
        "child",
        "parent",
        "carer",
        "staff",
    }
    coded = comments.filter(codings__check_run__isnull=True).distinct().count()
    assert 0.6 * comments.count() < coded < comments.count()
    linked = Code.objects.filter(project=project).exclude(areas_for_improvement=None)
    numbers = set(linked.values_list("areas_for_improvement__number", flat=True))
    assert numbers == {1, 2, 3, 4, 5}
    shanarri = {v for code in Code.objects.filter(project=project) for v in code.shanarri}
    assert len(shanarri) == 8
    check = project.checks.get()
    result = selectors.check_agreement(check=check)
    assert result.finished and 0.5 < result.overall[0].result.kappa < 1.0
    assert project.suggestion_runs.get().status == SuggestionRun.Status.DONE
    assert project.quotes.filter(status="confirmed").count() >= 3
    assert Coding.objects.filter(source__project=project, segment__isnull=False).exists()
    # A theme measures an action's success, as the indicator charts do.
    from scrutiny.improvement.models import ActionMeasure

    measure = ActionMeasure.objects.get(label__startswith="Coded theme: Waiting for help")
    assert measure.action.title.startswith("Extend the family support team")


def test_building_the_demo_twice_adds_no_more_evidence() -> None:
    builder.build()
    count = Segment.objects.count()
    builder.build()
    assert Segment.objects.count() == count
