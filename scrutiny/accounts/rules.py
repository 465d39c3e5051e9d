"""Who may do what: every authorisation decision in Scrutiny is made here.

Objects are asked for the partnership that owns them (``partnership_id``), whether they are
published (``is_published``) and, for inspection work, the inspection they belong to
(``inspection`` or the object itself). Views call ``require`` or ``user.has_perm(name, obj)``;
they never decide on their own.
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils import timezone

from scrutiny.accounts.models import INSPECTORATE_ROLES, PARTNERSHIP_ROLES, Role
from scrutiny.accounts.selectors import current_link_assignments


def partnership_id_of(obj: Any) -> int | None:
    from scrutiny.places.models import Partnership

    if obj is None:
        return None
    if isinstance(obj, Partnership):
        return obj.pk
    value = getattr(obj, "partnership_id", None)
    if value is not None:
        return int(value)
    inspection = inspection_of(obj)
    if inspection is not None and inspection is not obj:
        return partnership_id_of(inspection)
    return None


def inspection_of(obj: Any) -> Any:
    from scrutiny.inspections.models import Inspection

    if isinstance(obj, Inspection):
        return obj
    return getattr(obj, "inspection", None)


def _has_role(user: Any, *roles: str) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in roles)


@rules.predicate
def is_inspectorate(user: Any) -> bool:
    return _has_role(user, *INSPECTORATE_ROLES)


@rules.predicate
def is_partnership_staff(user: Any) -> bool:
    return _has_role(user, *PARTNERSHIP_ROLES)


@rules.predicate
def is_administrator(user: Any) -> bool:
    return _has_role(user, Role.ADMINISTRATOR)


@rules.predicate
def is_quality_assurance(user: Any) -> bool:
    return _has_role(user, Role.QUALITY_ASSURANCE)


@rules.predicate
def is_lead_inspector(user: Any) -> bool:
    return _has_role(user, Role.LEAD_INSPECTOR)


@rules.predicate
def is_partnership_lead(user: Any) -> bool:
    return _has_role(user, Role.PARTNERSHIP_LEAD)


@rules.predicate
def is_partnership_editor(user: Any) -> bool:
    return _has_role(user, Role.PARTNERSHIP_LEAD, Role.CONTRIBUTOR)


@rules.predicate
def member_of_partnership(user: Any, obj: Any) -> bool:
    if not is_partnership_staff(user):
        return False
    owner = partnership_id_of(obj)
    return owner is not None and owner == user.organisation.partnership_id


@rules.predicate
def linked_to_partnership(user: Any, obj: Any) -> bool:
    """The user is a link inspector with a current assignment to the object's partnership (an
    assignment gives nothing to someone whose role is no longer link inspector)."""
    if not is_inspectorate(user) or user.role != Role.LINK_INSPECTOR:
        return False
    owner = partnership_id_of(obj)
    if owner is None:
        return False
    held = current_link_assignments(today=timezone.localdate(), inspector=user)
    return bool(held.filter(partnership_id=owner).exists())


@rules.predicate
def on_inspection_team(user: Any, obj: Any) -> bool:
    if not is_inspectorate(user):
        return False
    inspection = inspection_of(obj)
    if inspection is None:
        return False
    return bool(inspection.team.filter(user=user).exists())


@rules.predicate
def leads_inspection(user: Any, obj: Any) -> bool:
    if not is_inspectorate(user):
        return False
    inspection = inspection_of(obj)
    if inspection is None:
        return False
    return bool(inspection.team.filter(user=user, role="lead_inspector").exists())


@rules.predicate
def on_team_of_partnership(user: Any, obj: Any) -> bool:
    """On the team of any inspection of the object's partnership."""
    from scrutiny.inspections.models import TeamMember

    if not is_inspectorate(user):
        return False
    owner = partnership_id_of(obj)
    return (
        owner is not None
        and TeamMember.objects.filter(user=user, inspection__partnership_id=owner).exists()
    )


@rules.predicate
def is_published(user: Any, obj: Any) -> bool:
    return bool(getattr(obj, "is_published", False))


@rules.predicate
def draft_shared_with_partnership(user: Any, obj: Any) -> bool:
    """The draft report goes to the partnership at factual accuracy, and stays visible after."""
    inspection = inspection_of(obj)
    return inspection is not None and bool(inspection.status_reached("factual_accuracy"))


# Site-wide
rules.add_perm("accounts.view_audit", is_administrator)
rules.add_perm("accounts.view_access_log", is_administrator)
rules.add_perm("accounts.manage_people", is_administrator)
rules.add_perm("frameworks.change_framework", is_administrator)
rules.add_perm("frameworks.view_framework", is_inspectorate)

# Partnerships: their private workspace
can_view_partnership = (
    is_administrator
    | is_quality_assurance
    | member_of_partnership
    | linked_to_partnership
    | on_team_of_partnership
)
rules.add_perm("places.view_partnership", can_view_partnership)

# Inspections: the working views (the published report is public, see publishing)
inspectorate_on_inspection = (
    is_administrator | is_quality_assurance | on_inspection_team | linked_to_partnership
)
rules.add_perm("inspections.view_inspection", inspectorate_on_inspection | member_of_partnership)
rules.add_perm("inspections.view_inspection_work", inspectorate_on_inspection)
rules.add_perm("inspections.change_inspection", is_administrator | on_inspection_team)
rules.add_perm("inspections.lead_inspection", is_administrator | leads_inspection)
rules.add_perm("inspections.create_inspection", is_administrator | is_lead_inspector)
rules.add_perm("inspections.quality_assure", is_quality_assurance)
rules.add_perm(
    "inspections.comment_factual_accuracy",
    member_of_partnership & is_partnership_lead & draft_shared_with_partnership,
)
rules.add_perm(
    "inspections.view_draft",
    inspectorate_on_inspection | (member_of_partnership & draft_shared_with_partnership),
)
rules.add_perm(
    "inspections.view_factual_accuracy",
    inspectorate_on_inspection | (member_of_partnership & draft_shared_with_partnership),
)
rules.add_perm("inspections.publish", is_administrator | leads_inspection)
rules.add_perm("inspections.view_child_level", is_administrator | on_inspection_team)

# --- Fieldwork: pre-inspection returns, samples, record reading, surveys ---------------------


@rules.predicate
def is_fieldwork_local_reader(user: Any, obj: Any) -> bool:
    """The partnership account named as the local reader of the pair a record is assigned to."""
    pair = getattr(obj, "pair", None)
    return bool(
        is_partnership_editor(user)
        and pair is not None
        and pair.local_reader_id == user.pk
        and member_of_partnership(user, obj)
    )


fieldwork_team = is_administrator | on_inspection_team
fieldwork_partnership_editor = member_of_partnership & is_partnership_editor
# The overview: the team and the partnership (whose staff send the return and gather records).
rules.add_perm("fieldwork.view_fieldwork", inspectorate_on_inspection | member_of_partnership)
# The partnership sends the return; the team can import it for them.
rules.add_perm("fieldwork.import_return", fieldwork_team | fieldwork_partnership_editor)
# Child-level lists (pseudonymous): the team, and the partnership staff who sent or gather them.
rules.add_perm("fieldwork.view_child_level", fieldwork_team | fieldwork_partnership_editor)
rules.add_perm("fieldwork.draw_sample", fieldwork_team)
rules.add_perm("fieldwork.manage_reading", fieldwork_team)
rules.add_perm("fieldwork.record_reading", fieldwork_team | is_fieldwork_local_reader)
# A reading belongs to the reader's own pair; the lead may record one for another pair.
rules.add_perm("fieldwork.record_for_any_pair", is_administrator | leads_inspection)
# Aggregate results (protected by the disclosure-control gate): inspectorate working views.
rules.add_perm("fieldwork.view_results", inspectorate_on_inspection)
rules.add_perm("fieldwork.manage_surveys", fieldwork_team)
rules.add_perm("fieldwork.view_survey_results", inspectorate_on_inspection)
# Free-text answers may name people: the team only.
rules.add_perm("fieldwork.view_free_text", fieldwork_team)
rules.add_perm("fieldwork.view_templates", is_inspectorate)
rules.add_perm("fieldwork.manage_templates", is_administrator | is_lead_inspector)

# --- Improvement: action plans, link-inspector monitoring, progress reviews -----------------


def _team_of_review(user: Any, obj: Any, **role: str) -> bool:
    if not is_inspectorate(user):
        return False
    review = getattr(obj, "progress_review", None)
    return review is not None and bool(review.team.filter(user=user, **role).exists())


@rules.predicate
def on_progress_review_team(user: Any, obj: Any) -> bool:
    return _team_of_review(user, obj)


@rules.predicate
def leads_progress_review(user: Any, obj: Any) -> bool:
    return _team_of_review(user, obj, role="lead_inspector")


partnership_editor = member_of_partnership & is_partnership_editor
# The plan is the partnership's: its editors draft, change and submit it; the link inspector
# reviews it. Everyone who may see the partnership's workspace may read it.
rules.add_perm("improvement.view_action_plan", can_view_partnership)
rules.add_perm("improvement.change_action_plan", is_administrator | partnership_editor)
rules.add_perm("improvement.review_action_plan", is_administrator | linked_to_partnership)
rules.add_perm("improvement.update_action", is_administrator | partnership_editor)
rules.add_perm(
    "improvement.override_status", is_administrator | linked_to_partnership | partnership_editor
)
rules.add_perm("improvement.view_timeline", can_view_partnership)
# Monitoring (contact notes, monitoring notes, concerns) is inspectorate-only.
rules.add_perm(
    "improvement.view_monitoring",
    is_administrator | is_quality_assurance | linked_to_partnership | on_team_of_partnership,
)
rules.add_perm("improvement.change_monitoring", is_administrator | linked_to_partnership)
rules.add_perm("improvement.manage_link_assignments", is_administrator)
rules.add_perm("improvement.view_progress_scale", is_inspectorate)
rules.add_perm("improvement.change_progress_scale", is_administrator)
rules.add_perm(
    "improvement.create_progress_review",
    is_administrator | is_lead_inspector | linked_to_partnership,
)
rules.add_perm(
    "improvement.view_progress_review",
    is_administrator | is_quality_assurance | on_progress_review_team | linked_to_partnership,
)
rules.add_perm("improvement.change_progress_review", is_administrator | on_progress_review_team)
rules.add_perm("improvement.lead_progress_review", is_administrator | leads_progress_review)
rules.add_perm("improvement.quality_assure_progress_review", is_quality_assurance)

# --- Indicators: catalogue, data, dashboards -------------------------------------------------

# Dashboards follow the workspace: the partnership's members, its link inspectors, inspectors
# on its inspections, QA and administrators. Published statistics are public (through the gate).
rules.add_perm("indicators.view_dashboard", can_view_partnership)
# The partnership's editors keep its local measures, targets and comparator groups.
rules.add_perm("indicators.change_partnership_data", is_administrator | partnership_editor)
# Linking a chart to areas for improvement and actions: the partnership's editors and its link
# inspectors.
rules.add_perm(
    "indicators.link_indicator", is_administrator | partnership_editor | linked_to_partnership
)
# National figures and child-level uploads (child-level data: administrators only).
rules.add_perm("indicators.import_data", is_administrator)
rules.add_perm("indicators.upload_child_level", is_administrator)
rules.add_perm("indicators.change_catalogue", is_administrator)

# --- Qualitative evidence: sources, codebooks, coding ---------------------------------------


@rules.predicate
def is_inspection_evidence(user: Any, obj: Any) -> bool:
    """Qualitative evidence gathered by an inspection team (not the partnership's own)."""
    return inspection_of(obj) is not None


@rules.predicate
def codes_blind_in_check(user: Any, obj: Any) -> bool:
    """One of the blind coders of a double-coding check (``obj``)."""
    coders = getattr(obj, "coders", None)
    return bool(user.is_authenticated and coders is not None and coders.filter(user=user).exists())


# An inspection's qualitative evidence holds survey free-text answers (imported from fieldwork),
# notes of focus groups and case studies, which may name people: the team only, as
# ``fieldwork.view_free_text`` (not the link inspector or quality assurance).
qualitative_viewers = (~is_inspection_evidence & can_view_partnership) | (
    is_inspection_evidence & fieldwork_team
)
qualitative_editors = (
    is_administrator
    | (~is_inspection_evidence & member_of_partnership & is_partnership_editor)
    | (is_inspection_evidence & on_inspection_team)
)
rules.add_perm("qualitative.view_project", qualitative_viewers)
rules.add_perm("qualitative.change_project", qualitative_editors)
rules.add_perm("qualitative.code_in_check", qualitative_editors & codes_blind_in_check)
rules.add_perm(
    "qualitative.add_partnership_project",
    is_administrator | (member_of_partnership & is_partnership_editor),
)
rules.add_perm("qualitative.add_inspection_project", is_administrator | on_inspection_team)
