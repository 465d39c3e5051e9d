from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from scrutiny.accounts.models import Organisation, Role, User

pytestmark = pytest.mark.django_db


def _admin_client(cast) -> Client:
    client = Client()
    client.force_login(cast.admin)
    return client


def test_an_administrator_adds_a_person_who_is_emailed_a_link(cast) -> None:
    organisation = Organisation.objects.get(partnership__slug="south-ayrshire")
    response = _admin_client(cast).post(
        reverse("accounts:person-add"),
        {
            "email": "New.Person@Example.org",
            "full_name": "New Person",
            "organisation": organisation.pk,
            "role": Role.CONTRIBUTOR,
        },
    )
    assert response.status_code == 302
    person = User.objects.get(email="new.person@example.org")
    assert person.role == Role.CONTRIBUTOR
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.org"]
    link = re.search(r"http://testserver(/account/password-reset/\S+/)", str(mail.outbox[0].body))
    assert link is not None
    page = Client().get(link.group(1), follow=True)
    assert page.context["validlink"] is True


def test_a_role_that_does_not_fit_the_organisation_is_refused(cast) -> None:
    organisation = Organisation.objects.get(partnership__slug="south-ayrshire")
    response = _admin_client(cast).post(
        reverse("accounts:person-add"),
        {
            "email": "x@example.org",
            "full_name": "X",
            "organisation": organisation.pk,
            "role": Role.INSPECTOR,
        },
    )
    assert response.status_code == 200
    assert "Partnership staff need a partnership role." in response.content.decode()
    assert not User.objects.filter(email="x@example.org").exists()
    assert mail.outbox == []


def test_a_duplicate_email_is_refused(cast) -> None:
    response = _admin_client(cast).post(
        reverse("accounts:person-add"),
        {
            "email": cast.viewer_a.email.upper(),
            "full_name": "Again",
            "organisation": cast.viewer_a.organisation_id,
            "role": Role.VIEWER,
        },
    )
    assert f"There is already an account for {cast.viewer_a.email}." in response.content.decode()


def test_deactivating_a_person_stops_them_signing_in(cast) -> None:
    client = _admin_client(cast)
    client.post(
        reverse("accounts:person-edit", args=[cast.viewer_a.pk]),
        {"full_name": cast.viewer_a.full_name, "role": Role.VIEWER},
    )
    cast.viewer_a.refresh_from_db()
    assert cast.viewer_a.is_active is False
    viewer = Client()
    viewer.force_login(cast.viewer_a)
    assert viewer.get(reverse("accounts:profile")).status_code == 302


def test_administrators_cannot_lock_themselves_out(cast) -> None:
    response = _admin_client(cast).post(
        reverse("accounts:person-edit", args=[cast.admin.pk]),
        {"full_name": cast.admin.full_name, "role": Role.ADMINISTRATOR},
    )
    assert "You cannot change your own role or deactivate yourself." in response.content.decode()
    cast.admin.refresh_from_db()
    assert cast.admin.is_active


def test_a_too_long_email_is_explained_at_the_field(cast) -> None:
    """
    Given an email address of 261 characters, longer than an account can keep
    When an administrator adds a person with it
    Then the email field says how long an address may be, and the box stops at that length
    """
    email = "a" * 249 + "@example.org"
    client = _admin_client(cast)
    response = client.post(
        reverse("accounts:person-add"),
        {
            "email": email,
            "full_name": "Long Address",
            "organisation": cast.viewer_a.organisation_id,
            "role": Role.VIEWER,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "Enter an email address of at most 254 characters (this one has 261)."
    ]
    assert not User.objects.filter(full_name="Long Address").exists()
    page = client.get(reverse("accounts:person-add")).content.decode()
    assert re.search(r'<input[^>]*name="email"[^>]*maxlength="254"', page)


def test_a_too_long_name_is_explained_at_the_field(cast) -> None:
    response = _admin_client(cast).post(
        reverse("accounts:person-edit", args=[cast.viewer_a.pk]),
        {"full_name": "N" * 151, "role": Role.VIEWER, "is_active": "on"},
    )
    assert response.context["form"].errors["full_name"] == [
        "Enter a full name of at most 150 characters (this one has 151)."
    ]


def test_a_duplicate_email_is_explained_at_the_email_field(cast) -> None:
    response = _admin_client(cast).post(
        reverse("accounts:person-add"),
        {
            "email": cast.viewer_a.email,
            "full_name": "Again",
            "organisation": cast.viewer_a.organisation_id,
            "role": Role.VIEWER,
        },
    )
    assert response.context["form"].errors["email"] == [
        f"There is already an account for {cast.viewer_a.email}."
    ]
