from __future__ import annotations

import pytest

from scrutiny.places.models import SCOTLAND_CODE, Area, Partnership
from scrutiny.places.selectors import UnknownAreaError, area_resolve

pytestmark = pytest.mark.django_db


def test_it_loads_32_councils_and_scotland() -> None:
    assert Area.objects.filter(kind=Area.Kind.COUNCIL).count() == 32
    assert Area.objects.get(code=SCOTLAND_CODE).name == "Scotland"
    assert Area.objects.get(code="S12000028").name == "South Ayrshire"


def test_there_is_a_partnership_per_council() -> None:
    assert Partnership.objects.count() == 32
    assert Partnership.objects.get(slug="east-ayrshire").area.code == "S12000008"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("S12000015", "S12000047"),
        ("S12000024", "S12000048"),
        ("S12000046", "S12000049"),
        ("S12000044", "S12000050"),
        ("Edinburgh, City of", "S12000036"),
        ("eilean siar", "S12000013"),
        ("Argyll & Bute", "S12000035"),
        ("Perth & Kinross", "S12000048"),
        ("Dumfries & Galloway", "S12000006"),
        (" South Ayrshire ", "S12000028"),
    ],
)
def test_replaced_codes_and_name_variants_resolve_to_current_councils(
    value: str, code: str
) -> None:
    assert area_resolve(value=value).code == code


def test_an_unknown_area_is_named_in_the_error() -> None:
    with pytest.raises(UnknownAreaError, match="'S12999999' is not a Scottish council area"):
        area_resolve(value="S12999999")


def test_island_councils_are_flagged() -> None:
    islands = set(Area.objects.filter(island=True).values_list("name", flat=True))
    assert islands == {"Na h-Eileanan Siar", "Orkney Islands", "Shetland Islands"}
