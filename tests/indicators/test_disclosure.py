from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from scrutiny.indicators import services
from scrutiny.indicators.disclosure import Cell, linked_pattern, protect_cells
from scrutiny.indicators.models import GatePattern, Indicator
from scrutiny.places.models import SCOTLAND_CODE, Area
from tests.conftest import Cast
from tests.indicators.helpers import cube

pytestmark = pytest.mark.django_db


def _rows(response: Any) -> tuple[list[dict[str, str]], str]:
    text = response.content.decode()
    data, _, notes = text.partition("\n\n")  # (no notes: the files are data only)
    return list(csv.DictReader(io.StringIO(data))), notes


def _import(rows: list[tuple[str, str, str, str, str]]) -> None:
    services.cube_import(
        content=cube(rows), file_name="c.csv", title="CSWS", vintage=date(2025, 3, 1), by=None
    )


def test_the_csv_suppresses_small_counts_and_the_rates_built_on_them(
    cast: Cast, as_user: Any
) -> None:
    _import(
        [
            ("S12000028", "2022", "Count", "3", "Residential Care"),
            ("S12000028", "2022", "Ratio", "0.2", "Residential Care"),
            ("S12000028", "2023", "Count", "12", "Residential Care"),
            ("S12000028", "2023", "Ratio", "0.6", "Residential Care"),
            ("S12000028", "2023", "Count", "0", "At Home"),
        ]
    )
    response = as_user(cast.lead_a).get("/indicators/p/south-ayrshire/indicators.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows, notes = _rows(response)
    found = {(r["indicator"], r["period"]): (r["value"], r["note"]) for r in rows}
    assert found[("sgs_lac_count_residential", "2022")] == ("*", "suppressed: small count")
    assert found[("sgs_lac_ratio_residential", "2022")] == (
        "*",
        "suppressed: built on a small count",
    )
    assert found[("sgs_lac_count_residential", "2023")] == ("12", "")
    assert found[("sgs_lac_ratio_residential", "2023")] == ("0.6", "")
    assert found[("sgs_lac_count_at_home", "2023")] == ("0", "")
    assert notes == ""  # data only: nothing below the rows to break a spreadsheet or R
    assert {r["source"] for r in rows} == {
        "statistics.gov.scot, cube looked-after-children (Scottish Government, Children's "
        "Social Work Statistics)"
    }
    reader = csv.reader(io.StringIO(response.content.decode()))
    assert {len(line) for line in reader} == {9}  # every line a full row
    name = response["Content-Disposition"]
    assert name.startswith('attachment; filename="south-ayrshire-indicators-20')
    page = as_user(cast.lead_a).get("/indicators/p/south-ayrshire/").text
    assert "Counts from 1 to 4 are suppressed (shown as *)." in page
    assert "Rates and percentages based on a suppressed count are suppressed." in page


def test_a_breakdown_protects_a_small_part_with_a_second_one() -> None:
    indicators = list(Indicator.objects.filter(key__in=["lac_home", "lac_kinship", "lac_foster"]))
    ids = {i.key: i.pk for i in indicators}
    cells = {
        (ids["lac_home"], 1, "2023"): Cell(3, 3, None, False),
        (ids["lac_kinship"], 1, "2023"): Cell(40, 40, None, False),
        (ids["lac_foster"], 1, "2023"): Cell(30, 30, None, False),
    }
    # Their total is not given: readers are taken to know it (it is published with them).
    linked = linked_pattern(
        indicators=indicators, cells=cells, scotland=99, councils=[1, 2], threshold=5
    )
    gated, rules = protect_cells(indicators=indicators, cells=cells, linked=linked)
    assert gated[(ids["lac_home"], 1, "2023")].rule == "primary"
    assert gated[(ids["lac_foster"], 1, "2023")].rule == "secondary"
    assert gated[(ids["lac_kinship"], 1, "2023")].value == 40
    assert rules == {"primary", "secondary"}


@dataclass(frozen=True)
class _Row:
    council: str
    year: int
    indicator: str
    numerator: int
    denominator: int | None
    value: float


SHETLAND, ORKNEY = "S12000027", "S12000023"


def _national_figures() -> dict[tuple[str, int, str], int]:
    """Children looked after and on the register for every council and Scotland, 2022-2023,
    adding up as figures computed from child-level data do. Shetland has 2 children looked
    after at home in 2023; Orkney's register falls from 7 to
    4 (7 + 7 registrations - 10 de-registrations)."""
    councils = sorted(Area.objects.filter(kind=Area.Kind.COUNCIL).values_list("code", flat=True))
    figures: dict[tuple[str, int, str], int] = {}
    for number, code in enumerate(councils):
        for year in (2022, 2023):
            parts = {
                "lac_home": 6,
                "lac_kinship": 10 + number % 7,
                "lac_foster": 12 + number % 5,
                "lac_prospective_adopters": 0,
                "lac_other_community": 6,
                "lac_residential": 8,
            }
            if code == SHETLAND and year == 2023:
                parts.update(lac_home=2, lac_other_community=2, lac_residential=3)
            figures.update({(code, year, key): value for key, value in parts.items()})
            figures[(code, year, "lac_total")] = sum(parts.values())
            figures[(code, year, "lac_away")] = sum(parts.values()) - parts["lac_home"]
            small = code == ORKNEY
            registered, deregistered = (7, 10) if small else (20, 15)
            figures[(code, year, "cp_registrations")] = registered
            figures[(code, year, "cp_deregistrations")] = deregistered
        before = 7 if code == ORKNEY else 50
        figures[(code, 2022, "cp_register")] = before
        figures[(code, 2023, "cp_register")] = (
            before
            + figures[(code, 2023, "cp_registrations")]
            - figures[(code, 2023, "cp_deregistrations")]
        )
    for (_, year, key), value in list(figures.items()):
        scotland = (SCOTLAND_CODE, year, key)
        figures[scotland] = figures.get(scotland, 0) + value
    return figures


def _store_national(figures: dict[tuple[str, int, str], int]) -> None:
    services.child_level_store(
        rows=[_Row(c, y, k, v, None, float(v)) for (c, y, k), v in figures.items()],
        title="Children looked after and on the register",
        vintage=date(2024, 3, 1),
        by=None,
    )


def _published_everywhere() -> dict[tuple[str, int, str], float | None]:
    """Every area's figures as any page or download may publish them."""
    from scrutiny.indicators import selectors

    indicators = list(Indicator.objects.filter(partnership__isnull=True))
    gating = selectors._gating_set(indicators)
    areas = {a.pk: a.code for a in Area.objects.all()}
    published, _ = selectors._published(
        gating, selectors._observations([i.pk for i in gating], list(areas)), list(areas)
    )
    keys = {i.pk: i.key for i in gating}
    return {
        (areas[area], int(point.period), keys[indicator]): point.value
        for (indicator, area), points in published.items()
        for point in points
    }


def test_published_figures_cannot_be_added_up_to_a_suppressed_count(client: Any) -> None:
    figures = _national_figures()
    _store_national(figures)
    rows, _ = _rows(client.get("/indicators/public/shetland-islands/indicators.csv"))
    shown = {(r["indicator"], r["period"]): r["value"] for r in rows if r["area_code"] == SHETLAND}
    assert shown[("lac_total", "2023")] == str(figures[(SHETLAND, 2023, "lac_total")])
    # Hidden at home, and so away from home too: 29 - away would give it back.
    assert shown[("lac_home", "2023")] == "*"
    assert shown[("lac_away", "2023")] == "*"
    published = _published_everywhere()
    hidden = {key for key, value in published.items() if value is None}
    assert (ORKNEY, 2023, "cp_register") in hidden

    def unknowns(keys: list[tuple[str, int, str]]) -> int:
        return sum(key in hidden for key in keys)

    years, codes = (2022, 2023), sorted({code for code, _, _ in figures} - {SCOTLAND_CODE})
    kinds = sorted({key for _, _, key in figures})
    # No sum a reader can form has exactly one suppressed figure in it.
    for year in years:
        for kind in kinds:
            assert unknowns([(c, year, kind) for c in [*codes, SCOTLAND_CODE]]) != 1, (kind, year)
            # Nor can a council's staff, who know their own figures, with Scotland's.
            assert unknowns([(c, year, kind) for c in codes]) != 2, (kind, year)
        for code in [*codes, SCOTLAND_CODE]:
            home_away = [(code, year, k) for k in ("lac_total", "lac_home", "lac_away")]
            assert unknowns(home_away) != 1, (code, year)
    for code in [*codes, SCOTLAND_CODE]:
        flow = [
            (code, 2022, "cp_register"),
            (code, 2023, "cp_registrations"),
            (code, 2023, "cp_register"),
            (code, 2023, "cp_deregistrations"),
        ]
        assert unknowns(flow) != 1, code
    # Every figure shown is the true one.
    assert all(
        value is None or value == figures[key] for key, value in published.items() if key in figures
    )


def test_the_pattern_is_kept_after_an_import_and_used_by_the_pages() -> None:
    from scrutiny.indicators import selectors

    _store_national(_national_figures())
    (stored,) = GatePattern.objects.all()
    assert stored.fingerprint == selectors.linked_fingerprint()
    computed = selectors.linked_pattern_compute()
    assert {(i, a, p): r for i, a, p, r in stored.rules} == dict(computed.rules)
    selectors._LINKED.clear()
    selectors._FAMILIES.clear()
    stored.rules = []  # pages read the kept pattern rather than working it out again
    stored.save()
    assert selectors._linked_pattern().rules == {}
    selectors._LINKED.clear()


def test_a_child_level_rate_is_suppressed_when_its_numerator_is_small() -> None:
    indicators = list(Indicator.objects.filter(key__in=["cp_register", "cp_register_rate"]))
    ids = {i.key: i.pk for i in indicators}
    cells = {
        (ids["cp_register"], 1, "2023"): Cell(2, 2, None, False),
        (ids["cp_register_rate"], 1, "2023"): Cell(0.1, 2, 19_000, False),
        (ids["cp_register"], 1, "2024"): Cell(25, 25, None, False),
        (ids["cp_register_rate"], 1, "2024"): Cell(1.3, 25, 19_000, False),
    }
    gated, _ = protect_cells(indicators=indicators, cells=cells)
    assert gated[(ids["cp_register_rate"], 1, "2023")].value is None
    assert gated[(ids["cp_register_rate"], 1, "2024")].value == 1.3


def test_the_public_page_and_csv_show_only_protected_published_figures(
    cast: Cast, client: Any
) -> None:
    _import(
        [
            ("S12000028", str(y), "Count", str(2 if y == 2019 else 40 + y % 4), "At Home")
            for y in range(2014, 2024)
        ]
    )
    page = client.get("/indicators/public/south-ayrshire/")
    assert page.status_code == 200
    assert "Counts from 1 to 4 are suppressed" in page.text
    assert "suppressed: small count" in page.text
    # Read by the public: a contents list, the source of each chart, and how to read them.
    assert 'href="#ind-' in page.text and '<h2 id="public-contents"' in page.text
    assert "Source: statistics.gov.scot" in page.text
    assert "How to read these charts" in page.text
    assert "docs/" not in page.text
    rows, _ = _rows(client.get("/indicators/public/south-ayrshire/indicators.csv"))
    values = {r["period"]: r["value"] for r in rows if r["area_code"] == "S12000028"}
    assert values["2019"] == "*"
    assert values["2020"] == "40"


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (12.0, "count", "12"),
        (84.21052631578947, "percent", "84.21"),
        (15.417403527864689, "rate_per_1000", "15.42"),
        (0.0042, "number", "0.0042"),
        (-0.001, "percent", "0"),
        (None, "count", "*"),
    ],
)
def test_csv_values_are_rounded_to_fit_their_unit(value: Any, unit: str, text: str) -> None:
    from scrutiny.indicators.selectors import _plain

    assert _plain(value, unit) == text


def _breakdown_2023(code: str) -> None:
    """A breakdown of one council's children looked after in 2023 with one small part (3 at
    home): the gate suppresses it, and the next smallest part (12 in residential care) with it,
    so that the total cannot give it back."""
    _import(
        [
            (code, "2023", "Count", "3", "At Home"),
            (code, "2023", "Count", "20", "Foster / Prospective Adopters"),
            (code, "2023", "Count", "30", "Other Community Placement"),
            (code, "2023", "Count", "12", "Residential Care"),
            (code, "2023", "Ratio", "0.6", "Residential Care"),
        ]
    )


def test_one_chart_s_csv_protects_a_part_of_a_breakdown_as_the_whole_table_does(
    cast: Cast, as_user: Any
) -> None:
    _breakdown_2023("S12000028")
    lead = as_user(cast.lead_a)
    whole, _ = _rows(lead.get("/indicators/p/south-ayrshire/indicators.csv"))
    found = {r["indicator"]: (r["value"], r["note"]) for r in whole if r["period"] == "2023"}
    assert found["sgs_lac_count_at_home"] == ("*", "suppressed: small count")
    assert found["sgs_lac_count_residential"][0] == "*"
    assert found["sgs_lac_count_foster"] == ("20", "")
    # Asked for alone, the residential chart's file must not give back the value the whole
    # table hides, nor the rate built on it.
    for key in ("sgs_lac_count_residential", "sgs_lac_ratio_residential"):
        rows, _ = _rows(lead.get(f"/indicators/p/south-ayrshire/{key}/data.csv"))
        assert [(r["period"], r["value"]) for r in rows if r["area_code"] == "S12000028"] == [
            ("2023", "*")
        ]


def test_the_chart_page_shows_other_councils_only_through_the_gate(
    cast: Cast, as_user: Any
) -> None:
    from scrutiny.indicators import selectors
    from scrutiny.places.models import Area, ComparatorGroup, Partnership

    _import(
        [
            (code, str(year), "Count", value, "Residential Care")
            for year in range(2019, 2024)
            for code, value in (("S12000028", "2"), ("S12000008", "3" if year == 2023 else "40"))
        ]
    )
    south = Partnership.objects.get(slug="south-ayrshire")
    group = ComparatorGroup.objects.create(partnership=south, name="Neighbours")
    group.areas.set(Area.objects.filter(code="S12000008"))  # one council: its median is itself
    indicator = Indicator.objects.get(key="sgs_lac_count_residential")
    page = selectors.chart_page(partnership=south, indicator=indicator)
    rows = dict(page.comparator_rows)
    # South Ayrshire sees its own small counts (its own data); East Ayrshire's 3 is hidden.
    assert rows["South Ayrshire"] == ["2"] * 5
    assert rows["East Ayrshire"] == ["40", "40", "40", "40", "*"]
    assert page.chart.comparator == {str(year): 40.0 for year in range(2019, 2023)}
    html = as_user(cast.lead_a).get("/indicators/p/south-ayrshire/sgs_lac_count_residential/")
    assert html.status_code == 200
    cells = html.text.split("Table of the comparator councils", 1)[1].split("</table>", 1)[0]
    assert ">3<" not in cells and ">*<" in cells


def test_scotland_protects_a_council_when_only_some_councils_have_figures() -> None:
    # Two councils in the files, Scotland their sum: Scotland - 10 would give the 2 back.
    (indicator,) = Indicator.objects.filter(key="cp_register")
    cells = {
        (indicator.pk, 1, "2024"): Cell(10, 10, None, False),
        (indicator.pk, 2, "2024"): Cell(2, 2, None, False),
        (indicator.pk, 100, "2024"): Cell(12, 12, None, False),
    }
    rules = linked_pattern(
        indicators=[indicator], cells=cells, scotland=100, councils=[1, 2, 3, 4], threshold=5
    ).rules
    assert rules[(indicator.pk, 2, "2024")] == "primary"
    assert len(rules) >= 2  # and another figure of the sum with it


def test_a_small_count_the_pattern_has_not_seen_is_still_suppressed() -> None:
    # A figure stored after the page read the pattern: the pattern has no rule for it.
    (indicator,) = Indicator.objects.filter(key="cp_register")
    key = (indicator.pk, 1, "2024")
    empty = linked_pattern(
        indicators=[indicator], cells={}, scotland=100, councils=[1], threshold=5
    )
    gated, _ = protect_cells(
        indicators=[indicator], cells={key: Cell(3, 3, None, False)}, linked=empty
    )
    assert gated[key].value is None and gated[key].rule == "primary"


def test_the_kept_pattern_is_not_used_once_the_rules_or_areas_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from scrutiny.indicators import disclosure, selectors

    _store_national(_national_figures())
    before = selectors.linked_fingerprint()
    monkeypatch.setattr(disclosure, "PATTERN_VERSION", disclosure.PATTERN_VERSION + 1)
    assert selectors.linked_fingerprint() != before
    monkeypatch.undo()
    assert selectors.linked_fingerprint() == before
    Area.objects.create(code="S12000099", name="A new council", kind=Area.Kind.COUNCIL)
    assert selectors.linked_fingerprint() != before
