"""Reading pairs, readings from the template, second readings and agreement, evidence."""

from __future__ import annotations

import re
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from scrutiny.accounts.models import Role
from scrutiny.fieldwork import results, services
from scrutiny.fieldwork.models import Reading, ReadingTemplate
from scrutiny.inspections.models import EvidenceItem, TeamMember
from tests import factories
from tests.fieldwork.helpers import drawn_sample

pytestmark = pytest.mark.django_db


def test_the_default_template_covers_the_method_and_is_labelled_as_ours() -> None:
    template = ReadingTemplate.objects.get(slug="scrutiny-record-reading", version=1)
    texts = [q.text for q in template.questions.all()]
    for indicator in (
        "Safe",
        "Healthy",
        "Achieving",
        "Nurtured",
        "Active",
        "Respected",
        "Responsible",
        "Included",
    ):
        assert indicator in texts
    sections = [s.title for s in template.sections.all()]
    assert sections[:5] == [
        "Chronology",
        "Assessment of risks and needs",
        "The child's plan",
        "The child seen and heard",
        "Involvement of family",
    ]
    assert "not the Care Inspectorate's official" in template.notice
    assert {q.answer_type for q in template.questions.all()} == {
        "six_point",
        "yes_partly_no",
        "single_choice",
        "number",
        "free_text",
    }


def test_a_local_reader_records_only_their_pairs_records(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    contributor = factories.user(Role.CONTRIBUTOR, "south-ayrshire")
    sample = drawn_sample(inspection_a, cast.inspector_a, size=4)
    services.reading_pair_add(
        inspection=inspection_a, inspector=cast.inspector_a, local_reader=contributor
    )
    services.reading_pair_add(
        inspection=inspection_a, inspector=cast.inspector_a, local_reader_name="A reader"
    )
    services.records_assign_evenly(sample=sample)
    mine, theirs = (
        sample.records.get(pair__number=n, reference__in=["R001", "R002"]) for n in (1, 2)
    )
    client = as_user(contributor)
    url = reverse("fieldwork:reading-record", args=[inspection_a.pk, mine.pk])
    response = client.post(url, {"child-seen": "yes", "overall-impact": "4", "months-known": "12"})
    assert response.status_code == 302
    reading = Reading.objects.get(record=mine)
    assert reading.recorded_by == contributor
    assert {a.question.key: a.value for a in reading.answers.select_related("question")} == {
        "child-seen": "yes",
        "overall-impact": "4",
        "months-known": "12",
    }
    other = client.get(reverse("fieldwork:reading-record", args=[inspection_a.pk, theirs.pk]))
    assert other.status_code == 403


def test_it_refuses_answers_that_are_not_options(cast: Any, inspection_a: Any) -> None:
    sample = drawn_sample(inspection_a, cast.inspector_a, size=3)
    record = sample.records.order_by("reference")[0]
    with pytest.raises(services.FieldworkError) as caught:
        services.reading_save(record=record, answers={"child-seen": "maybe"}, by=cast.inspector_a)
    assert caught.value.problems == ["child-seen: Choose one of the answers listed."]
    assert not Reading.objects.exists()


def test_a_second_reading_needs_another_pair_and_agreement_is_measured(
    cast: Any, inspection_a: Any
) -> None:
    sample = drawn_sample(inspection_a, cast.inspector_a, children=30, size=10)
    other = _team_member(inspection_a, Role.INSPECTOR)
    one = services.reading_pair_add(
        inspection=inspection_a, inspector=cast.inspector_a, local_reader_name="Reader one"
    )
    two = services.reading_pair_add(
        inspection=inspection_a, inspector=other, local_reader_name="Reader two"
    )
    records = list(sample.records.order_by("reference"))
    firsts = ["yes", "yes", "no", "partly", "yes", "no"]
    seconds = ["yes", "partly", "no", "partly", "yes", "yes"]
    for record, answer in zip(records, firsts, strict=False):
        services.reading_save(
            record=record, answers={"child-seen": answer}, by=cast.inspector_a, pair=one
        )
    chosen = services.moderation_select(sample=sample, count=6, seed=3)
    assert len(chosen) == 6
    for record, answer in zip(records, seconds, strict=False):
        record.refresh_from_db()
        with pytest.raises(services.FieldworkError, match="different pair"):
            services.reading_save(
                record=record,
                answers={"child-seen": answer},
                by=cast.inspector_a,
                is_moderation=True,
                pair=one,
            )
        services.reading_save(
            record=record,
            answers={"child-seen": answer},
            by=other,
            is_moderation=True,
            pair=two,
        )
    row = next(r for r in results.moderation_agreement(sample=sample) if r.key == "child-seen")
    # 4 of 6 agreed and 2 differed: small counts, so the percentage and kappa are not shown
    assert row.pairs == "6"
    assert (row.percentage, row.kappa, row.suppressed) == (None, None, True)


def _team_member(inspection: Any, role: Role, team_role: str = "inspector") -> Any:
    member = factories.user(role)
    TeamMember.objects.create(
        inspection=inspection, user=member, name=member.full_name, role=team_role
    )
    return member


def _second_reading_world(cast: Any, inspection: Any) -> Any:
    """Pair 1 (inspector_a) has read record R001 first; it is chosen for a second reading.
    Pair 2's inspector is another inspector; a lead inspector is on the team in no pair."""
    sample = drawn_sample(inspection, cast.inspector_a, size=4)
    second = _team_member(inspection, Role.INSPECTOR)
    lead = _team_member(inspection, Role.LEAD_INSPECTOR, "lead_inspector")
    one = services.reading_pair_add(
        inspection=inspection, inspector=cast.inspector_a, local_reader_name="Reader one"
    )
    two = services.reading_pair_add(
        inspection=inspection, inspector=second, local_reader_name="Reader two"
    )
    record = sample.records.get(reference="R001")
    services.record_assign(record=record, pair=one)
    services.reading_save(record=record, answers={"child-seen": "yes"}, by=cast.inspector_a)
    assert record.readings.get().pair == one  # the record's pair, by default
    services.moderation_select(sample=sample, count=1)
    record.refresh_from_db()
    url = reverse("fieldwork:reading-moderate", args=[inspection.pk, record.pk])
    return SimpleNamespace(record=record, one=one, two=two, second=second, lead=lead, url=url)


def test_a_second_reading_defaults_to_the_readers_own_pair_and_saves(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    """
    Given a record read first by pair 1
    When pair 2's inspector opens the second reading and saves without touching the pair box
    Then the box offers their pair, already chosen, no "No pair", and the reading is pair 2's
    """
    world = _second_reading_world(cast, inspection_a)
    client = as_user(world.second)
    page = client.get(world.url).text
    assert f'<option value="{world.two.pk}" selected>' in page
    assert "No pair" not in page
    assert f'<option value="{world.one.pk}"' not in page
    response = client.post(
        world.url, {"meta-pair": str(world.two.pk), "meta-readers": "", "child-seen": "no"}
    )
    assert response.status_code == 302
    reading = Reading.objects.get(record=world.record, is_moderation=True)
    assert (reading.pair, reading.recorded_by) == (world.two, world.second)


def test_a_member_of_the_first_pair_cannot_make_the_second_reading(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    """
    Given a record read first by pair 1, whose inspector is also in pair 3
    When they open the second reading, and save it for pair 2 or for pair 3
    Then the page tells them first, and both are refused with a clear message
    """
    world = _second_reading_world(cast, inspection_a)
    three = services.reading_pair_add(
        inspection=inspection_a, inspector=cast.inspector_a, local_reader_name="Reader three"
    )
    message = services.SECOND_READING_BY_FIRST_PAIR.format(number=1, reference="R001")
    client = as_user(cast.inspector_a)
    assert message in client.get(world.url).text
    response = client.post(world.url, {"meta-pair": str(three.pk), "child-seen": "no"})
    assert response.status_code == 200
    assert message in response.text
    # Pair 2 is not theirs: it is not even offered.
    response = client.post(world.url, {"meta-pair": str(world.two.pk), "child-seen": "no"})
    assert response.status_code == 200
    for pair in (world.two, three):
        with pytest.raises(services.FieldworkError) as caught:
            services.reading_save(
                record=world.record,
                answers={"child-seen": "no"},
                by=cast.inspector_a,
                is_moderation=True,
                pair=pair,
            )
        assert str(caught.value) == message
    assert not Reading.objects.filter(is_moderation=True).exists()


def test_a_second_reading_needs_a_pair_and_the_readers_own(cast: Any, inspection_a: Any) -> None:
    """
    Given a record read first by pair 1
    When a second reading is saved with no pair, or by someone outside the pair named
    Then it is refused: it never falls back to the first reading's pair
    """
    world = _second_reading_world(cast, inspection_a)
    outsider = _team_member(inspection_a, Role.INSPECTOR)
    for by, pair, message in (
        (world.second, None, services.SECOND_READING_NEEDS_PAIR),
        (outsider, world.two, services.SECOND_READING_NOT_YOUR_PAIR.format(number=2)),
    ):
        with pytest.raises(services.FieldworkError) as caught:
            services.reading_save(
                record=world.record,
                answers={"child-seen": "no"},
                by=by,
                is_moderation=True,
                pair=pair,
            )
        assert str(caught.value) == message


@pytest.mark.parametrize("who", ["lead", "admin"])
def test_the_lead_or_an_administrator_records_for_another_pair_only_saying_so(
    cast: Any, inspection_a: Any, as_user: Any, who: str
) -> None:
    """
    Given a record read first by pair 1
    When the lead inspector (or an administrator), in no pair, saves a second reading for pair 2
    Then it is refused unless they tick that they record it on behalf of pair 2, and says so
    """
    world = _second_reading_world(cast, inspection_a)
    user = world.lead if who == "lead" else cast.admin
    client = as_user(user)
    page = client.get(world.url).text
    assert f'<option value="{world.two.pk}">' in page  # offered, not chosen for them
    assert 'name="meta-on_behalf"' in page
    fields = {"meta-pair": str(world.two.pk), "child-seen": "no"}
    refused = client.post(world.url, fields)
    assert services.SECOND_READING_NOT_YOUR_PAIR.format(number=2) in refused.text
    saved = client.post(world.url, {**fields, "meta-on_behalf": "on"})
    assert saved.status_code == 302
    reading = Reading.objects.get(record=world.record, is_moderation=True)
    assert (reading.pair, reading.recorded_by) == (world.two, user)
    shown = client.get(world.url).text
    assert f"by {user} on behalf of pair 2" in shown


def test_an_inspector_cannot_say_they_record_for_another_pair(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    world = _second_reading_world(cast, inspection_a)
    outsider = _team_member(inspection_a, Role.INSPECTOR)
    client = as_user(outsider)
    assert 'name="meta-on_behalf"' not in client.get(world.url).text
    response = client.post(
        world.url, {"meta-pair": str(world.two.pk), "meta-on_behalf": "on", "child-seen": "no"}
    )
    assert response.status_code == 200
    assert not Reading.objects.filter(is_moderation=True).exists()


def test_it_refuses_more_second_readings_than_records_read(cast: Any, inspection_a: Any) -> None:
    sample = drawn_sample(inspection_a, cast.inspector_a, size=5)
    services.reading_save(
        record=sample.records.order_by("reference")[0],
        answers={"child-seen": "yes"},
        by=cast.inspector_a,
    )
    with pytest.raises(services.FieldworkError, match="Only 1 records have a first reading"):
        services.moderation_select(sample=sample, count=2)


def test_results_become_an_evidence_item_linked_to_the_questions_qis(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    sample = drawn_sample(inspection_a, cast.inspector_a, size=10)
    for record in sample.records.all():
        services.reading_save(
            record=record,
            answers={"child-seen": "yes", "plan-quality": "4"},
            by=cast.inspector_a,
        )
    url = reverse("fieldwork:evidence", args=[inspection_a.pk])
    as_user(cast.inspector_a).post(url)
    item = EvidenceItem.objects.get(kind=EvidenceItem.Kind.RECORD_READING)
    assert item.source == "Children's records read by the team"  # no count
    log = as_user(cast.inspector_a).get(reverse("inspections:evidence", args=[inspection_a.pk]))
    results_url = reverse("fieldwork:results", args=[inspection_a.pk])
    assert f'href="{results_url}">The full record-reading results</a>' in log.text
    assert "Yes: 100% (72 to 100%), all (n = 10)" in item.summary
    keys = set(item.qis.values_list("key", flat=True))
    assert {
        "impact-on-children-and-young-people",
        "planning-for-individual-children-and-young-people",
        "assessing-and-responding-to-risks-and-needs",
    } <= keys
    services.reading_save(
        record=sample.records.order_by("reference")[0],
        answers={"child-seen": "no"},
        by=cast.inspector_a,
    )
    as_user(cast.inspector_a).post(url)
    assert EvidenceItem.objects.filter(kind=EvidenceItem.Kind.RECORD_READING).count() == 1
    item.refresh_from_db()
    # 9 yes and 1 no: the 1 is suppressed, and the 9 with it (it would give the 1 away).
    assert "Yes: suppressed (n = 10)" in item.summary


def test_the_migration_renames_counted_evidence_names_written_before(
    cast: Any, inspection_a: Any
) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "scrutiny.fieldwork.migrations.0004_evidence_sources_without_counts"
    )
    sample = drawn_sample(inspection_a, cast.inspector_a, size=10)
    item = EvidenceItem.objects.create(
        inspection=inspection_a,
        kind=EvidenceItem.Kind.RECORD_READING,
        date=date(2026, 3, 2),
        source="Reading of 10 children's records",
        summary="Summary",
        created_by=cast.inspector_a,
    )
    typed = EvidenceItem.objects.create(
        inspection=inspection_a,
        kind=EvidenceItem.Kind.DOCUMENT,
        date=date(2026, 3, 2),
        source="Reading of 12 case files, typed by an inspector",
        summary="Summary",
        created_by=cast.inspector_a,
    )
    sample.evidence_item = item
    sample.save()
    migration.rename(apps, None)
    item.refresh_from_db()
    typed.refresh_from_db()
    assert item.source == "Children's records read by the team"
    assert typed.source == "Reading of 12 case files, typed by an inspector"  # not fieldwork's


@pytest.mark.parametrize(("size", "suggested"), [(3, 3), (10, 5), (27, 6), (100, 20)])
def test_the_second_reading_count_suggests_a_fifth_of_the_sample_at_least_5(
    cast: Any, inspection_a: Any, as_user: Any, size: int, suggested: int
) -> None:
    drawn_sample(inspection_a, cast.inspector_a, children=120, size=size)
    page = as_user(cast.inspector_a).get(reverse("fieldwork:reading", args=[inspection_a.pk]))
    assert re.search(rf'name="count" value="{suggested}"', page.text)
