from __future__ import annotations

from datetime import date, datetime, time, timedelta

from auditlog.models import LogEntry
from django.db.models import QuerySet
from django.utils import timezone

from scrutiny.accounts.models import AccessLogEntry
from scrutiny.places.models import Partnership


def _day_bounds(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """Moments from the start of ``start`` to the end of ``end``, in local time.

    A day at the edge of the calendar (within a day of ``date.min`` or ``date.max``) leaves that
    side open: nothing is recorded so early or so late, and the moment after 9999-12-31, or a
    local midnight on 0001-01-01 moved to UTC, cannot be represented.
    """
    tz = timezone.get_current_timezone()
    lower = upper = None
    if start and start > date.min + timedelta(days=1):
        lower = datetime.combine(start, time.min, tzinfo=tz)
    if end and end < date.max - timedelta(days=1):
        upper = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    return lower, upper


def audit_entries(
    *, partnership: Partnership | None, date_from: date | None, date_to: date | None
) -> QuerySet[LogEntry]:
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp")
    if partnership is not None:
        entries = entries.filter(additional_data__partnership_id=partnership.pk)
    lower, upper = _day_bounds(date_from, date_to)
    if lower:
        entries = entries.filter(timestamp__gte=lower)
    if upper:
        entries = entries.filter(timestamp__lt=upper)
    return entries


def access_log_entries(
    *, partnership: Partnership | None, date_from: date | None, date_to: date | None
) -> QuerySet[AccessLogEntry]:
    entries = AccessLogEntry.objects.select_related("user", "partnership").order_by("-at")
    if partnership is not None:
        entries = entries.filter(partnership=partnership)
    lower, upper = _day_bounds(date_from, date_to)
    if lower:
        entries = entries.filter(at__gte=lower)
    if upper:
        entries = entries.filter(at__lt=upper)
    return entries
