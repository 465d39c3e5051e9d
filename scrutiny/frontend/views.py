from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template import loader

from scrutiny.accounts.access import AuthenticatedRequest, require
from scrutiny.frontend import selectors
from scrutiny.frontend.panels import home_panels, partnership_panels
from scrutiny.places.models import Partnership


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "frontend/welcome.html")
    context = selectors.home_for(user=request.user)
    context["home_panels"] = home_panels(user=request.user)
    return render(request, "frontend/home.html", context)


@login_required
def partnership(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """A partnership's private workspace: a panel from each app the user may see."""
    place = get_object_or_404(Partnership.objects.select_related("area"), slug=slug)
    require(request, "places.view_partnership", place)
    return render(
        request,
        "frontend/partnership.html",
        {"partnership": place, "panels": partnership_panels(partnership=place, user=request.user)},
    )


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/privacy.html")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without context processors: the error may have come from one of them.
    return HttpResponse(loader.get_template("500.html").render({}), status=500)
