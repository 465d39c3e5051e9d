"""How answers to one question are spread: counts, shares with Wilson intervals, and the
proportion word for each share. ``AGREE`` and ``DONT_KNOW`` name the answers that % agree is
made of (worked out from the protected counts, in ``scrutiny.fieldwork.results``).

Plain counts in, plain results out. Disclosure control is applied afterwards, by the gate, to
whatever is shown or published.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from scrutiny.analysis.intervals import wilson_interval
from scrutiny.analysis.proportions import proportion_word

AGREE = ("strongly_agree", "agree")  # % agree: these, over the answers other than don't know
DONT_KNOW = "dont_know"
NEGATIVE_COUNT = "the count for {option!r} is negative: {count}"
UNKNOWN_OPTION = "answers were given that are not options of the question: {values}"


class DistributionError(ValueError):
    """The counts cannot be summarised; the message says why."""


@dataclass(frozen=True)
class Share:
    """``count`` of ``n``: the share, its Wilson interval and its proportion word.

    With ``n`` = 0 there is no share: ``share``, ``lower``, ``upper`` and ``word`` are None.
    """

    count: int
    n: int
    share: float | None
    lower: float | None
    upper: float | None
    word: str | None

    @property
    def percentage(self) -> float | None:
        return None if self.share is None else 100 * self.share


def share_of(count: int, n: int, *, confidence: float = 0.95) -> Share:
    if count < 0 or n < 0 or count > n:
        raise DistributionError(f"a count of {count} out of {n} is not possible")
    if n == 0:
        return Share(count, n, None, None, None, None)
    interval = wilson_interval(count, n, confidence=confidence)
    fraction = count / n
    return Share(count, n, fraction, interval.lower, interval.upper, proportion_word(fraction))


@dataclass(frozen=True)
class OptionShare:
    value: str
    label: str
    share: Share


@dataclass(frozen=True)
class Distribution:
    """Answers to one question: ``n`` answered (blanks are not counted), one line per option."""

    n: int
    options: tuple[OptionShare, ...]


def tally(values: Iterable[str]) -> dict[str, int]:
    """Count each non-blank answer."""
    counts: dict[str, int] = {}
    for value in values:
        if value:
            counts[value] = counts.get(value, 0) + 1
    return counts


def distribution(
    options: Sequence[tuple[str, str]],
    counts: Mapping[str, int],
    *,
    confidence: float = 0.95,
) -> Distribution:
    """Shares of each option (value, label) among all answers given; every option is listed,
    with zero where nobody chose it. An answer that is not an option is an error."""
    known = {value for value, _ in options}
    unknown = sorted(value for value, count in counts.items() if count and value not in known)
    if unknown:
        raise DistributionError(UNKNOWN_OPTION.format(values=", ".join(map(repr, unknown))))
    for value, count in counts.items():
        if count < 0:
            raise DistributionError(NEGATIVE_COUNT.format(option=value, count=count))
    n = sum(counts.get(value, 0) for value in known)
    return Distribution(
        n=n,
        options=tuple(
            OptionShare(value, label, share_of(counts.get(value, 0), n, confidence=confidence))
            for value, label in options
        ),
    )
