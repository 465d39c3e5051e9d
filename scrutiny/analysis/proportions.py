"""Proportion words: the standard terms Scottish inspection reports use for "how many".

Source: Education Scotland's published quantitative terms, used in its inspection reports and
widely across Scottish scrutiny reports: almost all = over 90%; most = 75-90%; majority =
50-74%; less than half = 15-49%; few = up to 15%; with all = 100% and none = 0%.

The published ranges are written in whole percentages, leave gaps (74-75%, 49-50%) and meet
at 15% ("few" is up to 15%, "less than half" starts at 15%). Scrutiny closes them like this,
on the exact fraction, without rounding it to a whole percentage first:

========================  ==============================
fraction f                word
========================  ==============================
f = 1                     all
0.90 < f < 1              almost all   (exactly 90% is "most": the term is "over 90%")
0.75 <= f <= 0.90         most
0.50 <= f < 0.75          majority     (74.5% is "majority": below 75%)
0.15 < f < 0.50           less than half  (49.5% is "less than half": below half)
0 < f <= 0.15             few          (exactly 15% is "few": "up to 15%")
f = 0                     none
========================  ==============================

Exactly 15% is the one point where two published ranges meet, so a narrative saying "less than
half" there is accepted as consistent too (`proportion_word_fits`), though `proportion_word`
names it "few". Fractions are compared as floats: k / n computed by division lands exactly on
a boundary (9 / 10 == 0.9, 3 / 20 == 0.15), so counts behave as expected.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ALL = "all"
ALMOST_ALL = "almost all"
MOST = "most"
MAJORITY = "majority"
LESS_THAN_HALF = "less than half"
FEW = "few"
NONE = "none"


@dataclass(frozen=True)
class ProportionTerm:
    """A proportion word and its range as published."""

    word: str
    published: str


PROPORTION_TERMS: tuple[ProportionTerm, ...] = (
    ProportionTerm(ALL, "100%"),
    ProportionTerm(ALMOST_ALL, "over 90%"),
    ProportionTerm(MOST, "75-90%"),
    ProportionTerm(MAJORITY, "50-74%"),
    ProportionTerm(LESS_THAN_HALF, "15-49%"),
    ProportionTerm(FEW, "up to 15%"),
    ProportionTerm(NONE, "0%"),
)
PROPORTION_WORDS: tuple[str, ...] = tuple(term.word for term in PROPORTION_TERMS)
# The source of the terms, as a report cites it under its table of the words.
PROPORTION_SOURCE = "Source: Education Scotland's quantitative terms for inspection reports."

FRACTION_OUT_OF_RANGE = "a proportion must be between 0 and 1, not {value!r}"
UNKNOWN_WORD = "{word!r} is not a proportion word; the words are: {words}"

# Phrases where "all", "most" or "few" do not describe a proportion of people or records.
_IDIOMS = re.compile(
    r"\b(?:at all|after all|above all|first of all|most of all|all in all|all the same|"
    r"once and for all|(?:at )?the most|at most|most importantly|most recent(?:ly)?|"
    r"most likely)\b",
    re.IGNORECASE,
)
_WORDS = re.compile(
    r"\b(?P<word>almost all|less than half|(?:a |the )?majority|most|(?:a |very )?few|all|none)\b",
    re.IGNORECASE,
)


class ProportionError(ValueError):
    """Not a proportion, or not a proportion word; the message says which."""


@dataclass(frozen=True)
class ProportionWordMatch:
    """A proportion word found in a text: ``word`` is the standard term, ``text`` as written."""

    word: str
    text: str
    start: int
    end: int


def _checked(fraction: float) -> float:
    value = float(fraction)
    if math.isnan(value) or not 0 <= value <= 1:
        raise ProportionError(FRACTION_OUT_OF_RANGE.format(value=fraction))
    return value


def proportion_word(fraction: float) -> str:
    """The standard word for a fraction in [0, 1] (see the module docstring for boundaries)."""
    value = _checked(fraction)
    if value == 1:
        return ALL
    if value > 0.9:
        return ALMOST_ALL
    if value >= 0.75:
        return MOST
    if value >= 0.5:
        return MAJORITY
    if value > 0.15:
        return LESS_THAN_HALF
    if value > 0:
        return FEW
    return NONE


def percent_text(fraction: float) -> str:
    """``fraction`` as a percentage that agrees with its word: whole (halves rounded up, as the
    templates round), unless rounding would put it in another word's range (74.5% is
    "majority", so it is not shown as 75%, which reads as "most"); then with as many decimals
    as it takes."""
    value = _checked(fraction)
    word = proportion_word(value)
    exact = Decimal(repr(100 * value))
    for places in range(4):
        text = str(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
        if proportion_word(min(float(text) / 100, 1.0)) == word:
            return f"{text}%"
    return f"{exact}%"


def proportion_word_fits(word: str, fraction: float) -> bool:
    """Whether ``word`` may describe ``fraction``: its own word, or "less than half" at 15%."""
    standard = word.strip().lower()
    if standard not in PROPORTION_WORDS:
        raise ProportionError(UNKNOWN_WORD.format(word=word, words=", ".join(PROPORTION_WORDS)))
    value = _checked(fraction)
    return standard == proportion_word(value) or (standard == LESS_THAN_HALF and value == 0.15)


def proportion_words_in(text: str) -> tuple[ProportionWordMatch, ...]:
    """The proportion words in ``text``, in order, leaving out idioms ("at all", "the most").

    "a few" and "very few" count as "few"; "a majority" and "the majority" as "majority";
    "almost all" is one word, not also "all".
    """
    idioms = [match.span() for match in _IDIOMS.finditer(text)]
    found = []
    for match in _WORDS.finditer(text):
        start, end = match.span()
        if any(start < idiom_end and idiom_start < end for idiom_start, idiom_end in idioms):
            continue
        written = match.group("word")
        standard = " ".join(written.lower().split())
        for prefix in ("a ", "the ", "very "):
            standard = standard.removeprefix(prefix)
        found.append(ProportionWordMatch(word=standard, text=written, start=start, end=end))
    return tuple(found)


def proportion_words_out_of_line(text: str, fraction: float) -> tuple[ProportionWordMatch, ...]:
    """The proportion words in ``text`` that do not fit ``fraction`` (empty: consistent)."""
    value = _checked(fraction)
    return tuple(
        match for match in proportion_words_in(text) if not proportion_word_fits(match.word, value)
    )


def narrative_fits(text: str, fraction: float) -> bool:
    """Whether every proportion word in ``text`` fits ``fraction`` (true if there are none)."""
    return not proportion_words_out_of_line(text, fraction)
