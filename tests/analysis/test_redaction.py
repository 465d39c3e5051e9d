"""Automatic redaction of names, places, dates and contact details in quotes."""

from __future__ import annotations

import pytest

from scrutiny.analysis.redaction import invented, redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mrs McLean helped.", "[name] helped."),
        ("Dr A. Shah saw him.", "[name] saw him."),
        ("Kirsty Wallace rang.", "[name] rang."),
        ("Our worker Jamie is great.", "Our worker [name] is great."),
        ("We moved to Troon.", "We moved to [place]."),
        (
            "Services in South Ayrshire and Dumfries and Galloway.",
            "Services in [place] and [place].",
        ),
        ("At Belmont Academy and Forehill Primary School.", "At [place] and [place]."),
        ("On 12/03/2025, 2025-03-12 and 3rd March 2024.", "On [date], [date] and [date]."),
        ("In March 2025 and on March 5th.", "In [date] and on [date]."),
        ("Email k.w@example.org or ring 07700 900123.", "Email [email] or ring [phone number]."),
        ("Call (01292) 612 345 today.", "Call [phone number] today."),
        ("Grace Brown came round.", "[name] came round."),
        ("We moved to 12 High Street, KA7 1AA.", "We moved to [place], [place]."),
        ("She lives on Burns Crescent now.", "She lives on [place] now."),
        ("They moved to Burns Crescent.", "They moved to [place]."),
        ("Our postcode is KA7 1AA.", "Our postcode is [place]."),
        ("Our postcode is ka71aa, or ka7 1aa.", "Our postcode is [place], or [place]."),
        ("We met at 3 Church Place.", "We met at [place]."),
    ],
)
def test_it_replaces_what_could_identify_someone(text: str, expected: str) -> None:
    assert redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "Young people said the staff were kind.",
        "Will they listen this time?",
        "We may need more help in May.",
        "Grant funding ended and the club closed.",
        "The 11 to 15 year olds need more support.",
        "Waiting 6 months is too long.",
        "The Way Forward group was good.",
        "Staff at the hearing were kind.",
        "No Way was I going back.",
        "In S3 2nd year it got better.",
        "Signs of Safety Way of working helped.",
        "A Safe Place to talk and a Sponsored Walk.",
        "It was Really Close to my gran's.",
    ],
)
def test_it_leaves_ordinary_words_alone(text: str) -> None:
    result = redact(text)
    assert result.text == text
    assert not result.changed


def test_it_says_what_it_replaced() -> None:
    result = redact("Mr Smith from Ayr")
    assert [(r.original, r.replacement) for r in result.replacements] == [
        ("Mr Smith", "[name]"),
        ("Ayr", "[place]"),
    ]


def test_an_automatic_redaction_is_taken_from_its_text() -> None:
    text = "Mrs McLean in Ayr rang on 12/03/2025 and Kirsty Wallace helped us."
    assert invented(redact(text).text, text) is None
    assert invented("Mrs McLean … helped us.", text) is None
    assert invented("Mrs McLean never helped us.", text) == "never"
