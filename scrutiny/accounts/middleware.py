from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse


class TwoFactorRequiredMiddleware:
    """With SCRUTINY_REQUIRE_2FA on, inspectorate staff must pass a TOTP check after their
    password before they reach anything but the two-factor pages and sign-out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.SCRUTINY_REQUIRE_2FA
            and user.is_authenticated
            and user.is_inspectorate
            and not user.is_verified()  # type: ignore[attr-defined]
        ):
            allowed = (
                reverse("accounts:two-factor"),
                reverse("accounts:sign-out"),
                settings.STATIC_URL,
            )
            if not request.path.startswith(allowed):
                return redirect(f"{reverse('accounts:two-factor')}?next={request.get_full_path()}")
        return self.get_response(request)
