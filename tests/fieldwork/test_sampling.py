"""Drawing the record sample from the return."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scrutiny.accounts.models import AccessLogEntry
from scrutiny.fieldwork import services
from scrutiny.fieldwork.models import Sample
from tests.fieldwork.helpers import AS_AT, HEADER, drawn_sample, import_return, return_csv

pytestmark = pytest.mark.django_db


def test_it_keeps_the_seed_and_the_allocation_and_repeats_the_draw(
    cast: Any, inspection_a: Any
) -> None:
    first = drawn_sample(inspection_a, cast.inspector_a, children=60, size=12)
    assert first.seed == 7
    assert [line["allocated"] for line in first.allocation] == [4, 4, 4]
    assert sum(line["population"] for line in first.allocation) == 60
    chosen = sorted(first.records.values_list("child__child_id", flat=True))
    again = services.sample_draw(
        inspection=inspection_a, size=12, strata=["list"], seed=7, by=cast.inspector_a
    )
    assert sorted(again.records.values_list("child__child_id", flat=True)) == chosen


def test_it_suggests_the_size_for_90_percent_confidence_and_a_15_percent_margin(
    cast: Any, inspection_a: Any
) -> None:
    sample = drawn_sample(inspection_a, cast.inspector_a, children=60, size=5)
    assert sample.suggested_size == 21  # n0 = 30.06; corrected for 60: 20.3, rounded up
    assert services.suggested_size(population_size=570) == 29


def test_it_counts_a_child_on_two_lists_once(cast: Any, inspection_a: Any) -> None:
    data = (
        f"{HEADER}\ncp_register,C1,2015-03,,female,,2025-01-01,,\n"
        "looked_after,C1,2015-03,,female,,2025-01-01,foster,\n"
        "looked_after,C2,2012-03,,male,,2025-01-01,home,\n"
    ).encode()
    services.return_import(
        inspection=inspection_a, name="r.csv", data=data, as_at=AS_AT, by=cast.lead_a
    )
    sample = services.sample_draw(
        inspection=inspection_a, size=2, strata=["list"], seed=1, by=cast.inspector_a
    )
    assert sample.population == 2
    assert {line["stratum"] for line in sample.allocation} == {
        "Child protection register",
        "Looked after",
    }


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"size": 31}, "A sample of 31 is larger than the population: the return lists 30"),
        ({"size": 5, "margin": 0.0}, "more than 0 and at most 0.5 (50%), not 0."),
        ({"size": 5, "margin": 0.6}, "more than 0 and at most 0.5 (50%), not 0.6."),
        (
            {"size": 5, "strata": ["list", "locality"]},
            "There is no column 'locality' to stratify by. The columns are: 'list',",
        ),
        ({"size": 0}, "Sample size must be at least 1, not 0."),
    ],
)
def test_it_refuses_impossible_samples_with_a_clear_message(
    cast: Any, inspection_a: Any, arguments: dict[str, Any], message: str
) -> None:
    import_return(inspection_a, cast.lead_a, 30)
    with pytest.raises(services.FieldworkError) as caught:
        services.sample_draw(inspection=inspection_a, by=cast.inspector_a, **arguments)
    assert message in str(caught.value)
    assert not Sample.objects.exists()


def test_it_will_not_draw_again_once_records_are_read(cast: Any, inspection_a: Any) -> None:
    sample = drawn_sample(inspection_a, cast.inspector_a)
    record = sample.records.order_by("reference")[0]
    services.reading_save(record=record, answers={"child-seen": "yes"}, by=cast.inspector_a)
    with pytest.raises(services.FieldworkError, match="cannot be drawn again"):
        services.sample_draw(inspection=inspection_a, size=5, by=cast.inspector_a)


def test_it_needs_a_return_first(cast: Any, inspection_a: Any) -> None:
    with pytest.raises(services.FieldworkError, match="no pre-inspection return"):
        services.sample_draw(inspection=inspection_a, size=5, by=cast.inspector_a)


def test_the_draw_page_draws_and_the_export_is_logged(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    import_return(inspection_a, cast.lead_a, 40)
    client = as_user(cast.inspector_a)
    page = client.get(reverse("fieldwork:sample-draw", args=[inspection_a.pk]))
    assert b"the suggested sample is <strong>18</strong>" in page.content
    template = services.default_template()
    response = client.post(
        reverse("fieldwork:sample-draw", args=[inspection_a.pk]),
        {
            "confidence": "0.9",
            "margin": "0.15",
            "size": "",
            "strata": ["list", "sex"],
            "minimum": "1",
            "seed": "99",
            "template": template.pk,
        },
    )
    assert response.status_code == 302
    sample = Sample.objects.get(inspection=inspection_a)
    assert (sample.size, sample.seed, sample.strata) == (18, 99, ["list", "sex"])
    export = as_user(cast.lead_a).get(reverse("fieldwork:sample-export", args=[inspection_a.pk]))
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert rows[0][:2] == ["reference", "child_id"] and len(rows) == 19
    assert AccessLogEntry.objects.filter(user=cast.lead_a, what__contains="export").exists()


def test_the_draw_page_says_why_a_margin_is_refused(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    import_return(inspection_a, cast.lead_a, 40)
    response = as_user(cast.inspector_a).post(
        reverse("fieldwork:sample-draw", args=[inspection_a.pk]),
        {
            "confidence": "0.9",
            "margin": "0.7",
            "size": "10",
            "minimum": "0",
            "template": services.default_template().pk,
        },
    )
    assert response.status_code == 200
    assert b"at most 0.5 (50%), not 0.7." in response.content


def test_suggest_a_size_names_the_confidence_and_margin_it_used(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    """
    Given a return of 240 children
    When the team asks for a size at 95% confidence and a margin of 0.05
    Then the page says the suggestion is for 95% and ±5 percentage points
    """
    import_return(inspection_a, cast.lead_a, 240)
    response = as_user(cast.inspector_a).post(
        reverse("fieldwork:sample-draw", args=[inspection_a.pk]),
        {
            "confidence": "0.95",
            "margin": "0.05",
            "size": "",
            "minimum": "0",
            "template": services.default_template().pk,
            "action": "suggest",
        },
    )
    assert response.status_code == 200
    assert (
        "For 95% confidence and a margin of ±5 percentage points the suggested sample is "
        "<strong>148</strong>" in response.text
    )
    assert "90% confidence" not in response.text


def _draw_on_the_page(client: Any, inspection: Any, **fields: Any) -> Any:
    return client.post(
        reverse("fieldwork:sample-draw", args=[inspection.pk]),
        {
            "confidence": "0.9",
            "margin": "0.15",
            "template": services.default_template().pk,
            **fields,
        },
    )


def test_redrawing_with_the_inputs_the_sample_page_shows_gives_the_same_sample(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    """
    Given a sample drawn with a minimum of 2 per stratum, which changes its allocation
    When it is drawn again with the size, strata, minimum and seed the sample page shows
    Then the same children are drawn; without the minimum they are not
    """
    import_return(inspection_a, cast.lead_a, 40)
    client = as_user(cast.inspector_a)
    inputs = {"size": "8", "strata": ["placement"], "minimum": "2", "seed": "5"}
    assert _draw_on_the_page(client, inspection_a, **inputs).status_code == 302
    sample = Sample.objects.get(inspection=inspection_a)
    chosen = sorted(sample.records.values_list("child__child_id", flat=True))
    page = client.get(reverse("fieldwork:sample", args=[inspection_a.pk])).text
    assert (
        '<dt class="ds_summary-list__key">Minimum per stratum</dt>'
        '<dd class="ds_summary-list__value">2</dd>' in page
    )
    assert "seed, return, size, strata and minimum per stratum gives the same sample" in page
    shown = {
        "size": str(sample.size),
        "strata": sample.strata,
        "minimum": str(sample.minimum),
        "seed": str(sample.seed),
    }
    assert _draw_on_the_page(client, inspection_a, **shown).status_code == 302
    again = Sample.objects.get(inspection=inspection_a)
    assert sorted(again.records.values_list("child__child_id", flat=True)) == chosen
    assert again.allocation == sample.allocation
    _draw_on_the_page(client, inspection_a, **{**shown, "minimum": "0"})
    without = Sample.objects.get(inspection=inspection_a)
    assert without.allocation != sample.allocation


def test_the_migration_gives_earlier_samples_the_minimum_their_allocation_shows(
    cast: Any, inspection_a: Any
) -> None:
    """
    Given samples stored before the minimum was kept
    When the migration runs
    Then each gets the smallest minimum that gives its allocation, or 0 marked as not known
    """
    import importlib

    from django.apps import apps

    migration = importlib.import_module("scrutiny.fieldwork.migrations.0005_sample_minimum")
    import_return(inspection_a, cast.lead_a, 40)
    sample = services.sample_draw(
        inspection=inspection_a,
        size=8,
        strata=["placement"],
        seed=5,
        minimum=2,
        by=cast.inspector_a,
    )
    Sample.objects.filter(pk=sample.pk).update(minimum=0)
    migration.record(apps, None)
    sample.refresh_from_db()
    assert (sample.minimum, sample.minimum_source) == (2, "allocation")
    chosen = sorted(sample.records.values_list("child__child_id", flat=True))
    again = services.sample_draw(
        inspection=inspection_a,
        size=sample.size,
        strata=sample.strata,
        seed=sample.seed,
        minimum=sample.minimum,
        by=cast.inspector_a,
    )
    assert sorted(again.records.values_list("child__child_id", flat=True)) == chosen
    impossible = [{"stratum": "a", "population": 5, "allocated": 5}]
    Sample.objects.filter(pk=again.pk).update(allocation=impossible, size=3)
    migration.record(apps, None)
    again.refresh_from_db()
    assert (again.minimum, again.minimum_source) == (0, "default")
    page_text = again.get_minimum_source_display()
    assert page_text == "Not known: the default is shown"


def test_a_new_return_after_the_sample_is_flagged_and_the_sample_keeps_its_return(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    """
    Given a sample drawn from a return of 30 children
    When the partnership imports a new return of 3 children
    Then the import page warned first, the sample stays on the earlier return, and the
    overview, sample and draw pages say the sample was drawn from the earlier return
    """
    sample = drawn_sample(inspection_a, cast.inspector_a, children=30, size=10)
    earlier = sample.pi_return
    client = as_user(cast.lead_a)
    return_url = reverse("fieldwork:return", args=[inspection_a.pk])
    before = client.get(return_url).text
    assert 'id="import-keeps-sample"' in before
    assert "Importing a new return does not change it" in before
    response = client.post(
        return_url,
        {"file": SimpleUploadedFile("new.csv", return_csv(3)), "as_at": "2026-02-28"},
        follow=True,
    )
    assert "The sample stays on the return it was drawn from, as at 31 January 2026." in (
        response.text
    )
    sample.refresh_from_db()
    assert sample.pi_return == earlier
    assert set(sample.records.values_list("child__pi_return", flat=True)) == {earlier.pk}
    for name, user in (
        ("fieldwork:overview", cast.lead_a),
        ("fieldwork:sample", cast.lead_a),
        ("fieldwork:sample-draw", cast.inspector_a),
        ("fieldwork:return", cast.lead_a),
    ):
        page = as_user(user).get(reverse(name, args=[inspection_a.pk])).text
        assert "The sample was drawn from an earlier return." in page, name
        assert (
            "drawn from the return as at 31 January 2026 (imported" in page
            and "A newer return, as at 28 February 2026, was imported" in page
        ), name


def test_pages_say_nothing_of_an_earlier_return_when_the_sample_is_on_the_current_one(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    drawn_sample(inspection_a, cast.inspector_a)
    page = as_user(cast.lead_a).get(reverse("fieldwork:overview", args=[inspection_a.pk])).text
    assert "earlier return" not in page


def test_the_sample_page_lists_age_band_strata_in_numeric_order(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    """
    Given a sample stratified by age band
    When the sample page shows the allocation
    Then the bands run 0-4, 5-11, 12-15, 16-17, not in text order
    """
    header = HEADER
    bands = ["0-4", "5-11", "12-15", "16-17"]
    lines = [header] + [
        f"cp_register,C{n:03},,{bands[n % 4]},female,,2025-01-01,," for n in range(20)
    ]
    services.return_import(
        inspection=inspection_a,
        name="r.csv",
        data=("\n".join(lines) + "\n").encode(),
        as_at=AS_AT,
        by=cast.lead_a,
    )
    services.sample_draw(
        inspection=inspection_a, size=8, strata=["age_band"], seed=1, by=cast.inspector_a
    )
    page = as_user(cast.inspector_a).get(reverse("fieldwork:sample", args=[inspection_a.pk]))
    table = page.text[page.text.index("<h2>Allocation</h2>") : page.text.index("Sampled records")]
    assert re.findall(r"<tr><td>([\d-]+)</td>", table) == bands
