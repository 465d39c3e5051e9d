from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from scrutiny.accounts.models import Role
from scrutiny.frameworks import services
from scrutiny.frameworks.models import Framework, FrameworkVersion
from scrutiny.inspections.models import Model
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_frameworks_load_with_their_sources_and_verified_qis() -> None:
    model_a = Framework.objects.get(slug="hwawitl-2014")
    version = model_a.current_version
    assert version.qis.filter(evaluated_in__contains="A").count() == 9
    assert [g.title for g in version.groups.all()] == [
        "How well are the lives of children, young people and families improving?",
        "How well are partners working together to improve the lives of children, young people "
        "and families?",
        "How good is the leadership and direction of services for children and young people?",
    ]
    assert not version.qis.exclude(number="").exists()  # no QI numbers are published
    newer = Framework.objects.get(slug="care-and-protection-2018").current_version
    assert {(qi.number, qi.title) for qi in newer.qis.exclude(number="")} == {
        ("2.1", "Impact on children and young people"),
        ("6.4", "Performance management and quality assurance"),
    }
    assert newer.groups.filter(kind="domain").count() == 6
    assert newer.groups.filter(kind="key_question").count() == 5
    assert "not found" in newer.framework.verification
    scale = model_a.scale.levels.values_list("score", "grade")
    assert list(scale) == [
        (6, "Excellent"),
        (5, "Very good"),
        (4, "Good"),
        (3, "Adequate"),
        (2, "Weak"),
        (1, "Unsatisfactory"),
    ]


def test_adding_a_qi_makes_a_new_version_and_inspections_keep_theirs() -> None:
    admin = factories.user(Role.ADMINISTRATOR)
    inspection = factories.inspection(model=Model.C)
    framework = inspection.framework_version.framework
    before = inspection.framework_version
    group = before.groups.get(kind="area", number="2")
    qi = services.qi_add(
        framework=framework,
        group=group,
        number="2.2",
        title="Impact on families",
        description="",
        evaluated_in="",
        verified=False,
        by=admin,
    )
    framework.refresh_from_db()
    assert framework.current_version.number == before.number + 1
    assert qi.version == framework.current_version
    assert framework.current_version.qis.count() == before.qis.count() + 1
    inspection.refresh_from_db()
    assert inspection.framework_version == before
    assert not before.qis.filter(title="Impact on families", number="2.2").exists()


def test_editing_a_qi_keeps_its_key_for_comparisons() -> None:
    admin = factories.user(Role.ADMINISTRATOR)
    framework = Framework.objects.get(slug="care-and-protection-2018")
    qi = framework.current_version.qis.get(number="6.4")
    edited = services.qi_update(
        qi=qi,
        number="6.4",
        title="Performance management and QA",
        description="",
        evaluated_in="",
        verified=True,
        by=admin,
    )
    assert edited.key == qi.key
    assert edited.version.number == 2
    assert (
        FrameworkVersion.objects.get(pk=qi.version_id)
        .qis.get(key=qi.key)
        .title.endswith("quality assurance")
    )


def test_a_bad_model_letter_is_explained() -> None:
    admin = factories.user(Role.ADMINISTRATOR)
    framework = Framework.objects.get(slug="care-and-protection-2018")
    group = framework.current_version.groups.get(kind="area", number="2")
    with pytest.raises(services.FrameworkError, match="Inspection models are A, B and C"):
        services.qi_add(
            framework=framework,
            group=group,
            number="",
            title="X",
            description="",
            evaluated_in="Z",
            verified=False,
            by=admin,
        )
    assert framework.versions.count() == 1


def test_the_admin_page_adds_a_qi() -> None:
    admin = factories.user(Role.ADMINISTRATOR)
    framework = Framework.objects.get(slug="care-and-protection-2018")
    group = framework.current_version.groups.get(kind="area", number="6")
    client = Client()
    client.force_login(admin)
    response = client.post(
        reverse("frameworks:qi-add", args=[framework.slug]),
        {
            "group": group.pk,
            "number": "6.1",
            "title": "Policies and procedures",
            "evaluated_in": "",
        },
    )
    assert response.status_code == 302
    assert framework.current_version.qis.filter(number="6.1").exists()


def test_a_revised_framework_reads_well_in_brackets() -> None:
    from scrutiny.frameworks.models import Framework

    revised = Framework.objects.get(year="2018 (revised 2019)")
    assert str(revised).endswith("(2018, revised 2019)")
    assert Framework.objects.get(year="2014").year_label == "2014"
