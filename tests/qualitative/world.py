"""Objects the authorisation walk needs for the qualitative pages (partnership A's project)."""

from __future__ import annotations

from typing import Any

from scrutiny.accounts.models import Role
from scrutiny.qualitative import services
from scrutiny.qualitative.models import (
    CandidateTheme,
    PendingImport,
    Suggestion,
    SuggestionRun,
)
from tests import factories
from tests.qualitative.helpers import small_project


def extend(world: Any) -> None:
    lead = world.cast.lead_a
    contributor = factories.user(Role.CONTRIBUTOR, "south-ayrshire")
    small = small_project(contributor)
    segments = list(small.comments.segments.order_by("position"))
    services.coding_add(
        source=small.comments,
        code=small.trust,
        start=segments[0].start,
        end=segments[0].end,
        by=contributor,
    )
    # Of the notes, outside the check's sample: lead_a, coding the sample blind, may see it.
    coding = services.coding_add(
        source=small.notes, code=small.trust, start=0, end=12, by=contributor
    )
    services.codings_add_whole(segments=segments[1:3], code=small.waiting, by=contributor)
    check = services.check_create(
        project=small.project,
        title="Check one",
        unit="comment",
        first_coder=contributor,
        coders=[lead],
        sources=[small.comments],
        sample_size=4,
        seed=1,
        by=contributor,
    )
    run = SuggestionRun.objects.create(
        project=small.project, status=SuggestionRun.Status.DONE, progress=100, created_by=lead
    )
    theme = CandidateTheme.objects.create(run=run, number=1, terms=["help", "waiting"])
    theme.segments.set(segments[3:5])
    world.q_project = small.project
    world.q_source = small.comments
    world.q_segment = segments[0]
    world.q_segment_other = segments[4]
    world.q_code = small.trust
    world.q_code_unused = small.workload
    world.q_coding = coding
    world.q_check = check
    world.q_run = run
    world.q_theme = theme
    world.q_suggestion = Suggestion.objects.create(
        run=run, segment=segments[4], code=small.trust, confidence=0.7
    )
    world.q_quote = services.quote_add(coding=coding, by=contributor)
    world.q_pending = PendingImport.objects.create(
        project=small.project,
        filename="comments.csv",
        data=b"comment\nHello there\n",
        headers=["comment"],
        preview=[["Hello there"]],
        row_count=1,
        created_by=lead,
    )
