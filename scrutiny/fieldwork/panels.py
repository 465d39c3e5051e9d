from __future__ import annotations

from typing import Any

from django.db.models import Count

from scrutiny.accounts.models import User
from scrutiny.places.models import Partnership


def partnership_panel(*, partnership: Partnership, user: User) -> tuple[str, dict[str, Any]] | None:
    from scrutiny.fieldwork.models import PreInspectionReturn, Sample

    inspections = [
        inspection
        for inspection in partnership.inspections.annotate(survey_count=Count("surveys"))
        if user.has_perm("fieldwork.view_fieldwork", inspection)
    ]
    if not inspections:
        return None
    ids = [inspection.pk for inspection in inspections]
    children: dict[int, int] = {}
    for inspection_id, count in (
        PreInspectionReturn.objects.filter(inspection_id__in=ids)
        .annotate(distinct_children=Count("children__child_id", distinct=True))
        .order_by("inspection_id", "uploaded_at", "pk")
        .values_list("inspection_id", "distinct_children")
    ):
        children[inspection_id] = count  # the latest upload wins; a child on two lists once
    samples = dict(
        Sample.objects.filter(inspection_id__in=ids).values_list("inspection_id", "size")
    )
    rows = [
        {
            "inspection": inspection,
            "children": children.get(inspection.pk),
            "sample": samples.get(inspection.pk),
            "surveys": inspection.survey_count,
        }
        for inspection in inspections
    ]
    return "fieldwork/panels/partnership.html", {"rows": rows}
