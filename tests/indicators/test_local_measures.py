from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from scrutiny.indicators import services
from scrutiny.indicators.models import Indicator, Observation, Publication, Unit
from scrutiny.indicators.periods import PeriodError, period_parse
from scrutiny.indicators.services import IndicatorError
from scrutiny.places.models import Partnership
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

DEFINITION = {
    "title": "Children seen within 24 hours",
    "definition": "Children seen by a social worker within 24 hours of a referral.",
    "numerator": "Children seen within 24 hours",
    "denominator": "Children referred",
    "unit": "percent",
    "improvement": "increase",
    "frequency": "quarterly",
    "chart": "p",
}


def _local(cast: Cast, **extra: Any) -> Indicator:
    return services.local_indicator_create(
        partnership=Partnership.objects.get(slug="south-ayrshire"),
        title=extra.pop("title", "Visits"),
        definition="Visits",
        unit=extra.pop("unit", Unit.COUNT),
        by=cast.lead_a,
        **extra,
    )


def _upload(indicator: Indicator, text: str, cast: Cast) -> Publication:
    return services.local_values_upload(
        indicator=indicator, content=text.encode(), file_name="values.csv", by=cast.lead_a
    )


def test_a_partnership_lead_defines_a_measure_and_enters_a_value(cast: Cast, as_user: Any) -> None:
    client = as_user(cast.lead_a)
    response = client.post("/indicators/p/south-ayrshire/local/add/", DEFINITION)
    indicator = Indicator.objects.get(title=DEFINITION["title"])
    assert response.status_code == 302
    assert indicator.partnership == Partnership.objects.get(slug="south-ayrshire")
    values_url = f"/indicators/p/south-ayrshire/local/{indicator.key}/values/"
    assert response.headers["Location"] == values_url
    client.post(values_url, {"period": "2024-Q1", "numerator": "30", "denominator": "40"})
    observation = Observation.objects.get(indicator=indicator)
    assert (observation.period, observation.value) == ("2024-Q1", 75.0)
    dashboard = client.get("/indicators/p/south-ayrshire/")
    assert DEFINITION["title"] in dashboard.text


def test_a_value_entered_again_revises_it_and_keeps_the_earlier_one(cast: Cast) -> None:
    indicator = _local(cast, frequency="monthly")
    for value in (10.0, 12.0):
        services.local_values_enter(
            indicator=indicator,
            values=[services.LocalValue(period="2024-04", value=value)],
            by=cast.lead_a,
        )
    from scrutiny.indicators.selectors import local_values

    partnership = Partnership.objects.get(slug="south-ayrshire")
    (row,) = local_values(indicator=indicator, partnership=partnership)
    assert row.point.value == 12.0
    today = timezone.localdate()
    name = cast.lead_a.full_name
    assert row.entered == f"entered by {name}, {today.day} {today:%b %Y}"
    assert row.earlier == [(10.0, row.entered)]
    _upload(indicator, "period,value\n2024-04,13\n", cast)
    (row,) = local_values(indicator=indicator, partnership=partnership)
    assert row.entered == f"uploaded in values.csv, {today.day} {today:%b %Y}"
    assert [value for value, _ in row.earlier] == [10.0, 12.0]  # oldest first
    # Renamed since: the earlier values still read the same.
    services.local_indicator_update(indicator=indicator, data={"title": "Visits: home and school"})
    (renamed,) = local_values(indicator=indicator, partnership=partnership)
    assert (renamed.entered, renamed.earlier) == (row.entered, row.earlier)


def test_an_upload_stores_every_row(cast: Cast) -> None:
    indicator = _local(cast)
    publication = _upload(indicator, 'period,value\n2024-Q1,10\n2024-Q2,"1,234"\n', cast)
    assert publication.rows == 2
    assert sorted(Observation.objects.values_list("value", flat=True)) == [10, 1234]  # type: ignore[type-var]
    assert publication.kind == Publication.Kind.LOCAL_UPLOAD


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("period,value\n2024-Q1,ten\n", "row 1: value 'ten' is not a number"),
        ("period,value\n2024-Q1,10\n2024-Q1,11\n", "row 2 repeats the period 2024-Q1 of row 1"),
        ("period,value\n2024-13,10\n", "row 1: period '2024-13' is not a quarter"),
        ("period,value\n,10\n", "row 1: period is blank"),
        ("period,value\n2024-Q2,\n", "row 1: value is blank"),
        ("when,value\n2024-Q1,10\n", "The first row must be the header period,value"),
    ],
)
def test_it_refuses_a_bad_upload_naming_the_row_and_saves_nothing(
    cast: Cast, text: str, message: str
) -> None:
    indicator = _local(cast)
    with pytest.raises(IndicatorError) as refused:
        _upload(indicator, text, cast)
    assert message in str(refused.value)
    assert not Observation.objects.filter(indicator=indicator).exists()


def test_the_upload_page_shows_the_problems(cast: Cast, as_user: Any) -> None:
    indicator = _local(cast)
    response = as_user(cast.lead_a).post(
        f"/indicators/p/south-ayrshire/local/{indicator.key}/upload/",
        {"file": SimpleUploadedFile("v.csv", b"period,value\n2024-Q1,abc\n")},
    )
    assert response.status_code == 200
    assert "row 1: value &#x27;abc&#x27; is not a number" in response.text


@pytest.mark.parametrize(
    ("unit", "text", "message"),
    [
        (
            Unit.COUNT,
            "period,value\n2024-Q1,2.5\n",
            "a count is a whole number of 0 or more, not 2.5",
        ),
        (
            Unit.COUNT,
            "period,value\n2024-Q1,-3\n",
            "a count is a whole number of 0 or more, not -3",
        ),
        (Unit.COUNT, "period,numerator,denominator\n2024-Q1,3,10\n", "a count has no denominator"),
        (Unit.PERCENT, "period,value\n2024-Q1,120\n", "a percentage is from 0 to 100, not 120"),
        (Unit.RATE_PER_1000, "period,value\n2024-Q1,-1\n", "a rate cannot be negative (-1)"),
    ],
)
def test_it_refuses_values_that_do_not_fit_the_unit(
    cast: Cast, unit: Unit, text: str, message: str
) -> None:
    indicator = _local(cast, unit=unit)
    with pytest.raises(IndicatorError) as refused:
        _upload(indicator, text, cast)
    assert f"row 1: {message}" in str(refused.value)
    assert not Observation.objects.filter(indicator=indicator).exists()


def test_a_binary_file_is_not_taken_for_an_empty_one(cast: Cast) -> None:
    indicator = _local(cast)
    with pytest.raises(IndicatorError, match="not UTF-8 text"):
        services.local_values_upload(
            indicator=indicator,
            content=b"%PDF-1.7\n\x00\x01obj\n",
            file_name="v.csv",
            by=cast.lead_a,
        )


def test_a_value_typed_into_the_form_is_refused_without_row_numbers(
    cast: Cast, as_user: Any
) -> None:
    indicator = _local(cast, frequency="monthly")
    response = as_user(cast.lead_a).post(
        f"/indicators/p/south-ayrshire/local/{indicator.key}/values/",
        {"period": "2024-Q1", "value": "4"},
    )
    assert response.status_code == 200
    assert "Period &#x27;2024-Q1&#x27; is not a month such as 2023-04" in response.text
    assert "row 1" not in response.text and "in the file" not in response.text


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"unit": "count", "chart": "p"}, "chart", "A p-chart (proportions) needs the unit"),
        ({"unit": "percent", "chart": "u"}, "chart", "A u-chart (rates) needs the unit"),
        ({"chart": "p", "denominator": ""}, "denominator", "needs a numerator and a denominator"),
        ({"unit": "count", "chart": "xmr"}, "denominator", "A count has no denominator"),
    ],
)
def test_a_measure_whose_chart_does_not_fit_its_unit_is_refused(
    cast: Cast, as_user: Any, changes: dict[str, str], field: str, message: str
) -> None:
    response = as_user(cast.lead_a).post(
        "/indicators/p/south-ayrshire/local/add/", {**DEFINITION, **changes}
    )
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert not Indicator.objects.filter(title=DEFINITION["title"]).exists()


def test_it_refuses_a_numerator_above_the_denominator_of_a_percentage(cast: Cast) -> None:
    indicator = _local(cast, unit=Unit.PERCENT)
    with pytest.raises(IndicatorError, match="numerator 5 is more than the denominator 4"):
        _upload(indicator, "period,numerator,denominator\n2024-Q1,5,4\n", cast)


def test_two_measures_of_a_partnership_cannot_share_a_title(cast: Cast) -> None:
    _local(cast, title="Visits")
    with pytest.raises(IndicatorError, match="already has a local measure called 'visits'"):
        _local(cast, title="visits")


def test_a_local_measure_is_hidden_from_other_partnerships_and_the_public(
    cast: Cast, as_user: Any, client: Any
) -> None:
    indicator = _local(cast)
    _upload(indicator, "period,value\n2024-Q1,10\n2024-Q2,11\n", cast)
    chart_url = f"/indicators/p/south-ayrshire/{indicator.key}/"
    assert as_user(cast.viewer_a).get(chart_url).status_code == 200
    assert as_user(cast.lead_b).get(chart_url).status_code == 403
    assert (
        as_user(cast.lead_b).get(f"/indicators/p/east-ayrshire/{indicator.key}/").status_code == 404
    )
    # Another partnership's measure is not found (a 403 would confirm that it exists).
    assert as_user(cast.lead_b).get(indicator.get_absolute_url()).status_code == 404
    assert as_user(cast.viewer_a).get(indicator.get_absolute_url()).status_code == 200
    assert client.get(indicator.get_absolute_url()).status_code == 404
    assert "Visits" not in client.get("/indicators/public/south-ayrshire/").text


def test_a_viewer_cannot_enter_values(cast: Cast, as_user: Any) -> None:
    indicator = _local(cast)
    url = f"/indicators/p/south-ayrshire/local/{indicator.key}/values/"
    assert as_user(cast.viewer_a).post(url, {"period": "2024-Q1", "value": "3"}).status_code == 403
    assert not Observation.objects.exists()


@pytest.mark.parametrize(
    ("text", "frequency", "expected"),
    [
        ("2023", "yearly", "2023"),
        ("2022/2023", "yearly", "2023"),
        ("2022-23", "yearly", "2023"),
        ("2024-q3", "quarterly", "2024-Q3"),
        ("2024 Q1", "quarterly", "2024-Q1"),
        ("2024-4", "monthly", "2024-04"),
    ],
)
def test_periods_are_read_in_their_usual_spellings(
    text: str, frequency: str, expected: str
) -> None:
    assert period_parse(text, frequency)[0] == expected


@pytest.mark.parametrize(
    ("text", "frequency"),
    [("2022/2024", "yearly"), ("2024-Q5", "quarterly"), ("2024-00", "monthly"), ("x", "yearly")],
)
def test_it_refuses_periods_that_do_not_fit_the_frequency(text: str, frequency: str) -> None:
    with pytest.raises(PeriodError):
        period_parse(text, frequency)


def test_a_target_must_fit_the_measure(cast: Cast) -> None:
    percent = _local(cast, unit=Unit.PERCENT, title="Seen")
    from scrutiny.indicators.models import IndicatorSeries

    series = IndicatorSeries.objects.get(indicator=percent)
    with pytest.raises(IndicatorError, match="from 0 to 100, not 150"):
        services.series_target_set(series=series, target=150)
    count = IndicatorSeries.objects.get(indicator=_local(cast, title="Visits"))
    with pytest.raises(IndicatorError, match="cannot be negative"):
        services.series_target_set(series=count, target=-5)
    services.series_target_set(series=series, target=75)
    series.refresh_from_db()
    assert series.target == 75


def test_a_local_measure_has_no_comparison_of_empty_columns(cast: Cast, as_user: Any) -> None:
    indicator = _local(cast, frequency="yearly")
    _upload(indicator, "period,value\n2020,4\n2021,5\n2022,6\n2023,5\n2024,7\n", cast)
    page = as_user(cast.lead_a).get(f"/indicators/p/south-ayrshire/{indicator.key}/").text
    assert "no figures for Scotland or other councils to compare it with" in page
    assert "choose councils to compare with" not in page


def test_a_revised_local_value_says_who_gave_the_earlier_one(cast: Cast) -> None:
    from scrutiny.indicators.selectors import chart_page

    indicator = _local(cast, frequency="yearly")
    _upload(indicator, "period,value\n2020,4\n2021,5\n2022,6\n2023,5\n2024,7\n", cast)
    services.local_values_enter(
        indicator=indicator, values=[services.LocalValue(period="2024", value=8.0)], by=cast.lead_a
    )
    page = chart_page(
        partnership=Partnership.objects.get(slug="south-ayrshire"), indicator=indicator
    )
    note = next(row.note for row in page.chart.table if row.period == "2024")
    today = timezone.localdate()
    assert note == f"revised: 7 (uploaded in values.csv, {today.day} {today:%b %Y})"


@pytest.mark.parametrize(
    ("unit", "row"),
    [
        (Unit.PERCENT, "2026-Q1,90,10,50"),
        (Unit.PERCENT, "2026-Q1,34,1,3"),
        (Unit.PERCENT, "2026-Q1,33.4,1,3"),
        (Unit.RATE_PER_1000, "2026-Q1,2,1,1000"),
    ],
)
def test_it_refuses_a_value_that_its_numerator_and_denominator_do_not_give(
    cast: Cast, unit: Unit, row: str
) -> None:
    """
    Given a percentage or rate measure
    When a row's value is not its numerator / denominator, times 100 (or 1,000), even rounded
    Then the upload is refused naming the row, and nothing is saved
    """
    indicator = _local(cast, unit=unit)
    with pytest.raises(IndicatorError) as refused:
        _upload(indicator, f"period,value,numerator,denominator\n{row}\n", cast)
    assert "row 1: the value " in str(refused.value)
    assert "does not agree with the numerator" in str(refused.value)
    assert not Observation.objects.filter(indicator=indicator).exists()


def test_the_refused_value_says_what_the_counts_give(cast: Cast) -> None:
    indicator = _local(cast, unit=Unit.PERCENT)
    with pytest.raises(IndicatorError) as refused:
        _upload(indicator, "period,value,numerator,denominator\n2026-Q1,90,10,50\n", cast)
    assert str(refused.value).splitlines()[1] == (
        "row 1: the value 90 does not agree with the numerator 10 and the denominator 50, "
        "which give 20 (10 divided by 50, times 100): correct one of them, or leave the value blank"
    )


@pytest.mark.parametrize("value", ["33", "33.3", "33.33", "33.333"])
def test_a_value_rounded_to_the_decimals_given_is_accepted(cast: Cast, value: str) -> None:
    indicator = _local(cast, unit=Unit.PERCENT)
    _upload(indicator, f"period,value,numerator,denominator\n2026-Q1,{value},1,3\n", cast)
    assert Observation.objects.get(indicator=indicator).value == float(value)


def test_a_count_whose_numerator_is_another_number_is_refused(cast: Cast) -> None:
    indicator = _local(cast, unit=Unit.COUNT)
    with pytest.raises(
        IndicatorError, match="row 1: the value 5 does not agree with the numerator 7"
    ):
        _upload(indicator, "period,value,numerator\n2026-Q1,5,7\n", cast)


def test_a_value_typed_into_the_form_must_agree_with_its_counts(cast: Cast, as_user: Any) -> None:
    indicator = _local(cast, unit=Unit.PERCENT)
    url = f"/indicators/p/south-ayrshire/local/{indicator.key}/values/"
    client = as_user(cast.lead_a)
    response = client.post(
        url, {"period": "2026-Q1", "value": "90", "numerator": "10", "denominator": "50"}
    )
    assert response.status_code == 200
    assert "The value 90 does not agree with the numerator 10 and the denominator 50" in (
        response.text
    )
    assert not Observation.objects.filter(indicator=indicator).exists()
    client.post(url, {"period": "2026-Q1", "value": "20", "numerator": "10", "denominator": "50"})
    assert Observation.objects.get(indicator=indicator).value == 20


def test_it_refuses_a_column_it_does_not_take_naming_it(cast: Cast) -> None:
    """
    Given an upload with a council column (the measure is the partnership's own)
    When it is uploaded
    Then it is refused naming the column and the columns expected, and nothing is saved
    """
    indicator = _local(cast)
    with pytest.raises(IndicatorError) as refused:
        _upload(indicator, "period,value,council\n2024-Q1,10,Ayr\n", cast)
    assert str(refused.value) == (
        "The file has a column that a local measure does not take: council. The columns are "
        "period, value, numerator and denominator (numerator and denominator optional)."
    )
    assert not Observation.objects.filter(indicator=indicator).exists()


def test_it_refuses_a_row_with_more_cells_than_the_header(cast: Cast) -> None:
    """
    Given a row whose value has an unquoted thousands separator (2024-05, 1,234)
    When it is uploaded
    Then it is refused naming the row rather than saved as 1
    """
    indicator = _local(cast, frequency="monthly")
    with pytest.raises(IndicatorError) as refused:
        _upload(indicator, "period,value\n2024-04,7\n2024-05, 1,234\n", cast)
    assert "row 2 has 3 cells but the header has 2 columns" in str(refused.value)
    assert not Observation.objects.filter(indicator=indicator).exists()


def test_empty_cells_after_the_last_column_are_allowed(cast: Cast) -> None:
    indicator = _local(cast)
    _upload(indicator, "period,value\n2024-Q1,10,,\n", cast)
    assert Observation.objects.get(indicator=indicator).value == 10


def test_rows_are_numbered_counting_blank_lines(cast: Cast) -> None:
    indicator = _local(cast)
    with pytest.raises(IndicatorError) as refused:
        _upload(indicator, "period,value\n2024-Q1,10\n\n2024-Q2,ten\n", cast)
    assert "row 3: value 'ten' is not a number" in str(refused.value)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"frequency": "monthly"},
            "Frequency: the indicator already has figures by quarter (such as 2024-Q1), so it "
            "cannot become monthly.",
        ),
        (
            {"unit": "count", "chart": "xmr", "denominator": ""},
            "Unit: the measure already has figures as a percentage, so its unit cannot change.",
        ),
    ],
)
def test_the_frequency_and_unit_of_a_measure_with_figures_cannot_change(
    cast: Cast, as_user: Any, changes: dict[str, str], message: str
) -> None:
    """
    Given a quarterly percentage measure with a value for 2024-Q1
    When its editor makes it monthly, or a count
    Then the change is refused naming the field, and the measure is unchanged
    """
    client = as_user(cast.lead_a)
    client.post("/indicators/p/south-ayrshire/local/add/", DEFINITION)
    indicator = Indicator.objects.get(title=DEFINITION["title"])
    _upload(indicator, "period,numerator,denominator\n2024-Q1,30,40\n", cast)
    response = client.post(
        f"/indicators/p/south-ayrshire/local/{indicator.key}/edit/", {**DEFINITION, **changes}
    )
    assert response.status_code == 200
    assert message in response.text
    indicator.refresh_from_db()
    assert (indicator.frequency, indicator.unit) == ("quarterly", "percent")


def test_the_frequency_and_unit_of_a_measure_without_figures_can_change(cast: Cast) -> None:
    indicator = _local(cast, unit=Unit.PERCENT, frequency="quarterly")
    services.local_indicator_update(
        indicator=indicator, data={"frequency": "monthly", "unit": Unit.COUNT}
    )
    indicator.refresh_from_db()
    assert (indicator.frequency, indicator.unit) == ("monthly", "count")


def test_a_column_without_a_name_is_refused_when_it_holds_values(cast: Cast) -> None:
    indicator = _local(cast)
    _upload(indicator, "period,value,\n2024-Q1,10,\n", cast)  # an empty trailing column
    with pytest.raises(IndicatorError, match="column 3 has no name in the header row, but row 1"):
        _upload(indicator, "period,value,\n2024-Q2,10,x\n", cast)
