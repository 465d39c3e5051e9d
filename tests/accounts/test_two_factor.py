from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from scrutiny.accounts.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_inspectorate_staff_must_set_up_and_pass_two_factor(settings) -> None:
    settings.SCRUTINY_REQUIRE_2FA = True
    inspector = factories.user(Role.INSPECTOR)
    client = Client()
    client.force_login(inspector)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two-factor"))

    setup = client.get(reverse("accounts:two-factor"))
    assert setup.context["setting_up"] is True
    assert "<svg" in setup.content.decode()
    device = TOTPDevice.objects.get(user=inspector)

    wrong = client.post(reverse("accounts:two-factor"), {"token": "000000"})
    assert "That code is not right" in wrong.content.decode()
    # A wrong code throttles the next try; a person would wait a moment before retrying.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    right = client.post(reverse("accounts:two-factor"), {"token": _code(device)})
    assert right.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_partnership_staff_are_not_asked_for_two_factor(settings) -> None:
    settings.SCRUTINY_REQUIRE_2FA = True
    client = Client()
    client.force_login(factories.user(Role.PARTNERSHIP_LEAD, "south-ayrshire"))
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_two_factor_is_off_unless_required(settings) -> None:
    settings.SCRUTINY_REQUIRE_2FA = False
    client = Client()
    client.force_login(factories.user(Role.INSPECTOR))
    assert client.get(reverse("accounts:profile")).status_code == 200
