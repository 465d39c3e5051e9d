from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from scrutiny.accounts import selectors as accounts_selectors
from scrutiny.accounts.models import Role, User
from scrutiny.improvement.models import ProgressReview
from scrutiny.improvement.selectors import reviews_at_quality_assurance
from scrutiny.inspections.models import Inspection, Status
from scrutiny.places.models import Partnership


def home_for(*, user: User) -> dict[str, Any]:
    """What a signed-in user's home page lists, by role."""
    inspections = Inspection.objects.select_related("partnership")
    partnership = None
    linked: list[Partnership] = []
    reviews: list[ProgressReview] = []
    if user.is_inspectorate:
        today = timezone.localdate()
        linked = list(accounts_selectors.linked_partnerships(user=user, today=today))
    if user.role == Role.ADMINISTRATOR:
        heading = "All inspections"
    elif user.role == Role.QUALITY_ASSURANCE:
        heading = "Inspections at quality assurance"
        inspections = inspections.filter(status=Status.QUALITY_ASSURANCE)
        # Quality assurance signs off progress reviews too: they wait here with inspections.
        reviews = reviews_at_quality_assurance()
    elif user.is_inspectorate:
        heading = "Your inspections"
        inspections = inspections.filter(Q(team__user=user) | Q(partnership__in=linked)).distinct()
    else:
        partnership = user.organisation.partnership
        heading = "Your partnership's inspections"
        inspections = inspections.filter(partnership=partnership)
    return {
        "partnership": partnership,
        "linked_partnerships": linked,
        "inspections": list(inspections),
        "inspections_heading": heading,
        "reviews_at_qa": reviews,
        "is_quality_assurance": user.role == Role.QUALITY_ASSURANCE,
        "perms_admin": user.has_perm("accounts.view_audit"),
    }
