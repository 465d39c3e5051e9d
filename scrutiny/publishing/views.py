from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from scrutiny.publishing import selectors


def partnerships(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "publishing/partnerships.html",
        {"partnerships": selectors.partnerships_with_published_work()},
    )
