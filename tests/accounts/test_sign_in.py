from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from scrutiny.accounts.forms import SIGN_IN_FAILED
from scrutiny.accounts.models import Role
from scrutiny.accounts.views import LOCKED_OUT
from tests import factories

pytestmark = pytest.mark.django_db
SIGN_IN = reverse("accounts:sign-in")


def _sign_in(client: Client, email: str, password: str) -> Any:
    return client.post(SIGN_IN, {"username": email, "password": password})


def test_it_signs_in_with_email_and_password() -> None:
    user = factories.user(Role.PARTNERSHIP_LEAD, "south-ayrshire", email="jo@example.org")
    client = Client()
    response = _sign_in(client, "Jo@Example.org", factories.PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).context["user"] == user


def test_a_wrong_password_does_not_reveal_whether_the_email_exists() -> None:
    factories.user(Role.VIEWER, "south-ayrshire", email="known@example.org")
    known = _sign_in(Client(), "known@example.org", "wrong-password")
    unknown = _sign_in(Client(), "nobody@example.org", "wrong-password")
    assert known.status_code == unknown.status_code == 200
    assert SIGN_IN_FAILED in known.content.decode()
    assert SIGN_IN_FAILED in unknown.content.decode()


def test_the_sixth_failure_locks_the_account_for_15_minutes() -> None:
    factories.user(Role.VIEWER, "south-ayrshire", email="target@example.org")
    client = Client()
    for _ in range(5):
        response = _sign_in(client, "target@example.org", "wrong-password")
        assert response.status_code == 200
        assert LOCKED_OUT not in response.content.decode()
    sixth = _sign_in(client, "target@example.org", "wrong-password")
    assert sixth.status_code == 429
    assert "locked for 15 minutes" in sixth.content.decode()
    # Even the right password is refused while the account is locked.
    locked = _sign_in(Client(), "target@example.org", factories.PASSWORD)
    assert locked.status_code == 429


def test_sign_out_needs_a_post_and_ends_the_session() -> None:
    user = factories.user(Role.VIEWER, "south-ayrshire")
    client = Client()
    client.force_login(user)
    assert client.get(reverse("accounts:sign-out")).status_code == 405
    assert client.post(reverse("accounts:sign-out")).status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_password_reset_sends_a_working_link_by_email() -> None:
    factories.user(Role.VIEWER, "south-ayrshire", email="forgot@example.org")
    client = Client()
    response = client.post(reverse("accounts:password-reset"), {"email": "forgot@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    match = re.search(r"http://testserver(/account/password-reset/\S+/)", str(mail.outbox[0].body))
    assert match, mail.outbox[0].body
    # The link redirects once to a session-bound address, then shows the new-password form.
    page = client.get(match.group(1), follow=True)
    assert page.context["validlink"] is True
    new = "a-brand-new-long-password"
    client.post(page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert _sign_in(Client(), "forgot@example.org", new).status_code == 302


def test_password_reset_for_an_unknown_email_looks_the_same() -> None:
    response = Client().post(reverse("accounts:password-reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []
