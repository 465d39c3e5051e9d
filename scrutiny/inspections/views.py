from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from scrutiny.accounts.access import require
from scrutiny.inspections.models import Inspection
from scrutiny.places.models import Partnership


@login_required
def partnership(request: HttpRequest, slug: str) -> HttpResponse:
    place = get_object_or_404(Partnership, slug=slug)
    require(request, "places.view_partnership", place)
    inspections = place.inspections.all()
    return render(
        request, "inspections/partnership.html", {"partnership": place, "inspections": inspections}
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_object_or_404(Inspection.objects.select_related("partnership"), pk=pk)
    require(request, "inspections.view_inspection", inspection)
    return render(request, "inspections/detail.html", {"inspection": inspection})
