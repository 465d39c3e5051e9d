"""Results of record reading and surveys, as they may be shown and exported.

Every count goes through the disclosure-control gate (``scrutiny.publishing.gate``): counts from
1 to the threshold less one are shown as ``*``, complementary cells are suppressed so that no
suppressed count can be worked out from totals, and percentages, intervals and proportion words
built on a suppressed count are suppressed too. The unprotected figures never leave this module.
"""

from __future__ import annotations

import contextlib
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from scrutiny.analysis.agreement import AgreementError, cohen_kappa
from scrutiny.analysis.distributions import AGREE, DONT_KNOW, share_of
from scrutiny.analysis.proportions import percent_text, proportion_word
from scrutiny.charts.proportions_svg import Bar, proportion_bars_svg
from scrutiny.fieldwork.models import (
    Answer,
    AnswerType,
    InstrumentQuestion,
    QuestionKind,
    Reading,
    Sample,
    Survey,
    SurveyAnswer,
    SurveyResponse,
    TemplateQuestion,
)
from scrutiny.publishing import gate

SUPPRESSED = gate.SUPPRESSED
TOTAL = "Total"


@dataclass(frozen=True)
class ShownShare:
    """One line of a results table, after the gate: ``count`` is a number or ``*``."""

    label: str
    count: str
    percentage: float | None
    lower: float | None
    upper: float | None
    word: str
    base: str = ""  # % agree only: the answers other than don't know, when the % is shown

    @property
    def suppressed(self) -> bool:
        return self.count == SUPPRESSED

    @property
    def percent_text(self) -> str:
        """The percentage as shown beside its word ("" when not shown)."""
        return "" if self.percentage is None else percent_text(self.percentage / 100)


@dataclass
class Breakdown:
    """Counts by group (rows) and answer (columns), protected as one table."""

    title: str
    columns: list[str]
    rows: list[tuple[str, list[str], str]]  # group, counts, row total


@dataclass
class QuestionResult:
    key: str
    text: str
    section: str
    kind: str
    n: str
    lines: list[ShownShare] = field(default_factory=list)
    chart: SafeString = field(default_factory=lambda: mark_safe(""))
    breakdowns: list[Breakdown] = field(default_factory=list)
    statements: list[str] = field(default_factory=list)
    summary: str = ""  # for number questions; for Likert items, the % agree sentence
    agree: ShownShare | None = None


def _shown(label: str, count: int | None, n: int | None, rate: gate.ProtectedRate) -> ShownShare:
    if count is None or rate.value is None or n is None:
        return ShownShare(label, SUPPRESSED if count is None else str(count), None, None, None, "")
    share = share_of(count, n)
    assert share.lower is not None and share.upper is not None and share.word is not None
    return ShownShare(
        label, str(count), rate.value, 100 * share.lower, 100 * share.upper, share.word
    )


def protected_distribution(
    options: Sequence[tuple[str, str]], counts: dict[str, int]
) -> tuple[str, list[ShownShare], list[str]]:
    """(n as shown, one line per option, the rules applied) for one question's answers."""
    labels = [label for _, label in options]
    values = [counts.get(value, 0) for value, _ in options]
    total = sum(values)
    table = gate.protect(
        gate.CountTable(
            row_labels=[*labels, TOTAL],
            column_labels=["Count"],
            counts=[[v] for v in values] + [[total]],
            total_row=TOTAL,
        )
    )
    shown = [row[0] for row in table.values]
    n_shown = shown[-1]
    rates = gate.rates(shown[:-1], [n_shown] * len(labels)) if total else ()
    lines = []
    for index, label in enumerate(labels):
        if not total:
            lines.append(ShownShare(label, "0", None, None, None, ""))
            continue
        lines.append(_shown(label, shown[index], n_shown, rates[index]))
    return (
        SUPPRESSED if n_shown is None else str(n_shown),
        lines,
        list(table.statements()),
    )


def protected_breakdown(
    title: str, groups: Sequence[str], options: Sequence[tuple[str, str]], counts: dict
) -> Breakdown | None:
    """Counts by group and answer; ``counts[(group, value)]``. None with fewer than two groups."""
    if len(groups) < 2:
        return None
    labels = [label for _, label in options]
    matrix = [[counts.get((g, value), 0) for value, _ in options] for g in groups]
    rows = [[*row, sum(row)] for row in matrix]
    totals = [sum(column) for column in zip(*rows, strict=True)]
    table = gate.protect(
        gate.CountTable(
            row_labels=[*groups, TOTAL],
            column_labels=[*labels, TOTAL],
            counts=[*rows, totals],
            total_row=TOTAL,
            total_column=TOTAL,
        )
    )
    text = table.text(SUPPRESSED)
    return Breakdown(
        title=title,
        columns=labels,
        rows=[
            (label, list(cells[:-1]), cells[-1])
            for label, cells in zip([*groups, TOTAL], text, strict=True)
        ],
    )


def _chart(result_key: str, text: str, lines: Sequence[ShownShare]) -> SafeString:
    bars = [
        Bar(
            label=line.label,
            percentage=line.percentage,
            lower=line.lower,
            upper=line.upper,
            note="suppressed" if line.suppressed else "no answers",
        )
        for line in lines
    ]
    return mark_safe(proportion_bars_svg(bars, title=text, chart_id=f"chart-{result_key}"))


def _number_summary(values: list[float]) -> str:
    if not values:
        return "No answers."
    if len(values) < gate.threshold():
        return f"Fewer than {gate.threshold()} answers: not summarised (disclosure control)."
    median = statistics.median(values)
    low, high = (
        (statistics.quantiles(values, n=4)[k] for k in (0, 2))
        if len(values) > 1
        else (
            median,
            median,
        )
    )
    return f"{len(values)} answers: median {median:g}, middle half from {low:g} to {high:g}."


# --- record reading -----------------------------------------------------------------------------


@dataclass
class ReadingResults:
    sample: Sample
    readings: int
    moderation_readings: int
    questions: list[QuestionResult]
    agreement: list[AgreementRow]


@dataclass(frozen=True)
class AgreementRow:
    """One question's agreement, after the gate: ``pairs`` is a number or ``*``; the
    percentage and kappa are ``None`` (and ``suppressed`` true) when built on a small count."""

    key: str
    text: str
    pairs: str
    percentage: float | None
    kappa: float | None
    note: str = ""
    suppressed: bool = False


def reading_results(*, sample: Sample) -> ReadingResults:
    """Per question: n, each answer's count and percentage with a Wilson 95% interval and its
    proportion word, a chart, and breakdowns by stratum; all through the gate."""
    questions = list(sample.template.questions.select_related("section").order_by("order"))
    answers = Answer.objects.filter(
        reading__record__sample=sample, reading__is_moderation=False
    ).values_list("question_id", "value", "reading__record__stratum")
    by_question: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_stratum: dict[int, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
    numbers: dict[int, list[float]] = defaultdict(list)
    text_answers: dict[int, int] = defaultdict(int)
    strata: set[str] = set()
    for question_id, value, stratum in answers:
        strata.add(stratum)
        if not value:
            text_answers[question_id] += 1
            continue
        by_question[question_id][value] += 1
        by_stratum[question_id][(stratum, value)] += 1
        with contextlib.suppress(ValueError):
            numbers[question_id].append(float(value))
    groups = sorted(strata)
    readings = Reading.objects.filter(record__sample=sample)
    first = readings.filter(is_moderation=False).count()
    results = []
    for question in questions:
        result = QuestionResult(
            key=question.key,
            text=question.text,
            section=question.section.title,
            kind=question.answer_type,
            n="0",
        )
        if question.answer_type == AnswerType.FREE_TEXT:
            result.n = str(text_answers.get(question.pk, 0))
            result.summary = "Free-text notes are kept with each reading and are not summarised."
        elif question.answer_type == AnswerType.NUMBER:
            values = numbers.get(question.pk, [])
            result.n = (
                str(len(values)) if len(values) >= gate.threshold() or not values else (SUPPRESSED)
            )
            result.summary = _number_summary(values)
        else:
            options = question.options()
            counts = dict(by_question.get(question.pk, {}))
            result.n, result.lines, result.statements = protected_distribution(options, counts)
            result.chart = _chart(question.key, question.text, result.lines)
            breakdown = protected_breakdown(
                "By stratum", groups, options, dict(by_stratum.get(question.pk, {}))
            )
            if breakdown is not None:
                result.breakdowns.append(breakdown)
        results.append(result)
    return ReadingResults(
        sample=sample,
        readings=first,
        moderation_readings=readings.filter(is_moderation=True).count(),
        questions=results,
        agreement=moderation_agreement(sample=sample, questions=questions),
    )


def moderation_agreement(
    *, sample: Sample, questions: Sequence[TemplateQuestion] | None = None
) -> list[AgreementRow]:
    """Agreement between first and second readings, per question: percentage agreement and
    Cohen's kappa over the records read twice where both readings answered the question."""
    if questions is None:
        questions = list(sample.template.questions.order_by("order"))
    rows = Answer.objects.filter(
        reading__record__sample=sample, reading__record__moderate=True
    ).values_list("reading__record_id", "reading__is_moderation", "question_id", "value")
    given: dict[tuple[int, int], dict[bool, str]] = defaultdict(dict)
    for record_id, second, question_id, value in rows:
        if value:
            given[(question_id, record_id)][second] = value
    agreement = []
    for question in questions:
        if question.answer_type == AnswerType.FREE_TEXT:
            continue
        pairs = [
            (both[False], both[True])
            for (question_id, _), both in sorted(given.items())
            if question_id == question.pk and False in both and True in both
        ]
        if not pairs:
            agreement.append(
                AgreementRow(question.key, question.text, "0", None, None, "no pairs of readings")
            )
            continue
        agreed = sum(1 for first, second in pairs if first == second)
        shown_pairs, percentage = _protected_agreement(agreed, len(pairs))
        try:
            measured = cohen_kappa([a for a, _ in pairs], [b for _, b in pairs])
        except AgreementError as error:
            agreement.append(
                AgreementRow(question.key, question.text, shown_pairs, None, None, str(error))
            )
            continue
        if percentage is None:
            # Kappa is built on the same counts as the percentage, so it goes with it.
            agreement.append(
                AgreementRow(question.key, question.text, shown_pairs, None, None, suppressed=True)
            )
            continue
        agreement.append(
            AgreementRow(
                question.key,
                question.text,
                shown_pairs,
                percentage,
                measured.kappa,
                "every reading gave the same answer" if measured.expected == 1 else "",
            )
        )
    return agreement


def _protected_agreement(agreed: int, pairs: int) -> tuple[str, float | None]:
    """(records read twice as shown, % agreement or None): the readings that agreed and those
    that did not pass the gate as one table with their total, and the percentage is suppressed
    when built on a suppressed count."""
    table = gate.protect(
        gate.CountTable(
            row_labels=["agreed", "differed", TOTAL],
            column_labels=["Count"],
            counts=[[agreed], [pairs - agreed], [pairs]],
            total_row=TOTAL,
        )
    )
    shown_agreed, _, shown_pairs = (row[0] for row in table.values)
    (rate,) = gate.rates([shown_agreed], [shown_pairs])
    return (SUPPRESSED if shown_pairs is None else str(shown_pairs), rate.value)


def reading_summary_text(*, sample: Sample) -> str | None:
    """A plain-words summary of the protected results, for the evidence log (None: no readings)."""
    results = reading_results(sample=sample)
    if not results.readings:
        return None
    lines = [
        f"Records read: {results.readings} of a sample of {sample.size} drawn from "
        f"{sample.population} children in the pre-inspection return "
        f"({results.moderation_readings} read a second time for moderation).",
        f"Figures are protected by disclosure control (counts of 1 to {gate.threshold() - 1} "
        "shown as *); intervals are Wilson 95% confidence intervals.",
    ]
    for question in results.questions:
        if question.kind not in (
            AnswerType.YES_PARTLY_NO,
            AnswerType.SIX_POINT,
            AnswerType.SINGLE_CHOICE,
        ):
            continue
        if question.n == "0":
            continue
        if question.kind == AnswerType.YES_PARTLY_NO:
            yes = next((line for line in question.lines if line.label == "Yes"), None)
            if yes is None:
                continue
            lines.append(f"{question.text} Yes: {_share_text(yes)} (n = {question.n}).")
        else:
            parts = [
                f"{line.label} {_share_text(line)}" for line in question.lines if line.count != "0"
            ]
            # A wellbeing indicator's text is one word ("Safe"): name its section with it.
            text = (
                f"{question.section}: {question.text}:"
                if question.kind == AnswerType.SINGLE_CHOICE
                else question.text
            )
            lines.append(f"{text} {'; '.join(parts)} (n = {question.n}).")
    return "\n".join(lines)


def _share_text(line: ShownShare) -> str:
    if line.percentage is None or line.lower is None or line.upper is None:
        return "suppressed" if line.suppressed else "no answers"
    return f"{line.percent_text} ({line.lower:.0f} to {line.upper:.0f}%), {line.word}"


# --- surveys --------------------------------------------------------------------------------------


@dataclass
class GroupAgreement:
    """% agree per item (rows) and group (columns): each cell as shown after the gate."""

    title: str
    groups: list[str]
    rows: list[tuple[str, list[str]]]


@dataclass
class SurveyResults:
    survey: Survey
    responses: int
    items: list[QuestionResult]
    by_agency: GroupAgreement | None
    by_role: GroupAgreement | None
    by_day: list[tuple[date, int]]
    free_text_count: int


def survey_results(*, survey: Survey) -> SurveyResults:
    questions = list(survey.instrument.questions.order_by("order"))
    answers = SurveyAnswer.objects.filter(response__survey=survey).values_list(
        "question_id", "value", "response__agency", "response__role"
    )
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_agency: dict[int, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
    by_role: dict[int, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
    free_text = 0
    for question_id, value, agency, role in answers:
        if not value:
            free_text += 1
            continue
        counts[question_id][value] += 1
        by_agency[question_id][(agency or "Not given", value)] += 1
        by_role[question_id][(role or "Not given", value)] += 1
    responses = SurveyResponse.objects.filter(survey=survey)
    total = responses.count()
    items = []
    for question in questions:
        if question.kind == QuestionKind.FREE_TEXT:
            continue
        options = question.options()
        result = QuestionResult(
            key=question.key, text=question.text, section="", kind=question.kind, n="0"
        )
        result.n, result.lines, result.statements = protected_distribution(
            options, dict(counts.get(question.pk, {}))
        )
        result.chart = _chart(question.key, question.text, result.lines)
        if question.kind == QuestionKind.LIKERT:
            result.agree = protected_agree(options, result.n, result.lines)
        items.append(result)
    likert = [q for q in questions if q.kind == QuestionKind.LIKERT]
    # A statement is broken down by group only where its own % agree is shown.
    shown = {
        item.key for item in items if item.agree is not None and item.agree.percentage is not None
    }
    return SurveyResults(
        survey=survey,
        responses=total,
        items=items,
        by_agency=_group_agreement("% agree by agency", likert, by_agency, shown),
        by_role=_group_agreement("% agree by role or group", likert, by_role, shown),
        by_day=responses_by_day(survey=survey),
        free_text_count=free_text,
    )


def survey_summary_text(*, survey: Survey) -> str | None:
    """A plain-words summary of the protected survey results, for the evidence log (None: no
    responses). Agreement statements give % agree; other questions with choices give each
    answer's share; free-text answers are neither quoted nor counted (they go to qualitative
    coding)."""
    found = survey_results(survey=survey)
    if not found.responses:
        return None
    instrument = survey.instrument
    period = ""
    if survey.opens_on and survey.closes_on:
        period = f", open {_day(survey.opens_on)} to {_day(survey.closes_on)}"
    lines = [
        f"{survey.title}: {found.responses} response{'' if found.responses == 1 else 's'} "
        f"from {instrument.get_audience_display().lower()}{period}. Questions: {instrument}.",
        f"Figures are protected by disclosure control (counts of 1 to {gate.threshold() - 1} "
        "shown as *); % agree is strongly agree plus agree out of the answers other than "
        "don't know; intervals are Wilson 95% confidence intervals.",
    ]
    for item in found.items:
        if item.n == "0":
            continue
        if item.agree is not None:
            share = (
                "no answers other than don't know"
                if item.agree.count == "0"
                else _share_text(item.agree)
            )
            lines.append(f"{item.text} % agree: {share} (answered: {item.n}).")
            continue
        parts = [f"{line.label} {_share_text(line)}" for line in item.lines if line.count != "0"]
        lines.append(f"{item.text} {'; '.join(parts)} (n = {item.n}).")
    if found.free_text_count:
        lines.append(
            "Free-text answers are not quoted here: the team reads them and codes them as "
            "qualitative evidence."
        )
    return "\n".join(lines)


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def protected_agree(
    options: Sequence[tuple[str, str]], n: str, lines: Sequence[ShownShare]
) -> ShownShare:
    """% agree = (strongly agree + agree) / (answers other than don't know), from the protected
    answer counts (``n`` and ``lines`` as ``protected_distribution`` gives them).

    It is shown only when strongly agree, agree and don't know are all shown: it can then be
    worked out from the answer table, so it tells nothing the table does not. Computed from
    counts protected on their own, its numerator and base could give away a hidden cell (the
    base with ``n`` gives the don't-know count).
    """
    cells = {value: line.count for (value, _), line in zip(options, lines, strict=True)}
    needed = [cells.get(value, "0") for value in (*AGREE, DONT_KNOW)]
    if n == "0":
        return ShownShare("% agree", "0", None, None, None, "")
    if n == SUPPRESSED or SUPPRESSED in needed:
        return ShownShare("% agree", SUPPRESSED, None, None, None, "")
    agree = sum(int(cells.get(value, "0")) for value in AGREE)
    base = int(n) - int(cells.get(DONT_KNOW, "0"))
    if not base:
        return ShownShare("% agree", "0", None, None, None, "")
    rate = gate.rates([agree], [base])[0]
    shown = _shown("% agree", agree, base, rate)
    return shown if shown.percentage is None else replace(shown, base=str(base))


def _group_agreement(
    title: str,
    items: Sequence[InstrumentQuestion],
    counts: dict[int, dict[tuple[str, str], int]],
    shown: set[str],
) -> GroupAgreement | None:
    """% agree per group, for the statements in ``shown`` (keys of those whose own % agree is
    shown); the others' cells are all suppressed.

    The groups' percentages, rounded as they are, still narrow down each group's base; summed,
    the bases are the answers other than don't know. So where the answer table hides don't
    know (and with it the statement's % agree), the groups' percentages could give it away:
    they are shown only where that total base is public anyway.
    """
    groups = sorted({g for item in items for (g, _) in counts.get(item.pk, {})})
    if len(groups) < 2:
        return None
    rows = []
    for item in items:
        cells = counts.get(item.pk, {})
        if item.key not in shown:
            answered = [any(group == g for group, _ in cells) for g in groups]
            rows.append((item.text, [SUPPRESSED if a else "no answers" for a in answered]))
            continue
        agree = [sum(cells.get((g, v), 0) for v in AGREE) for g in groups]
        base = [
            sum(c for (group, v), c in cells.items() if group == g and v != DONT_KNOW)
            for g in groups
        ]
        other = [b - a for a, b in zip(agree, base, strict=True)]
        table = gate.protect(
            gate.CountTable(
                row_labels=["Agree", "Other answers", TOTAL],
                column_labels=[*groups, "All"],
                counts=[
                    [*agree, sum(agree)],
                    [*other, sum(other)],
                    [*base, sum(base)],
                ],
                total_row=TOTAL,
                total_column="All",
            )
        )
        shown_agree, shown_other, shown_base = table.values
        texts = []
        for a, o, b in zip(shown_agree[:-1], shown_other[:-1], shown_base[:-1], strict=True):
            if b == 0:
                texts.append("no answers")
                continue
            rate = gate.rates([a if o is not None else None], [b])[0]
            if rate.value is None:
                texts.append(SUPPRESSED)
            else:
                # The percentage alone: each group's base beside it would add up, with the
                # number answering, to the don't-know count the answer table may hide.
                texts.append(f"{rate.value:.0f}%")
        rows.append((item.text, texts))
    return GroupAgreement(title=title, groups=groups, rows=rows)


def responses_by_day(*, survey: Survey) -> list[tuple[date, int]]:
    """Responses received each day (local time): for following the survey while it is open."""
    zone = timezone.get_current_timezone()
    days: dict[date, int] = defaultdict(int)
    for moment in SurveyResponse.objects.filter(survey=survey).values_list(
        "submitted_at", flat=True
    ):
        days[timezone.localtime(moment, zone).date()] += 1
    return sorted(days.items())


def word_for(count: int, n: int) -> str:
    return proportion_word(count / n) if n else ""
