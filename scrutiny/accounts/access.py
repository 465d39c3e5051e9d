"""The one helper views use to ask the rules, and the child-level access log."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from scrutiny.accounts.models import AccessLogEntry, User
from scrutiny.accounts.rules import partnership_id_of


class AuthenticatedRequest(HttpRequest):
    """The request of a view behind ``login_required``: its user is a real ``User``."""

    user: User


def require(request: HttpRequest, permission: str, obj: Any = None) -> None:
    """Raise ``PermissionDenied`` unless the signed-in user holds ``permission`` on ``obj``.

    Anonymous users never reach here on protected views: ``login_required`` sends them to
    sign in first.
    """
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def log_child_level_access(request: HttpRequest, *, what: str, obj: Any = None) -> None:
    """Record that the signed-in user opened a page or export showing child-level data."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied  # child-level data is never shown to anonymous visitors
    forwarded = request.META.get("REMOTE_ADDR")
    AccessLogEntry.objects.create(
        user=user,
        path=request.get_full_path()[:500],
        what=what[:200],
        partnership_id=partnership_id_of(obj),
        ip_address=forwarded or None,
    )
