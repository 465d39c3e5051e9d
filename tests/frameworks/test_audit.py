from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from scrutiny.accounts.models import Role
from scrutiny.frameworks.models import Framework, FrameworkVersion, Group, QualityIndicator
from tests import factories

pytestmark = pytest.mark.django_db


def _logged(model: type, action: int) -> LogEntry | None:
    return (
        LogEntry.objects.get_for_model(model).filter(action=action).order_by("-timestamp").first()
    )


def test_it_keeps_added_and_edited_qis_in_the_audit_trail() -> None:
    """
    Given an administrator
    When they add a QI, then edit it, through the framework pages
    Then the new version, its groups and QIs and the edit are in the audit trail, by them
    """
    admin = factories.user(Role.ADMINISTRATOR)
    framework = Framework.objects.get(slug="care-and-protection-2018")
    group = framework.current_version.groups.get(kind="area", number="6")
    client = Client()
    client.force_login(admin)
    client.post(
        reverse("frameworks:qi-add", args=[framework.slug]),
        {"group": group.pk, "number": "6.1", "title": "Policies and procedures"},
    )
    added = framework.current_version.qis.get(number="6.1")
    entry = LogEntry.objects.get_for_object(added).get()
    assert (entry.action, entry.actor) == (LogEntry.Action.CREATE, admin)
    assert entry.changes_dict["title"][1] == "Policies and procedures"
    for model in (FrameworkVersion, Group):
        created = _logged(model, LogEntry.Action.CREATE)
        assert created is not None and created.actor == admin

    client.post(
        reverse("frameworks:qi-edit", args=[framework.slug, added.pk]),
        {"number": "6.1", "title": "Policies, procedures and guidance"},
    )
    edited = framework.current_version.qis.get(number="6.1")
    changed = _logged(QualityIndicator, LogEntry.Action.UPDATE)
    assert changed is not None and changed.object_pk == str(edited.pk)
    assert changed.changes_dict["title"] == [
        "Policies and procedures",
        "Policies, procedures and guidance",
    ]


def test_it_keeps_deleted_framework_records_in_the_audit_trail() -> None:
    qi = Framework.objects.get(slug="care-and-protection-2018").current_version.qis.first()
    assert qi is not None
    pk = qi.pk
    qi.delete()
    assert LogEntry.objects.filter(
        content_type__model="qualityindicator", object_pk=str(pk), action=LogEntry.Action.DELETE
    ).exists()
