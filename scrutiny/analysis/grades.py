"""Does a narrative's use of proportion words fit its grade on the six-point scale?

This is a prompt for the quality and consistency panel, not a rule: a grade of *very good*
("major strengths") written up with "less than half" and "few" deserves a second look. The
bands below are our reading of the scale's descriptors against Education Scotland's
proportion words; they are not official.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from scrutiny.analysis.proportions import proportion_words_in

EXPECTED_WORDS: dict[int, frozenset[str]] = {
    6: frozenset({"all", "almost all"}),
    5: frozenset({"all", "almost all", "most"}),
    4: frozenset({"almost all", "most", "majority"}),
    3: frozenset({"most", "majority", "less than half"}),
    2: frozenset({"majority", "less than half", "few"}),
    1: frozenset({"less than half", "few", "none"}),
}


@dataclass(frozen=True)
class GradeCheck:
    grade: int
    words: tuple[str, ...]
    out_of_line: tuple[str, ...]

    @property
    def flagged(self) -> bool:
        """Most of the proportion words used sit outside the band expected for the grade."""
        return bool(self.words) and len(self.out_of_line) * 2 > len(self.words)

    def explanation(self) -> str:
        if not self.words:
            return "The narrative uses no proportion words."
        counts = Counter(self.words)
        used = ", ".join(
            f"“{word}” ({n} times)" if n > 1 else f"“{word}”" for word, n in counts.items()
        )
        if not self.flagged:
            return f"Proportion words used ({used}) fit the grade."
        expected = " or ".join(f"“{w}”" for w in sorted(EXPECTED_WORDS[self.grade]))
        return (
            f"Proportion words used ({used}) are mostly outside what the grade suggests "
            f"({expected})."
        )


def grade_check(grade: int, narrative: str) -> GradeCheck:
    if grade not in EXPECTED_WORDS:
        raise ValueError(f"a grade must be from 1 to 6, not {grade!r}")
    words = tuple(match.word for match in proportion_words_in(narrative))
    expected = EXPECTED_WORDS[grade]
    return GradeCheck(
        grade=grade, words=words, out_of_line=tuple(w for w in words if w not in expected)
    )
