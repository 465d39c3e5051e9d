"""Email action owners about actions due within 14 days or overdue, and send each link
inspector a weekly digest. Run it daily from a scheduler: what was sent is recorded, so nothing
is repeated (due-soon once per action and due date, overdue weekly, digests weekly)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from scrutiny.improvement.reminders import reminders_plan, reminders_send

# Reminders look a few weeks either side of the day: the calendar's ends leave no room.
EARLIEST, LATEST = date(2000, 1, 1), date(9000, 12, 31)


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print what would be sent; send and record nothing.",
        )
        parser.add_argument(
            "--date", help="Act as if today were this day (YYYY-MM-DD); default: today."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"--date must be YYYY-MM-DD, not {options['date']!r}.") from None
            if not EARLIEST <= today <= LATEST:
                raise CommandError(
                    f"--date must be between {EARLIEST} and {LATEST}, not {options['date']}."
                )
        if options["dry_run"]:
            run = reminders_plan(today=today)
            for email in run.emails:
                self.stdout.write(f"To: {email.to}\nSubject: {email.subject}\n\n{email.body}\n")
            self.stdout.write(f"Dry run: {len(run.emails)} email(s) would be sent; none sent.")
            return
        run = reminders_send(today=today)
        self.stdout.write(f"Sent {len(run.emails)} email(s).")
