"""Results of record reading: intervals, proportion words, disclosure control, charts."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from hypothesis import example, given, settings
from hypothesis import strategies as st

from scrutiny.accounts.models import Role
from scrutiny.analysis.distributions import distribution, share_of
from scrutiny.analysis.proportions import proportion_word
from scrutiny.fieldwork import results, services
from scrutiny.fieldwork.models import LIKERT_OPTIONS, YES_PARTLY_NO_OPTIONS
from scrutiny.inspections.models import TeamMember
from tests import factories
from tests.fieldwork.helpers import drawn_sample

pytestmark = pytest.mark.django_db


def test_small_counts_are_suppressed_with_their_percentages() -> None:
    """
    Given 40 yes, 3 partly and 7 no
    When the distribution passes the gate
    Then 3 is shown as *, one more count is suppressed so it cannot be worked out, and no
    percentage, interval or word is shown for either
    """
    n, lines, statements = results.protected_distribution(
        YES_PARTLY_NO_OPTIONS, {"yes": 40, "partly": 3, "no": 7}
    )
    shown = {line.label: line for line in lines}
    assert n == "50"
    assert shown["Partly"].count == "*" and shown["Partly"].percentage is None
    assert shown["No"].count == "*" and shown["No"].word == ""
    assert shown["Yes"].count == "40" and shown["Yes"].percentage == 80.0
    assert shown["Yes"].word == "most"
    assert shown["Yes"].lower == pytest.approx(66.9, abs=0.1)
    assert shown["Not applicable"].count == "0"
    assert any("suppressed" in statement for statement in statements)


def test_the_threshold_is_a_setting(settings: Any) -> None:
    settings.SCRUTINY_SDC_THRESHOLD = 10
    _, lines, _ = results.protected_distribution(YES_PARTLY_NO_OPTIONS, {"yes": 40, "no": 7})
    assert [line.count for line in lines][:3] == ["*", "0", "*"]


def test_the_results_page_shows_charts_tables_and_breakdowns(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    sample = drawn_sample(inspection_a, cast.inspector_a, children=60, size=30)
    for index, record in enumerate(sample.records.all()):
        services.reading_save(
            record=record,
            answers={"child-seen": "yes" if index % 3 else "no", "overall-impact": "4"},
            by=cast.inspector_a,
        )
    response = as_user(cast.link_a).get(reverse("fieldwork:results", args=[inspection_a.pk]))
    page = response.content.decode()
    assert 'role="img" aria-labelledby="chart-child-seen-title chart-child-seen-desc"' in page
    assert "Yes: 67% (49 to 81%)" in page  # the chart's text alternative
    assert "<td>majority</td>" in page
    assert "records by stratum and answer" in page
    csv_text = as_user(cast.qa).get(reverse("fieldwork:results-csv", args=[inspection_a.pk]))
    assert "Was the child seen" in csv_text.content.decode()


def test_the_results_page_runs_a_bounded_number_of_queries(
    cast: Any, inspection_a: Any, as_user: Any, django_assert_max_num_queries: Any
) -> None:
    sample = drawn_sample(inspection_a, cast.inspector_a, children=90, size=60)
    for record in sample.records.all():
        services.reading_save(
            record=record,
            answers={"child-seen": "yes", "plan-quality": "3", "wellbeing-safe": "Improved"},
            by=cast.inspector_a,
        )
    client = as_user(cast.inspector_a)
    url = reverse("fieldwork:results", args=[inspection_a.pk])
    client.get(url)
    with django_assert_max_num_queries(25):
        assert client.get(url).status_code == 200


# --- properties of the pure summaries ----------------------------------------------------------

counts = st.dictionaries(
    st.sampled_from(["yes", "partly", "no", "not_applicable"]),
    st.integers(min_value=0, max_value=500),
)


@settings(deadline=None)
@given(counts)
def test_property_shares_add_up_and_intervals_contain_them(values: dict[str, int]) -> None:
    found = distribution(YES_PARTLY_NO_OPTIONS, values)
    assert found.n == sum(values.values())
    assert sum(line.share.count for line in found.options) == found.n
    if found.n:
        assert sum(line.share.share or 0 for line in found.options) == pytest.approx(1)
    for line in found.options:
        share = line.share
        if found.n == 0:
            assert share.share is None and share.word is None
            continue
        assert share.lower is not None and share.upper is not None and share.share is not None
        assert 0 <= share.lower <= share.share <= share.upper <= 1
        assert share.word == proportion_word(share.count / found.n)


@settings(deadline=None, max_examples=200)
@given(
    st.dictionaries(
        st.sampled_from([value for value, _ in LIKERT_OPTIONS]),
        st.integers(min_value=0, max_value=60),
    )
)
def test_property_percent_agree_leaves_out_dont_know_and_hides_nothing_new(
    values: dict[str, int],
) -> None:
    """% agree is (strongly agree + agree) / (answers other than don't know), shown only when
    the answer table shows strongly agree, agree and don't know, so it adds nothing to it."""
    n, lines, _ = results.protected_distribution(LIKERT_OPTIONS, values)
    found = results.protected_agree(LIKERT_OPTIONS, n, lines)
    cells = {value: line.count for (value, _), line in zip(LIKERT_OPTIONS, lines, strict=True)}
    if found.percentage is None:
        return
    assert all(cells[value] != results.SUPPRESSED for value in ("strongly_agree", "agree"))
    assert cells["dont_know"] != results.SUPPRESSED and n != results.SUPPRESSED
    agree = values.get("strongly_agree", 0) + values.get("agree", 0)
    base = sum(values.values()) - values.get("dont_know", 0)
    assert found.count == str(agree) and found.base == str(base)
    assert found.percentage == pytest.approx(100 * agree / base)


@example(3, 0)
@example(3, 10)
@settings(deadline=None)
@given(st.integers(min_value=0, max_value=200), st.integers(min_value=0, max_value=200))
def test_property_protected_lines_never_show_a_small_count(yes: int, no: int) -> None:
    n, lines, _ = results.protected_distribution(YES_PARTLY_NO_OPTIONS, {"yes": yes, "no": no})
    for line in lines:
        if line.count != "*":
            assert not 0 < int(line.count) < 5
        else:
            assert line.percentage is None and line.lower is None and line.word == ""
    suppressed = [line for line in lines if line.count == "*"]
    if len(suppressed) == 1:  # one suppressed count alone could be worked out from n...
        assert n == "*"  # ...unless n is suppressed too


def test_share_of_nothing_has_no_share() -> None:
    assert share_of(0, 0).share is None


def test_results_before_any_sample_say_so_instead_of_failing(cast) -> None:
    from django.test import Client

    from tests import factories

    inspection = factories.inspection(team=((cast.inspector_a, "inspector"),))
    client = Client()
    client.force_login(cast.inspector_a)
    response = client.get(f"/fieldwork/inspections/{inspection.pk}/reading/results/")
    assert response.status_code == 200
    assert "no sample of records has been drawn" in response.content.decode()


def test_the_evidence_summary_includes_the_wellbeing_questions_through_the_gate(
    cast: Any, inspection_a: Any
) -> None:
    """
    Given ten records read, with the SHANARRI wellbeing questions answered
    When the evidence summary is written
    Then it gives each wellbeing indicator's answers, with small counts suppressed
    """
    sample = drawn_sample(inspection_a, cast.inspector_a, size=10)
    for number, record in enumerate(sample.records.order_by("reference")):
        services.reading_save(
            record=record,
            answers={
                "wellbeing-safe": "Improved",
                "wellbeing-healthy": "Got worse" if number == 0 else "Improved",
            },
            by=cast.inspector_a,
        )
    summary = results.reading_summary_text(sample=sample)
    assert summary is not None
    assert "Wellbeing (SHANARRI): Safe: Improved 100% (72 to 100%), all (n = 10)." in summary
    # 9 and 1: the 1 is suppressed, and the 9 with it.
    assert "Wellbeing (SHANARRI): Healthy: Improved suppressed; Got worse suppressed" in summary
    assert "Achieving" not in summary  # not answered


def read_twice(inspection: Any, by: Any, firsts: list[str], seconds: list[str]) -> Any:
    """A sample whose first records are read by one pair and again by another."""
    sample = drawn_sample(inspection, by, children=30, size=len(firsts))
    # The second pair's inspector is another member of the team: a second reading is never
    # made by a member of the first reading's pair.
    other = factories.user(Role.INSPECTOR)
    TeamMember.objects.create(inspection=inspection, user=other, name=other.full_name)
    one = services.reading_pair_add(
        inspection=inspection, inspector=by, local_reader_name="Reader one"
    )
    two = services.reading_pair_add(
        inspection=inspection, inspector=other, local_reader_name="Reader two"
    )
    records = list(sample.records.order_by("reference"))
    for record, answer in zip(records, firsts, strict=True):
        services.reading_save(record=record, answers={"child-seen": answer}, by=by, pair=one)
    services.moderation_select(sample=sample, count=len(seconds), seed=3)
    for record, answer in zip(records, seconds, strict=True):
        record.refresh_from_db()
        services.reading_save(
            record=record, answers={"child-seen": answer}, by=other, is_moderation=True, pair=two
        )
    return sample


def test_agreement_built_on_a_small_count_is_suppressed(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    """
    Given 8 records read twice, whose readings agreed on one
    When the agreement passes the gate
    Then the 1 (and the 7 that would give it away) hide the percentage, shown as *, and kappa
    """
    sample = read_twice(inspection_a, cast.inspector_a, ["yes"] * 8, ["yes"] + ["no"] * 7)
    row = next(r for r in results.moderation_agreement(sample=sample) if r.key == "child-seen")
    assert row.pairs == "8"
    assert (row.percentage, row.kappa, row.suppressed) == (None, None, True)
    page = as_user(cast.link_a).get(reverse("fieldwork:results", args=[inspection_a.pk]))
    assert "13%" not in page.content.decode()
    assert '<td class="scrutiny-numeric">8</td><td class="scrutiny-numeric">*</td>' in (
        page.content.decode()
    )


def test_agreement_from_counts_the_gate_shows_is_shown(cast: Any, inspection_a: Any) -> None:
    """5 of 10 records agreed and 5 differed: both shown, so 50% and kappa are shown."""
    sample = read_twice(
        inspection_a, cast.inspector_a, ["yes"] * 5 + ["no"] * 5, ["yes"] * 5 + ["partly"] * 5
    )
    row = next(r for r in results.moderation_agreement(sample=sample) if r.key == "child-seen")
    assert (row.pairs, row.percentage, row.suppressed) == ("10", 50.0, False)
    # p_o = 1/2; p_e = (5 * 5) / 100 = 1/4; kappa = (1/2 - 1/4) / (3/4) = 1/3
    assert row.kappa == pytest.approx(1 / 3)


def test_too_few_records_read_twice_are_shown_as_a_star(cast: Any, inspection_a: Any) -> None:
    sample = read_twice(inspection_a, cast.inspector_a, ["yes"] * 3, ["yes"] * 3)
    row = next(r for r in results.moderation_agreement(sample=sample) if r.key == "child-seen")
    assert (row.pairs, row.percentage, row.kappa) == ("*", None, None)
