"""Periods of indicator values: ``2023`` (a year), ``2023-Q1`` (a calendar quarter) and
``2023-04`` (a month). A yearly value of the national statistics is named by the year its
31 July snapshot falls in (``2023`` is 1 August 2022 to 31 July 2023); statistics.gov.scot's
``2022/2023`` is read as ``2023``."""

from __future__ import annotations

import re
from datetime import date

from scrutiny.indicators.models import Frequency

_YEAR = re.compile(r"^(\d{4})$")
_SPAN = re.compile(r"^(\d{4})\s*[/-]\s*(\d{4}|\d{2})$")
_QUARTER = re.compile(r"^(\d{4})\s*-?\s*Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")

EXPECTED = {
    Frequency.YEARLY: "a year such as 2023",
    Frequency.QUARTERLY: "a quarter such as 2023-Q1",
    Frequency.MONTHLY: "a month such as 2023-04",
}


class PeriodError(ValueError):
    pass


def period_parse(text: str, frequency: str) -> tuple[str, date]:
    """The period's code and first day, or ``PeriodError`` saying what was expected."""
    value = text.strip()
    kind = Frequency(frequency)
    if kind == Frequency.YEARLY:
        match = _YEAR.match(value)
        if match:
            year = int(match.group(1))
            return str(year), date(year, 1, 1)
        span = _SPAN.match(value)
        if span:
            first, second = int(span.group(1)), span.group(2)
            last = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
            if last == first + 1:
                return str(last), date(last, 1, 1)
    elif kind == Frequency.QUARTERLY:
        match = _QUARTER.match(value)
        if match:
            year, quarter = int(match.group(1)), int(match.group(2))
            return f"{year}-Q{quarter}", date(year, 3 * quarter - 2, 1)
    else:
        match = _MONTH.match(value)
        if match and 1 <= int(match.group(2)) <= 12:
            year, month = int(match.group(1)), int(match.group(2))
            return f"{year}-{month:02d}", date(year, month, 1)
    raise PeriodError(f"{text!r} is not {EXPECTED[kind]}")
