from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import BooleanField, DateTimeField, Field, Model, QuerySet
from django.utils import dateformat, timezone
from django.utils.text import capfirst

from scrutiny.accounts.models import AccessLogEntry, LinkAssignment, Role, User
from scrutiny.places.models import Partnership


def current_link_assignments(
    *, today: date, inspector: User | None = None
) -> QuerySet[LinkAssignment]:
    """Assignments in force on ``today`` whose holder is (still) a link inspector: the ones that
    give link-inspector powers, digests and home-page lists."""
    found = LinkAssignment.objects.filter(
        started_on__lte=today, inspector__role=Role.LINK_INSPECTOR
    ).exclude(ended_on__lt=today)
    return found if inspector is None else found.filter(inspector=inspector)


def linked_partnerships(*, user: User, today: date) -> QuerySet[Partnership]:
    """The partnerships ``user`` is link inspector for on ``today``."""
    held = current_link_assignments(today=today, inspector=user).values("partnership_id")
    return Partnership.objects.filter(pk__in=held)


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


@dataclass(frozen=True)
class AuditChange:
    """One field of one change, ready to read: ``None`` where the field was empty."""

    label: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class AuditRow:
    entry: LogEntry
    changes: list[AuditChange]

    @property
    def made(self) -> bool:
        """A new record: its changes are its values, with nothing before them."""
        return bool(self.entry.action == LogEntry.Action.CREATE)

    @property
    def deleted(self) -> bool:
        """A deleted record: its changes are the values it had."""
        return bool(self.entry.action == LogEntry.Action.DELETE)


@dataclass
class _Line:
    label: str
    field: Field[Any, Any] | None  # None: shown as stored (an unknown field, or m2m words)
    before: Any
    after: Any


def _stored(value: Any) -> Any:
    """auditlog keeps an empty value as the text "None"."""
    return None if value is None or value == "None" else value


def _local_time(stored: str) -> str:
    """auditlog keeps a moment as naive UTC text; show it in local time as the page does."""
    try:
        moment = datetime.fromisoformat(stored)
        if timezone.is_naive(moment):
            moment = moment.replace(tzinfo=UTC)
        return dateformat.format(timezone.localtime(moment), "j M Y H:i")
    except (ValueError, OverflowError):
        return stored


def _m2m_words(change: dict[str, Any]) -> str:
    operation = str(change.get("operation"))
    verb = {"add": "added", "delete": "removed", "clear": "cleared"}.get(operation, operation)
    objects = ", ".join(str(o) for o in change.get("objects") or [])
    return f"{verb}: {objects}" if objects else verb


def _line(model: type[Model] | None, name: str, values: Any) -> _Line | None:
    """One stored change as a line, or ``None`` for what is not worth one: the record's own id,
    and the reverse relations auditlog writes as "app.Model.None" when a record is made."""
    try:
        field = model._meta.get_field(name) if model is not None else None
    except FieldDoesNotExist:
        field = None  # the field has gone since: show the change as stored
    label = capfirst(str(getattr(field, "verbose_name", name)))
    if isinstance(values, dict):  # a many-to-many change: {"type": "m2m", "operation": ...}
        return _Line(label, None, None, _m2m_words(values))
    if field is not None and (not isinstance(field, Field) or not field.concrete):
        return None
    if isinstance(field, Field) and field.primary_key:
        return None
    before, after = (_stored(v) for v in values)
    return _Line(label if field is not None else name, field, before, after)


def audit_rows(*, entries: Iterable[LogEntry]) -> list[AuditRow]:
    """The changes of ``entries`` in words: field labels, choices by their label, and a foreign
    key by the related record's name where it still exists (else its id). One query per related
    model for all the entries, whatever their number."""
    staged: list[tuple[LogEntry, list[_Line]]] = []
    wanted: dict[type[Model], set[Any]] = defaultdict(set)
    for entry in entries:
        model = entry.content_type.model_class() if entry.content_type_id else None
        lines = []
        for name, values in entry.changes_dict.items():
            line = _line(model, name, values)
            if line is None:
                continue
            related = line.field.related_model if line.field is not None else None
            if isinstance(related, type):
                wanted[related].update(v for v in (line.before, line.after) if v is not None)
            lines.append(line)
        staged.append((entry, lines))

    names: dict[type[Model], dict[Any, str]] = {}
    for related, raw in wanted.items():
        pk_field, keys = related._meta.pk, {}
        for value in raw:
            try:
                keys[pk_field.to_python(value) if pk_field else value] = value
            except ValidationError:
                continue  # not an id (kept as text some other way): shown as stored
        objects = related._base_manager.in_bulk(list(keys))
        names[related] = {
            value: str(objects[pk]) if pk in objects else f"{value} (no longer exists)"
            for pk, value in keys.items()
        }

    def words(field: Field[Any, Any] | None, value: Any) -> str | None:
        if value is None:
            return None
        related = field.related_model if field is not None else None
        if isinstance(related, type):
            return names.get(related, {}).get(value, str(value))
        if field is not None and field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(field, BooleanField) and str(value) in {"True", "False"}:
            return "Yes" if str(value) == "True" else "No"
        if isinstance(field, DateTimeField):
            return _local_time(str(value))
        return str(value)

    rows = []
    for entry, lines in staged:
        changes = []
        for line in lines:
            change = AuditChange(
                line.label, words(line.field, line.before), words(line.field, line.after)
            )
            if entry.action == LogEntry.Action.CREATE and not change.after:
                continue  # an empty field of a new record says nothing
            if entry.action == LogEntry.Action.DELETE and not change.before:
                continue
            changes.append(change)
        rows.append(AuditRow(entry=entry, changes=changes))
    return rows
