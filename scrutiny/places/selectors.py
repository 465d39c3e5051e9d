from __future__ import annotations

from scrutiny.places.models import Area, AreaAlias


class UnknownAreaError(LookupError):
    def __init__(self, value: str) -> None:
        super().__init__(
            f"{value!r} is not a Scottish council area code (S12…), Scotland (S92000003), "
            "a replaced code or a known council name"
        )
        self.value = value


def area_lookup_table() -> dict[str, Area]:
    """Every code, name and alias (case-insensitive) mapped to its current area."""
    table: dict[str, Area] = {}
    for area in Area.objects.all():
        table[area.code.lower()] = area
        table[area.name.lower()] = area
    for alias in AreaAlias.objects.select_related("area"):
        table[alias.alias.lower()] = alias.area
    return table


def area_resolve(*, value: str, table: dict[str, Area] | None = None) -> Area:
    """Map a code, replaced code or name variant to the current area, or raise."""
    lookup = table if table is not None else area_lookup_table()
    area = lookup.get(value.strip().lower())
    if area is None:
        raise UnknownAreaError(value)
    return area
