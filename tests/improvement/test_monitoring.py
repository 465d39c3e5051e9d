"""Link-inspector monitoring: assignments, contacts, notes, concerns, support, the timeline."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from scrutiny.accounts.models import LinkAssignment, Role
from scrutiny.improvement import registry, selectors, services
from scrutiny.improvement.models import Concern, Contact, MonitoringNote
from scrutiny.improvement.services import ImprovementError
from scrutiny.places.models import Partnership
from tests import factories
from tests.conftest import Cast, client_for
from tests.improvement import helpers
from tests.improvement.helpers import today

pytestmark = pytest.mark.django_db

SECRET_NOTE = "Chief officers disagree about the budget"
SECRET_CONCERN = "Slow recruitment of family support workers"


def _monitored(cast: Cast) -> Partnership:
    inspection = helpers.published_inspection()
    partnership = inspection.partnership
    services.contact_add(
        partnership=partnership,
        date=today() - timedelta(days=12),
        kind=Contact.Kind.MEETING,
        participants="Chief officers",
        notes=SECRET_NOTE,
        by=cast.link_a,
    )
    services.monitoring_note_add(
        partnership=partnership,
        area=inspection.areas_for_improvement.get(number=1),
        date=today(),
        text="Internal view of area 1",
        by=cast.link_a,
    )
    services.concern_raise(
        partnership=partnership,
        raised_on=today(),
        title=SECRET_CONCERN,
        detail="Two posts unfilled.",
        severity=Concern.Severity.HIGH,
        follow_up="Ask at the next call.",
        by=cast.link_a,
    )
    services.support_offer_add(
        partnership=partnership, date=today(), description="Shared a framework", by=cast.link_a
    )
    return partnership


def test_the_monitoring_page_gives_the_link_inspector_one_view(cast: Cast) -> None:
    partnership = _monitored(cast)
    page = client_for(cast.link_a).get(reverse("improvement:monitoring", args=[partnership.slug]))
    content = page.content.decode()
    assert page.status_code == 200
    assert "12 days ago" in content
    assert SECRET_CONCERN in content and "High severity" in content
    assert SECRET_NOTE in content
    assert "No indicator signals yet" in content


def test_partnership_users_never_see_monitoring_notes_or_concerns(cast: Cast) -> None:
    partnership = _monitored(cast)
    monitoring = reverse("improvement:monitoring", args=[partnership.slug])
    assert client_for(cast.lead_a).get(monitoring).status_code == 403
    assert client_for(cast.viewer_a).get(monitoring).status_code == 403
    timeline = client_for(cast.lead_a).get(reverse("improvement:timeline", args=[partnership.slug]))
    content = timeline.content.decode()
    assert timeline.status_code == 200
    assert "Meeting with the link inspector" in content  # the contact happened, visibly
    assert "Shared a framework" in content  # support offered is shared
    for secret in (SECRET_NOTE, SECRET_CONCERN, "Internal view of area 1", "Inspectorate only"):
        assert secret not in content
    workspace = client_for(cast.lead_a).get(
        reverse("frontend:partnership", args=[partnership.slug])
    )
    assert SECRET_CONCERN not in workspace.content.decode()
    inspectorate = client_for(cast.link_a).get(
        reverse("improvement:timeline", args=[partnership.slug])
    )
    assert SECRET_CONCERN in inspectorate.content.decode()


def test_other_partnerships_and_anonymous_visitors_are_kept_out(cast: Cast) -> None:
    partnership = _monitored(cast)
    for name in ("improvement:timeline", "improvement:monitoring"):
        url = reverse(name, args=[partnership.slug])
        assert client_for(cast.lead_b).get(url).status_code == 403
        assert client_for(None).get(url).status_code == 302


def test_a_concern_is_followed_up_and_resolved(cast: Cast) -> None:
    partnership = _monitored(cast)
    concern = Concern.objects.get(partnership=partnership)
    with pytest.raises(ImprovementError, match="how the concern was resolved"):
        services.concern_resolve(concern=concern, resolved_on=today(), resolution="")
    client = client_for(cast.link_a)
    response = client.post(
        reverse("improvement:concern-resolve", args=[concern.pk]),
        {"resolved_on": today().isoformat(), "resolution": "Posts filled."},
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.status == Concern.Status.RESOLVED and concern.resolution == "Posts filled."


def test_a_concern_with_dates_out_of_order_is_refused(cast: Cast) -> None:
    response = client_for(cast.link_a).post(
        reverse("improvement:concern-add", args=["south-ayrshire"]),
        {
            "raised_on": today().isoformat(),
            "title": "Late",
            "detail": "x",
            "severity": "low",
            "follow_up_by": (today() - timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "follow-up date is before" in response.content.decode()
    assert not Concern.objects.exists()


def test_a_contact_is_logged_through_the_page(cast: Cast) -> None:
    response = client_for(cast.link_a).post(
        reverse("improvement:contact-add", args=["south-ayrshire"]),
        {
            "date": today().isoformat(),
            "kind": "observation",
            "participants": "Child protection committee",
            "notes": "Observed the committee.",
        },
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.get_kind_display() == "Observation of a group" and contact.by == cast.link_a


def test_the_link_inspector_corrects_a_contact_and_the_audit_keeps_the_old_text(
    cast: Cast,
) -> None:
    partnership = _monitored(cast)
    contact = Contact.objects.get(partnership=partnership)
    url = reverse("improvement:contact-change", args=[contact.pk])
    client = client_for(cast.link_a)
    page = client.get(url)
    assert page.status_code == 200 and SECRET_NOTE in page.text  # the form starts filled in
    corrected = today() - timedelta(days=13)
    response = client.post(
        url,
        {
            "date": corrected.isoformat(),
            "kind": "call",
            "participants": "Chief social work officer",
            "notes": "Budget agreed.",
        },
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.date, contact.kind, contact.notes) == (corrected, "call", "Budget agreed.")
    assert contact.by == cast.link_a  # who logged it does not change
    change = LogEntry.objects.get_for_object(contact).filter(action=LogEntry.Action.UPDATE).get()
    assert change.actor == cast.link_a
    assert change.changes_dict["notes"] == [SECRET_NOTE, "Budget agreed."]
    monitoring = client.get(reverse("improvement:monitoring", args=[partnership.slug])).text
    assert url in monitoring


def test_a_correction_is_refused_whole_with_the_reason(cast: Cast) -> None:
    partnership = _monitored(cast)
    contact = Contact.objects.get(partnership=partnership)
    future = today() + timedelta(days=3)
    response = client_for(cast.link_a).post(
        reverse("improvement:contact-change", args=[contact.pk]),
        {"date": future.isoformat(), "kind": "call", "participants": "X", "notes": "Changed"},
    )
    assert response.status_code == 200
    assert "is in the future" in response.text
    contact.refresh_from_db()
    assert contact.notes == SECRET_NOTE


def test_the_link_inspector_corrects_a_monitoring_note_within_the_partnership(
    cast: Cast,
) -> None:
    partnership = _monitored(cast)
    note = MonitoringNote.objects.get(partnership=partnership)
    area_2 = note.area.inspection.areas_for_improvement.get(number=2)
    response = client_for(cast.link_a).post(
        reverse("improvement:note-change", args=[note.pk]),
        {"area": area_2.pk, "date": today().isoformat(), "text": "About area 2 after all"},
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.area, note.text) == (area_2, "About area 2 after all")
    other = helpers.published_inspection(slug="east-ayrshire").areas_for_improvement.first()
    assert other is not None
    with pytest.raises(ImprovementError, match="another partnership's"):
        services.monitoring_note_change(note=note, area=other, date=today(), text="No")
    note.refresh_from_db()
    assert note.area == area_2


def test_only_the_inspectorate_corrects_contacts(cast: Cast) -> None:
    partnership = _monitored(cast)
    contact = Contact.objects.get(partnership=partnership)
    url = reverse("improvement:contact-change", args=[contact.pk])
    data = {"date": today().isoformat(), "kind": "call", "participants": "X", "notes": "Leaked"}
    for user in (cast.lead_a, cast.viewer_a, cast.lead_b):
        assert client_for(user).post(url, data).status_code == 403
    anonymous = client_for(None).post(url, data)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/account/sign-in/")
    contact.refresh_from_db()
    assert contact.notes == SECRET_NOTE
    monitoring_for_lead = client_for(cast.lead_a).get(
        reverse("improvement:monitoring", args=[partnership.slug])
    )
    assert monitoring_for_lead.status_code == 403


def test_an_administrator_assigns_and_ends_link_inspectors(cast: Cast) -> None:
    inspector = factories.user(Role.LINK_INSPECTOR)
    admin = client_for(cast.admin)
    response = admin.post(
        reverse("improvement:assignments"),
        {
            "inspector": inspector.pk,
            "partnership": Partnership.objects.get(slug="east-ayrshire").pk,
            "started_on": (today() - timedelta(days=7)).isoformat(),
        },
    )
    assert response.status_code == 302
    assignment = LinkAssignment.objects.get(inspector=inspector)
    assert inspector.has_perm("improvement.view_monitoring", assignment.partnership)
    again = admin.post(
        reverse("improvement:assignments"),
        {
            "inspector": inspector.pk,
            "partnership": assignment.partnership.pk,
            "started_on": today().isoformat(),
        },
    )
    assert "already linked" in again.content.decode()
    admin.post(
        reverse("improvement:assignment-end", args=[assignment.pk]),
        {"ended_on": (today() - timedelta(days=1)).isoformat()},
    )
    assignment.refresh_from_db()
    assert assignment.ended_on == today() - timedelta(days=1)
    assert not inspector.has_perm("improvement.view_monitoring", assignment.partnership)
    with pytest.raises(ImprovementError, match="on or after the start"):
        services.link_assignment_end(
            assignment=services.link_assignment_add(
                inspector=inspector, partnership=assignment.partnership, started_on=today()
            ),
            ended_on=today() - timedelta(days=5),
        )


def test_indicator_signals_come_from_registered_providers(cast: Cast) -> None:
    partnership = _monitored(cast)

    def provider(p: Partnership) -> list[registry.Signal]:
        return [
            registry.Signal(label="Looked after rate above the upper limit", on=date(2026, 9, 1))
        ]

    registry.register_signal_provider(provider)
    try:
        page = client_for(cast.link_a).get(
            reverse("improvement:monitoring", args=[partnership.slug])
        )
        assert "Looked after rate above the upper limit" in page.content.decode()
    finally:
        registry._PROVIDERS.remove(provider)


@pytest.mark.parametrize(
    ("name", "field", "data"),
    [
        ("improvement:support-add", "date", {"description": "Shared a framework"}),
        ("improvement:contact-add", "date", {"kind": "call", "participants": "X", "notes": "Y"}),
        ("improvement:note-add", "date", {"text": "Y"}),
        (
            "improvement:concern-add",
            "raised_on",
            {"title": "T", "detail": "D", "severity": Concern.Severity.LOW},
        ),
    ],
)
def test_it_refuses_monitoring_dates_in_the_future_or_before_2000(
    cast: Cast, name: str, field: str, data: dict[str, str]
) -> None:
    """
    Given a monitoring form (support offered, contact, note, concern)
    When the link inspector gives a date to come, or 1 January 0001
    Then the form says under the date what is expected, and nothing is saved
    """
    partnership = _monitored(cast)
    if name == "improvement:note-add":
        area = partnership.inspections.get().areas_for_improvement.first()
        assert area is not None
        data = {**data, "area": str(area.pk)}
    before = {model: model.objects.count() for model in (Contact, MonitoringNote, Concern)}
    supports = partnership.support_offers.count()
    url = reverse(name, args=[partnership.slug])
    client = client_for(cast.link_a)
    for day, expected in (
        (date(2030, 1, 1), "is in the future: give a date on or before today."),
        (date(1, 1, 1), "is before 1 January 2000: give a date on or after 1 January 2000"),
    ):
        response = client.post(url, {**data, field: day.isoformat()})
        assert response.status_code == 200
        errors = response.context["form"].errors[field]
        assert len(errors) == 1 and expected in errors[0], errors
        assert expected in response.text
    assert {model: model.objects.count() for model in before} == before
    assert partnership.support_offers.count() == supports
    response = client.post(url, {**data, field: date(2000, 1, 1).isoformat()})
    assert response.status_code == 302


def test_the_services_refuse_implausible_monitoring_dates(cast: Cast) -> None:
    partnership = Partnership.objects.get(slug="south-ayrshire")
    with pytest.raises(ImprovementError, match=r"date support was offered .* in the future"):
        services.support_offer_add(
            partnership=partnership,
            date=today() + timedelta(days=1),
            description="Too soon",
            by=cast.link_a,
        )
    with pytest.raises(ImprovementError, match=r"contact's date .* before 1 January 2000"):
        services.contact_add(
            partnership=partnership,
            date=date(1, 1, 1),
            kind=Contact.Kind.CALL,
            participants="X",
            notes="Y",
            by=cast.link_a,
        )
    assert not partnership.support_offers.exists() and not Contact.objects.exists()


def test_only_people_with_the_link_inspector_role_can_be_assigned(cast: Cast) -> None:
    """
    Given link inspectors, quality assurance, an inspector and an administrator
    When the administrator opens the link inspectors page, and posts a QA user anyway
    Then only the link inspectors are offered, the QA user is refused under the field, and the
    service refuses everyone without the role
    """
    inspector = factories.user(Role.LINK_INSPECTOR, full_name="Morag Link")
    east = Partnership.objects.get(slug="east-ayrshire")
    admin = client_for(cast.admin)
    page = admin.get(reverse("improvement:assignments"))
    offered = set(page.context["form"].fields["inspector"].queryset)
    assert offered == {inspector, cast.link_a}
    assert f"Morag Link ({inspector.email})" in page.content.decode()
    response = admin.post(
        reverse("improvement:assignments"),
        {"inspector": cast.qa.pk, "partnership": east.pk, "started_on": today().isoformat()},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["inspector"] == [
        "Choose a link inspector from the list: only people with the link inspector role can be "
        "assigned."
    ]
    for user in (cast.qa, cast.admin, cast.inspector_a, cast.lead_a):
        with pytest.raises(ImprovementError, match="Only people with the link inspector role"):
            services.link_assignment_add(inspector=user, partnership=east, started_on=today())
    assert not LinkAssignment.objects.filter(partnership=east).exists()
    assert not cast.qa.has_perm("improvement.change_monitoring", east)


def test_an_assignment_gives_nothing_once_its_holder_is_no_longer_a_link_inspector(
    cast: Cast,
) -> None:
    south = Partnership.objects.get(slug="south-ayrshire")
    assert cast.link_a.has_perm("improvement.change_monitoring", south)
    cast.link_a.role = Role.QUALITY_ASSURANCE
    cast.link_a.save()
    assert LinkAssignment.objects.filter(inspector=cast.link_a, partnership=south).exists()
    assert not cast.link_a.has_perm("improvement.change_monitoring", south)


def test_areas_are_offered_with_their_report_s_date_in_words(cast: Cast) -> None:
    from scrutiny.improvement.forms import _area_label

    inspection = helpers.published_inspection(published=date(2016, 9, 20))
    area = inspection.areas_for_improvement.get(number=1)
    assert _area_label(area) == "1. Area 1 (report of 20 September 2016)"


def test_an_assignment_of_someone_no_longer_a_link_inspector_can_be_ended_and_gives_nothing(
    cast: Cast,
) -> None:
    from scrutiny.accounts.selectors import linked_partnerships
    from scrutiny.frontend.selectors import home_for
    from scrutiny.improvement.reminders import reminders_plan

    south = Partnership.objects.get(slug="south-ayrshire")
    assignment = LinkAssignment.objects.get(inspector=cast.link_a, partnership=south)
    assert list(linked_partnerships(user=cast.link_a, today=today())) == [south]
    assert any("South Ayrshire" in e.body for e in reminders_plan(today=today()).emails)
    cast.link_a.role = Role.LEAD_INSPECTOR
    cast.link_a.save()
    assert list(linked_partnerships(user=cast.link_a, today=today())) == []
    assert home_for(user=cast.link_a)["linked_partnerships"] == []
    assert not any(e.to == cast.link_a.email for e in reminders_plan(today=today()).emails)
    services.link_assignment_end(assignment=assignment, ended_on=today())
    assignment.refresh_from_db()
    assert assignment.ended_on == today()


def test_an_ended_assignment_of_someone_else_hides_no_current_one(cast: Cast) -> None:
    from scrutiny.accounts.selectors import linked_partnerships

    south = Partnership.objects.get(slug="south-ayrshire")
    earlier = factories.user(Role.LINK_INSPECTOR)
    LinkAssignment.objects.create(
        inspector=earlier,
        partnership=south,
        started_on=date(2015, 1, 1),
        ended_on=date(2019, 12, 31),
    )
    assert list(linked_partnerships(user=cast.link_a, today=today())) == [south]


def test_a_milestone_done_in_the_future_is_refused_with_the_date_named(
    cast: Cast, as_user: Any
) -> None:
    from datetime import timedelta

    plan = helpers.draft_plan(cast.lead_a)
    action = helpers.action(plan)
    milestone = services.milestone_add(action=action, title="Recruit", due_date=today())
    url = reverse("improvement:milestone-done", args=[milestone.pk])
    later = (today() + timedelta(days=3)).isoformat()
    response = as_user(cast.lead_a).post(url, {"done-done_on": later}, follow=True)
    text = response.content.decode()
    assert "Date done: The date it was done" in text
    milestone.refresh_from_db()
    assert milestone.done_on is None


def test_the_timeline_puts_the_latest_of_a_day_first(cast: Cast) -> None:
    """
    Given a report published today, and a plan started, submitted, returned and submitted again
    today
    When the timeline lists the day
    Then it is newest first within the day too: by the time each happened, and the report
    (a day with no time) last, since everything that day followed it
    """
    inspection = helpers.published_inspection(published=today())
    plan = helpers.draft_plan(cast.lead_a, inspection)
    helpers.action(plan)
    services.action_plan_submit(plan=plan, by=cast.lead_a)
    services.action_plan_review(plan=plan, by=cast.link_a, accept=False, comments="More.")
    services.action_plan_submit(plan=plan, by=cast.lead_a)
    events = selectors.partnership_timeline(partnership=inspection.partnership, internal=False)
    assert [e.title for e in events if e.on == today()] == [
        "Action plan submitted",
        "Action plan returned with comments",
        "Action plan submitted",
        "Action plan started",
        "Inspection report published",
    ]
