from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from scrutiny.indicators import selectors, services
from scrutiny.indicators.models import Indicator, IndicatorSeries, Observation, Publication
from scrutiny.indicators.services import IndicatorError
from scrutiny.places.models import Area, Partnership
from tests.conftest import Cast
from tests.indicators.helpers import cube

pytestmark = pytest.mark.django_db


def _import(content: bytes, title: str = "CSWS", vintage: date = date(2024, 3, 1)) -> Publication:
    return services.cube_import(
        content=content, file_name="cube.csv", title=title, vintage=vintage, by=None
    )


def _value(key: str, code: str, period: str) -> Any:
    indicator = Indicator.objects.get(key=key)
    area = Area.objects.get(code=code)
    points = selectors._observations([indicator.pk], [area.pk])[(indicator.pk, area.pk)]
    return next(p for p in points if p.period == period)


def test_it_imports_a_statistics_gov_scot_cube_keeping_suppressed_cells() -> None:
    publication = _import(
        cube(
            [
                ("S12000028", "2023", "Count", "312", "All"),
                ("S12000028", "2023", "Ratio", "16.4", "All"),
                ("S12000028", "2023", "Count", "*", "Residential Care"),
                ("S12000028", "2023", "Count", "c", "At Home"),
                ("S92000003", "2023", "Count", "12,206", "All"),
            ]
        )
    )
    assert publication.rows == 5
    assert publication.kind == Publication.Kind.STATISTICS_GOV_SCOT
    assert _value("sgs_lac_count_all", "S12000028", "2023").value == 312
    assert _value("sgs_lac_ratio_all", "S12000028", "2023").value == 16.4
    assert _value("sgs_lac_count_all", "S92000003", "2023").value == 12206
    suppressed = _value("sgs_lac_count_residential", "S12000028", "2023")
    assert suppressed.suppressed and suppressed.value is None
    assert _value("sgs_lac_count_at_home", "S12000028", "2023").suppressed


def test_it_maps_replaced_codes_and_name_variants_to_todays_councils() -> None:
    _import(
        cube(
            [
                ("S12000046", "2017", "Count", "3500", "All"),
                ("Edinburgh, City of", "2017", "Count", "1200", "All"),
                ("Perth & Kinross", "2017", "Count", "250", "All"),
            ]
        )
    )
    assert _value("sgs_lac_count_all", "S12000049", "2017").value == 3500  # Glasgow
    assert _value("sgs_lac_count_all", "S12000036", "2017").value == 1200
    assert _value("sgs_lac_count_all", "S12000048", "2017").value == 250


def test_it_imports_the_data_gov_scot_variant() -> None:
    content = (
        b"GeographyCode,DateCode,Measurement,Residential Status,GeographyType,Value\n"
        b"S12000028,2022/2023,Count,All,Council Area,300\n"
        b"S12000028,2022/2023,Ratio,All,Council Area,15.8\n"
    )
    publication = _import(content)
    assert publication.kind == Publication.Kind.DATA_GOV_SCOT
    assert _value("sgs_lac_count_all", "S12000028", "2023").value == 300


def test_importing_makes_each_partnership_a_chart_page() -> None:
    _import(cube([("S12000028", "2023", "Count", "312", "All")]))
    partnership = Partnership.objects.get(slug="south-ayrshire")
    series = IndicatorSeries.objects.get(
        partnership=partnership, indicator__key="sgs_lac_count_all"
    )
    assert series.get_absolute_url() == "/indicators/p/south-ayrshire/sgs_lac_count_all/"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [
                ("S12000028", "2023", "Count", "3", "All"),
                ("S12999999", "2023", "Count", "3", "All"),
            ],
            "row 2: 'S12999999' is not a Scottish council area code",
        ),
        ([("S12000028", "2023", "Count", "three", "All")], "row 1: Value 'three' is not a number"),
        ([("S12000028", "2023", "Count", "", "All")], "row 1: Value is blank"),
        ([("S12000028", "2023", "Count", "-4", "All")], "row 1: Value '-4' is negative"),
        (
            [
                ("S12000028", "2023", "Ratio", "2.5", "All"),
                ("S12000028", "2023", "Count", "2.5", "All"),
            ],
            "row 2: a count is a whole number of 0 or more, not 2.5",
        ),
        ([("S12000028", "23", "Count", "4", "All")], "row 1: DateCode '23' is not a year"),
        (
            [("S12000028", "2023", "Count", "4", "Secure")],
            "row 1: no indicator in the catalogue is Measurement 'Count', Residential Status "
            "'Secure'",
        ),
        (
            [
                ("S12000049", "2023", "Count", "4", "All"),
                ("S12000046", "2023", "Count", "5", "All"),
            ],
            "row 2 repeats row 1: the same indicator, area and period",
        ),
    ],
)
def test_it_refuses_bad_rows_naming_them_and_saves_nothing(
    rows: list[tuple[str, ...]], message: str
) -> None:
    with pytest.raises(IndicatorError) as refused:
        _import(cube(rows))  # type: ignore[arg-type]
    assert message in str(refused.value)
    assert "Nothing was saved." in str(refused.value)
    assert not Publication.objects.exists()
    assert not Observation.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty"),
        (b"Area,Year,Value\nS12000028,2023,4\n", "The columns are not those of"),
        (b"FeatureCode,DateCode,Value\nS12000028,2023,4\n", "no Measurement, Units column"),
        (b"\xff\xfe\x00bad", "not UTF-8"),
    ],
)
def test_it_refuses_files_it_cannot_read(content: bytes, message: str) -> None:
    with pytest.raises(IndicatorError, match=message):
        _import(content)


def test_a_revision_adds_history_and_the_latest_vintage_is_current() -> None:
    _import(cube([("S12000028", "2023", "Count", "300", "All")]), "2023 release", date(2024, 3, 1))
    _import(cube([("S12000028", "2023", "Count", "305", "All")]), "2024 release", date(2025, 3, 1))
    point = _value("sgs_lac_count_all", "S12000028", "2023")
    assert point.value == 305
    assert [(r.title, r.value) for r in point.earlier] == [("2023 release", 300)]
    assert Observation.objects.count() == 2


def test_an_older_vintage_loaded_later_does_not_replace_the_current_value() -> None:
    _import(cube([("S12000028", "2023", "Count", "305", "All")]), "2024 release", date(2025, 3, 1))
    _import(cube([("S12000028", "2023", "Count", "300", "All")]), "2023 release", date(2024, 3, 1))
    assert _value("sgs_lac_count_all", "S12000028", "2023").value == 305


def test_the_import_page_lists_the_problems_by_row(cast: Cast, as_user: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("cube.csv", cube([("S12000099", "2023", "Count", "4", "All")]))
    response = as_user(cast.admin).post(
        "/indicators/imports/cube/",
        {"file": upload, "title": "CSWS", "vintage": "2024-03-01"},
    )
    assert response.status_code == 200
    assert "row 1: &#x27;S12000099&#x27; is not a Scottish council area code" in response.text
    assert not Publication.objects.exists()


def test_the_import_page_imports_and_says_how_many(cast: Cast, as_user: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("cube.csv", cube([("S12000028", "2023", "Count", "4", "All")]))
    response = as_user(cast.admin).post(
        "/indicators/imports/cube/",
        {"file": upload, "title": "CSWS", "vintage": "2024-03-01"},
        follow=True,
    )
    assert "Imported 1 values" in response.text
    assert Publication.objects.get().created_by == cast.admin


def test_only_administrators_may_import(cast: Cast, as_user: Any) -> None:
    assert as_user(cast.lead_a).get("/indicators/imports/cube/").status_code == 403
    assert as_user(cast.link_a).get("/indicators/imports/cube/").status_code == 403


def test_it_refuses_a_row_with_more_cells_than_the_header() -> None:
    content = cube([("S12000028", "2023", "Count", "312", "All")]) + (
        b"S92000003,2023,Count,Children,12,206,All\n"
    )
    with pytest.raises(IndicatorError) as refused:
        _import(content)
    assert "row 2 has 7 cells but the header has 6 columns" in str(refused.value)
    assert not Observation.objects.exists()


def test_rows_are_numbered_counting_blank_lines() -> None:
    content = cube([("S12000028", "2023", "Count", "312", "All")]) + (
        b"\nS12000028,2022,Count,Children,three,All\n"
    )
    with pytest.raises(IndicatorError) as refused:
        _import(content)
    assert "row 3: Value 'three' is not a number" in str(refused.value)
