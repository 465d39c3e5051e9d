"""Email reminders, run by a scheduler through ``scrutiny manage send_reminders``.

- Each action owner gets one email listing their actions due within 14 days (once per action
  and due date) and their overdue actions (at most once a week per action).
- Each link inspector with a current assignment gets a weekly digest of their partnerships:
  overdue actions, open concerns, plans not started or not yet submitted, and days since the
  last contact.

What was sent is recorded (``ReminderSent``), so running the command every day is safe.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction

from scrutiny.accounts.models import LinkAssignment, User
from scrutiny.accounts.selectors import current_link_assignments
from scrutiny.analysis.rag import AMBER_WINDOW_DAYS
from scrutiny.improvement.models import (
    Action,
    ActionPlan,
    Concern,
    Contact,
    ReminderSent,
    long_date,
)
from scrutiny.improvement.selectors import plans_not_started

WEEK = timedelta(days=7)


@dataclass
class Email:
    to: str
    subject: str
    body: str


@dataclass
class ReminderRun:
    emails: list[Email] = field(default_factory=list)
    records: list[ReminderSent] = field(default_factory=list)


def _action_line(action: Action, today: date) -> str:
    days = (action.due_date - today).days
    when = (
        f"overdue by {-days} day{'s' if days != -1 else ''}"
        if days < 0
        else f"due in {days} day{'s' if days != 1 else ''}"
    )
    return (
        f"- Action {action.number}: {action.title} ({action.plan.partnership.name}), "
        f"due {long_date(action.due_date)}: {when}."
    )


def _owner_emails(today: date, run: ReminderRun) -> None:
    open_actions = (
        Action.objects.filter(
            completed_on__isnull=True, due_date__lte=today + timedelta(days=AMBER_WINDOW_DAYS)
        )
        .exclude(plan__status=ActionPlan.Status.DRAFT)
        .select_related("plan__partnership", "owner_user")
        .order_by("due_date", "pk")
    )
    recent = {
        (r.kind, r.action_id, r.key)
        for r in ReminderSent.objects.filter(kind=ReminderSent.Kind.DUE_SOON)
    } | {
        (r.kind, r.action_id, "")
        for r in ReminderSent.objects.filter(
            kind=ReminderSent.Kind.OVERDUE, sent_on__gt=today - WEEK
        )
    }
    by_owner: dict[str, list[tuple[str, Action]]] = defaultdict(list)
    for action in open_actions:
        address = action.owner_address
        if not address:
            continue
        if action.due_date < today:
            kind, key = ReminderSent.Kind.OVERDUE, ""
        else:
            kind, key = ReminderSent.Kind.DUE_SOON, action.due_date.isoformat()
        if (kind, action.pk, key) in recent:
            continue
        by_owner[address].append((kind, action))
        run.records.append(
            ReminderSent(kind=kind, recipient=address, action=action, key=key, sent_on=today)
        )
    for address, items in by_owner.items():
        overdue = [a for k, a in items if k == ReminderSent.Kind.OVERDUE]
        soon = [a for k, a in items if k == ReminderSent.Kind.DUE_SOON]
        lines = ["Hello,", ""]
        if overdue:
            lines += [
                "These actions you own are overdue:",
                *(_action_line(a, today) for a in overdue),
                "",
            ]
        if soon:
            lines += [
                f"These actions you own are due within {AMBER_WINDOW_DAYS} days:",
                *(_action_line(a, today) for a in soon),
                "",
            ]
        lines += [
            "Please add a status update in Scrutiny, or mark the action complete.",
            "",
            "Scrutiny",
        ]
        subject = (
            f"{len(overdue)} overdue action{'s' if len(overdue) != 1 else ''}"
            if overdue
            else f"{len(soon)} action{'s' if len(soon) != 1 else ''} due soon"
        )
        run.emails.append(Email(address, f"Scrutiny: {subject}", "\n".join(lines)))


def _digests(today: date, run: ReminderRun) -> None:
    assignments = (
        current_link_assignments(today=today)
        .filter(inspector__is_active=True)
        .select_related("inspector", "partnership")
        .order_by("inspector", "partnership__name")
    )
    sent_recently = set(
        ReminderSent.objects.filter(
            kind=ReminderSent.Kind.DIGEST, sent_on__gt=today - WEEK
        ).values_list("recipient", flat=True)
    )
    by_inspector: dict[User, list[LinkAssignment]] = defaultdict(list)
    for assignment in assignments:
        by_inspector[assignment.inspector].append(assignment)
    for inspector, linked in by_inspector.items():
        if inspector.email in sent_recently:
            continue
        lines = [f"Hello {inspector.get_short_name()},", "", "Your weekly digest.", ""]
        for assignment in linked:
            partnership = assignment.partnership
            overdue = list(
                Action.objects.filter(
                    plan__partnership=partnership, completed_on__isnull=True, due_date__lt=today
                )
                .select_related("plan__partnership")
                .order_by("due_date")
            )
            concerns = Concern.objects.filter(
                partnership=partnership, status=Concern.Status.OPEN
            ).count()
            last = (
                Contact.objects.filter(partnership=partnership)
                .order_by("-date")
                .values_list("date", flat=True)
                .first()
            )
            unsubmitted = [
                p
                for p in ActionPlan.objects.filter(partnership=partnership).select_related(
                    "inspection"
                )
                if p.first_submitted_on is None
            ]
            lines.append(f"{partnership.name}")
            lines.append(
                f"- Last contact: {long_date(last)} ({(today - last).days} days ago)."
                if last
                else "- No contact logged yet."
            )
            lines.append(f"- Open concerns: {concerns}.")
            for plan in [*plans_not_started(partnership=partnership), *unsubmitted]:
                state = "not yet submitted" if plan.is_started else "not started"
                due = plan.due_date
                lines.append(
                    f"- Action plan {state} (due {long_date(due)})."
                    if due
                    else f"- Action plan {state}."
                )
            if overdue:
                lines.append(f"- Overdue actions: {len(overdue)}.")
                lines.extend(f"  {_action_line(a, today)}" for a in overdue)
            else:
                lines.append("- No overdue actions.")
            lines.append("")
        lines.append("Scrutiny")
        run.emails.append(Email(inspector.email, "Scrutiny: your weekly digest", "\n".join(lines)))
        run.records.append(
            ReminderSent(kind=ReminderSent.Kind.DIGEST, recipient=inspector.email, sent_on=today)
        )


def reminders_plan(*, today: date) -> ReminderRun:
    """What would be sent today (nothing is sent or recorded)."""
    run = ReminderRun()
    _owner_emails(today, run)
    _digests(today, run)
    return run


@transaction.atomic
def reminders_send(*, today: date) -> ReminderRun:
    """Send today's reminders through the configured email backend and record them."""
    run = reminders_plan(today=today)
    send_mass_mail(
        [(e.subject, e.body, settings.DEFAULT_FROM_EMAIL, [e.to]) for e in run.emails],
        fail_silently=False,
    )
    ReminderSent.objects.bulk_create(run.records)
    return run
