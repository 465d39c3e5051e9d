"""Dates as every app writes them in pages and messages: 1 January 2030 (no leading zero)."""

from __future__ import annotations

from datetime import date


def long_date(day: date) -> str:
    """A date as the app writes it in messages and pages: 1 January 2030."""
    return f"{day.day} {day:%B} {day.year}"
