from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from scrutiny.accounts.models import Role
from scrutiny.frameworks import services
from scrutiny.frameworks.models import Framework
from tests import factories

pytestmark = pytest.mark.django_db

SLUG = "care-and-protection-2018"


@pytest.fixture
def client() -> Client:
    client = Client()
    client.force_login(factories.user(Role.ADMINISTRATOR))
    return client


def test_it_refuses_a_new_qi_with_a_number_already_used(client: Client) -> None:
    """
    Given the 2018 framework, whose current version has a QI 2.1
    When an administrator adds another QI numbered 2.1
    Then the number field says 2.1 is taken and no new version is made
    """
    framework = Framework.objects.get(slug=SLUG)
    group = framework.current_version.groups.get(kind="area", number="2")
    response = client.post(
        reverse("frameworks:qi-add", args=[SLUG]),
        {"group": group.pk, "number": " 2.1 ", "title": "Impact on families"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["number"] == [
        services.DUPLICATE_NUMBER.format(number="2.1")
    ]
    assert framework.versions.count() == 1


def test_it_refuses_renumbering_a_qi_to_a_number_already_used(client: Client) -> None:
    framework = Framework.objects.get(slug=SLUG)
    qi = framework.current_version.qis.get(number="2.1")
    response = client.post(
        reverse("frameworks:qi-edit", args=[SLUG, qi.pk]),
        {"number": "6.4", "title": qi.title},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["number"] == [
        services.DUPLICATE_NUMBER.format(number="6.4")
    ]
    assert framework.versions.count() == 1


def test_it_allows_unnumbered_qis_side_by_side(client: Client) -> None:
    framework = Framework.objects.get(slug="hwawitl-2014")
    group = framework.current_version.groups.first()
    assert group is not None
    response = client.post(
        reverse("frameworks:qi-add", args=[framework.slug]),
        {"group": group.pk, "number": "", "title": "A new unnumbered QI"},
    )
    assert response.status_code == 302


def test_the_version_note_names_the_qi_as_saved(client: Client) -> None:
    """
    Given QI 2.1 in the 2018 framework
    When an administrator renumbers it 2.2
    Then the new version's note names it 2.2 and says it was 2.1
    """
    framework = Framework.objects.get(slug=SLUG)
    qi = framework.current_version.qis.get(number="2.1")
    response = client.post(
        reverse("frameworks:qi-edit", args=[SLUG, qi.pk]),
        {"number": "2.2", "title": qi.title},
    )
    assert response.status_code == 302
    assert framework.current_version.note == f"Edited QI 2.2 {qi.title} (was 2.1)"
