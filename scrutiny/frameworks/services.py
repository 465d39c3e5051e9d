"""Editing a framework makes a new version: inspections keep the version they started with."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from scrutiny.accounts.models import User
from scrutiny.errors import ServiceError
from scrutiny.frameworks.models import Framework, FrameworkVersion, Group, QualityIndicator

DUPLICATE_NUMBER = (
    "This version of the framework already has a quality indicator numbered {number}: "
    "give a number it does not use yet, or leave the number empty."
)


class FrameworkError(ServiceError):
    pass


def _note(text: str) -> str:
    limit = FrameworkVersion._meta.get_field("note").max_length or 300
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _copy(
    version: FrameworkVersion, *, by: User, note: str
) -> tuple[FrameworkVersion, dict[int, Group], dict[str, QualityIndicator]]:
    new = FrameworkVersion.objects.create(
        framework=version.framework,
        number=version.number + 1,
        created_by=by.full_name,
        note=note,
    )
    groups = {}
    for group in version.groups.all():
        groups[group.pk] = Group.objects.create(
            version=new, kind=group.kind, number=group.number, title=group.title, order=group.order
        )
    qis = {}
    for qi in version.qis.all():
        qis[qi.key] = QualityIndicator.objects.create(
            version=new,
            group=groups[qi.group_id],
            number=qi.number,
            key=qi.key,
            title=qi.title,
            description=qi.description,
            evaluated_in=qi.evaluated_in,
            verified=qi.verified,
            order=qi.order,
        )
    return new, groups, qis


def _check(
    version: FrameworkVersion,
    *,
    number: str,
    title: str,
    evaluated_in: str,
    other_than: QualityIndicator | None = None,
) -> None:
    if not title.strip():
        raise FrameworkError("Give the quality indicator's title.", field="title")
    bad = set(evaluated_in.upper()) - {"A", "B", "C"}
    if bad:
        raise FrameworkError(
            "Inspection models are A, B and C: list the letters, e.g. 'C'.", field="evaluated_in"
        )
    number = number.strip()
    if number:
        same = version.qis.filter(number=number)
        if other_than is not None:
            same = same.exclude(pk=other_than.pk)
        if same.exists():
            raise FrameworkError(DUPLICATE_NUMBER.format(number=number), field="number")


@transaction.atomic
def qi_add(
    *,
    framework: Framework,
    group: Group,
    number: str,
    title: str,
    description: str,
    evaluated_in: str,
    verified: bool,
    by: User,
) -> QualityIndicator:
    current = framework.current_version
    if group.version_id != current.pk:
        raise FrameworkError("Choose a group from the framework's current version.", field="group")
    _check(current, number=number, title=title, evaluated_in=evaluated_in)
    key = slugify(f"{number.replace('.', '-')} {title}")[:80]
    if current.qis.filter(key=key).exists():
        raise FrameworkError(
            f"The framework already has a quality indicator '{title}'.", field="title"
        )
    label = f"{number.strip()} {title.strip()}".strip()
    new, groups, _ = _copy(current, by=by, note=_note(f"Added QI {label}"))
    order = (new.qis.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    return QualityIndicator.objects.create(
        version=new,
        group=groups[group.pk],
        number=number.strip(),
        key=key,
        title=title.strip(),
        description=description.strip(),
        evaluated_in=evaluated_in.upper(),
        verified=verified,
        order=order,
    )


@transaction.atomic
def qi_update(
    *,
    qi: QualityIndicator,
    number: str,
    title: str,
    description: str,
    evaluated_in: str,
    verified: bool,
    by: User,
) -> QualityIndicator:
    current = qi.version.framework.current_version
    if qi.version_id != current.pk:
        raise FrameworkError("Only the current version's quality indicators can be edited.")
    _check(current, number=number, title=title, evaluated_in=evaluated_in, other_than=qi)
    number = number.strip()
    saved = f"{number} {title.strip()}".strip()
    was = f" (was {qi.number or 'unnumbered'})" if number != qi.number else ""
    _, _, qis = _copy(current, by=by, note=_note(f"Edited QI {saved}{was}"))
    edited = qis[qi.key]
    edited.number = number
    edited.title = title.strip()
    edited.description = description.strip()
    edited.evaluated_in = evaluated_in.upper()
    edited.verified = verified
    edited.save()
    return edited
