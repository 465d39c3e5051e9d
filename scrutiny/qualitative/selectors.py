"""Reads of qualitative evidence: sources with their codings marked, search, agreement between
coders, counts over time, co-occurrence, crosstabs, and what other apps may use
(``quotes_for``, ``theme_counts``)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations, pairwise
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from scrutiny.accounts.models import User
from scrutiny.analysis import agreement
from scrutiny.inspections.models import Inspection
from scrutiny.places.models import Partnership
from scrutiny.publishing import gate
from scrutiny.qualitative import search as fulltext
from scrutiny.qualitative.models import (
    Agency,
    CandidateTheme,
    CheckCoder,
    Code,
    Coding,
    CodingCheck,
    Project,
    Quote,
    RespondentType,
    Segment,
    Source,
    Suggestion,
    SuggestionRun,
)

COMMENT_KINDS = (Source.Kind.COMMENTS, Source.Kind.SURVEY)


def projects_for(*, partnership: Partnership, user: User) -> list[Project]:
    projects = Project.objects.filter(partnership=partnership).select_related(
        "inspection", "partnership"
    )
    counted = projects.annotate(
        n_sources=Count("sources", distinct=True), n_codes=Count("codes", distinct=True)
    )
    return [p for p in counted if user.has_perm("qualitative.view_project", p)]


def codes_in_order(project: Project) -> list[Code]:
    """The codebook as a depth-first list; each code gets ``depth``, ``path`` (its name after
    those of the codes above it) and ``parent_path`` (the path of the code it is under)."""
    codes = list(project.codes.order_by("order", "name"))
    children: dict[int | None, list[Code]] = defaultdict(list)
    for code in codes:
        children[code.parent_id].append(code)
    ordered: list[Code] = []

    def walk(parent: int | None, depth: int, path: str) -> None:
        for code in children.get(parent, []):
            code.depth = depth  # type: ignore[attr-defined]
            code.parent_path = path  # type: ignore[attr-defined]
            code.path = f"{path} \u203a {code.name}" if path else code.name  # type: ignore[attr-defined]
            ordered.append(code)
            walk(code.pk, depth + 1, code.path)  # type: ignore[attr-defined]

    walk(None, 0, "")
    return ordered


def codebook(project: Project, *, blind: Blind) -> list[Code]:
    """The codebook in order, each code with its number of codings (those the person ``blind``
    was worked out for may see) and linked QIs and areas."""
    counts = dict(
        visible_codings(projects=[project], blind=blind)
        .values_list("code_id")
        .annotate(n=Count("pk"))
    )
    qis = defaultdict(list)
    for code_id, qi in Code.qis.through.objects.filter(code__project=project).values_list(
        "code_id", "qualityindicator__title"
    ):
        qis[code_id].append(qi)
    areas = defaultdict(list)
    for code_id, number, title in Code.areas_for_improvement.through.objects.filter(
        code__project=project
    ).values_list("code_id", "areaforimprovement__number", "areaforimprovement__title"):
        areas[code_id].append(f"{number}. {title}")
    ordered = codes_in_order(project)
    for code in ordered:
        code.n_codings = counts.get(code.pk, 0)  # type: ignore[attr-defined]
        code.qi_titles = qis.get(code.pk, [])  # type: ignore[attr-defined]
        code.area_titles = areas.get(code.pk, [])  # type: ignore[attr-defined]
    return ordered


def descendants(code: Code) -> set[int]:
    """The code's id and those of all codes under it."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent in Code.objects.filter(project_id=code.project_id).values_list(
        "pk", "parent_id"
    ):
        children[parent].append(pk)
    found = {code.pk}
    stack = [code.pk]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


# --- blind coding --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Blind:
    """What a person taking part in an open blind check must not see: the project's codings of
    the sampled comments (``segment_ids``) or sources (``source_ids``) by anyone else.
    ``checks`` names the unfinished checks that hide them."""

    segment_ids: frozenset[int] = frozenset()
    source_ids: frozenset[int] = frozenset()
    user_id: int | None = None
    checks: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.segment_ids or self.source_ids)

    @property
    def reason(self) -> str:
        """Why codings are hidden, naming the check (or checks) that hide them."""
        if not self.checks:
            return ""
        names = " and ".join(f"'{title}'" for title in self.checks)
        if len(self.checks) > 1:
            return (
                f"You are still coding blind in the checks {names}: other people's coding of "
                "their samples is hidden from you until you finish."
            )
        return (
            f"You are still coding blind in the check {names}: other people's coding of its "
            "sample is hidden from you until you finish."
        )


def blind_for(*, user: User, project: Project) -> Blind:
    open_checks = CheckCoder.objects.filter(
        user=user, finished_at__isnull=True, check_run__project=project
    ).values("check_run_id")
    segments = CodingCheck.segments.through.objects.filter(
        codingcheck_id__in=open_checks
    ).values_list("segment_id", flat=True)
    sources = CodingCheck.sources.through.objects.filter(
        codingcheck_id__in=open_checks
    ).values_list("source_id", flat=True)
    titles = CodingCheck.objects.filter(pk__in=open_checks).order_by("created_at", "pk")
    return Blind(
        segment_ids=frozenset(segments),
        source_ids=frozenset(sources),
        user_id=user.pk,
        checks=tuple(titles.values_list("title", flat=True)),
    )


def visible_codings(*, projects: Sequence[Project], blind: Blind) -> QuerySet[Coding]:
    """The projects' own codings that the person ``blind`` was worked out for may see.

    Every route that shows codings (a source, search, a code's page, quotes, the export) reads
    them through here. While someone codes blind in an unfinished check, the codings of that
    check's sample by anyone else are left out: of a sampled comment, or of a source sampled
    by characters. A coding across comments (with no comment of its own) in a source with a
    sampled comment is left out too, since it may cover that comment.
    """
    codings = Coding.objects.filter(source__project__in=projects, check_run__isnull=True)
    if not blind:
        return codings
    sampled_sources = set(blind.source_ids) | set(
        Segment.objects.filter(pk__in=blind.segment_ids).values_list("source_id", flat=True)
    )
    hidden = (
        Q(segment_id__in=blind.segment_ids)
        | Q(source_id__in=blind.source_ids)
        | Q(segment__isnull=True, source_id__in=sampled_sources)
    )
    return codings.exclude(hidden & ~Q(coder_id=blind.user_id))


# --- a source with its codings marked ---------------------------------------------------------


@dataclass(frozen=True)
class CodingRow:
    """What a page shows of one coding: plain values, read in one query."""

    pk: int
    segment_id: int | None
    start: int
    end: int
    text: str
    memo: str
    coder: str
    code_id: int
    code_name: str
    code_colour: str


@dataclass
class SegmentView:
    segment: Segment
    html: SafeString
    codings: list[CodingRow]
    hidden: bool = False


def _marked(text: str, offset: int, codings: Sequence[CodingRow]) -> SafeString:
    """``text`` (starting at ``offset`` in its source) with each coded stretch in a ``<mark>``.

    The marks only wrap text: the element's text content stays exactly the source's text, so
    the selection script can count characters from ``data-start``.
    """
    if not codings:
        return mark_safe(escape(text))  # escaped
    end = offset + len(text)
    cuts = {offset, end}
    for coding in codings:
        cuts.add(max(coding.start, offset))
        cuts.add(min(coding.end, end))
    points = sorted(cuts)
    pieces = []
    for left, right in pairwise(points):
        if left >= right:
            continue
        chunk = escape(text[left - offset : right - offset])
        covering = [c for c in codings if c.start <= left and c.end >= right]
        if covering:
            names = escape(", ".join(sorted({c.code_name for c in covering})))
            colour = escape(covering[0].code_colour)
            pieces.append(
                f'<mark class="qual-mark" style="border-bottom-color:{colour}" '
                f'title="{names}">{chunk}</mark>'
            )
        else:
            pieces.append(chunk)
    return mark_safe("".join(pieces))  # every piece escaped above


def source_segments(
    *,
    source: Source,
    segments: Iterable[Segment],
    blind: Blind = Blind(),
    check: CodingCheck | None = None,
    coder: User | None = None,
) -> list[SegmentView]:
    """The segments of one page of a source, each with the codings that touch it.

    By default the project's own codings; with ``check`` and ``coder``, only that coder's
    codings in the check. Codings hidden by ``blind`` are left out.
    """
    segments = list(segments)
    if not segments:
        return []
    low, high = segments[0].start, segments[-1].end
    if check is None:
        codings = visible_codings(projects=[source.project], blind=blind)
    else:
        codings = Coding.objects.filter(check_run=check, coder=coder)
    codings = codings.filter(source=source, start__lt=high, end__gt=low)
    fields = (
        "pk",
        "segment_id",
        "start",
        "end",
        "text",
        "memo",
        "imported_coder",
        "coder__full_name",
        "code_id",
        "code__name",
        "code__colour",
    )
    rows = sorted(
        (
            CodingRow(
                pk=v[0],
                segment_id=v[1],
                start=v[2],
                end=v[3],
                text=v[4],
                memo=v[5],
                coder=v[6] or v[7],
                code_id=v[8],
                code_name=v[9],
                code_colour=v[10],
            )
            for v in codings.values_list(*fields)
        ),
        key=lambda c: (c.start, c.end, c.code_name),
    )
    by_segment: dict[int, list[CodingRow]] = defaultdict(list)
    on_page = {segment.pk: segment for segment in segments}
    for coding in rows:
        home = on_page.get(coding.segment_id) if coding.segment_id else None
        if home is not None and home.start <= coding.start and coding.end <= home.end:
            by_segment[home.pk].append(coding)
            continue
        for segment in segments:  # a selection across paragraphs touches each of them
            if coding.start < segment.end and coding.end > segment.start:
                by_segment[segment.pk].append(coding)
    hide_all = check is None and source.pk in blind.source_ids
    views = []
    for segment in segments:
        hidden = check is None and (hide_all or segment.pk in blind.segment_ids)
        touching = [] if hidden else by_segment.get(segment.pk, [])
        views.append(
            SegmentView(
                segment=segment,
                html=_marked(segment.text, segment.start, touching),
                codings=touching,
                hidden=hidden,
            )
        )
    return views


# --- search --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchFilters:
    text: str = ""
    code: Code | None = None
    respondent_type: str = ""
    agency: str = ""
    kind: str = ""
    date_from: date | None = None
    date_to: date | None = None

    @property
    def empty(self) -> bool:
        return not (
            self.text.strip()
            or self.code
            or self.respondent_type
            or self.agency
            or self.kind
            or self.date_from
            or self.date_to
        )


@dataclass
class SearchHit:
    segment: Segment
    codes: list[tuple[str, str]] = field(default_factory=list)  # (name, colour)
    url: str = ""


@dataclass
class SearchPage:
    total: int
    hits: list[SearchHit]


def search_segments(
    *,
    projects: Sequence[Project],
    filters: SearchFilters,
    limit: int = 50,
    offset: int = 0,
    blind: Blind = Blind(),
) -> SearchPage:
    """Segments of ``projects`` matching the filters, best matches first (newest first when
    there is no text to match). A query for the count, one for the page's ids, one for its
    segments and one for their codes."""
    queryset: QuerySet[Segment] = Segment.objects.filter(source__project__in=projects)
    seen = visible_codings(projects=projects, blind=blind)
    if filters.code is not None:
        queryset = queryset.filter(
            pk__in=seen.filter(code_id__in=descendants(filters.code), segment__isnull=False).values(
                "segment_id"
            )
        )
    if filters.respondent_type:
        queryset = queryset.filter(respondent_type=filters.respondent_type)
    if filters.agency:
        queryset = queryset.filter(agency=filters.agency)
    if filters.kind:
        queryset = queryset.filter(source__kind=filters.kind)
    if filters.date_from:
        queryset = queryset.filter(date__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(date__lte=filters.date_to)
    if filters.text.strip():
        total = fulltext.matching(queryset, filters.text).count()
        ids = fulltext.ranked_ids(queryset, filters.text, limit=limit, offset=offset)
    else:
        total = queryset.count()
        ids = list(
            queryset.order_by("-date", "-pk").values_list("pk", flat=True)[offset : offset + limit]
        )
    # A source's whole text can run to megabytes: never read it for a list of results.
    found = Segment.objects.filter(pk__in=ids).select_related("source").defer("source__text")
    by_id = {segment.pk: segment for segment in found}
    page = [by_id[pk] for pk in ids if pk in by_id]
    codes: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for segment_id, name, colour in (
        seen.filter(segment_id__in=ids)
        .values_list("segment_id", "code__name", "code__colour")
        .distinct()
        .order_by("segment_id", "code__name")
    ):
        codes[segment_id].append((name, colour))
    return SearchPage(
        total=total, hits=[SearchHit(segment=s, codes=codes.get(s.pk, [])) for s in page]
    )


# --- agreement -----------------------------------------------------------------------------------


@dataclass
class CoderPair:
    coder: str
    result: agreement.PairAgreement


@dataclass
class CodeAgreementRow:
    code: Code
    pairs: list[CoderPair]
    alpha: agreement.AlphaResult | None


@dataclass
class CheckAgreement:
    unit: str  # "comment" or "character"
    units: int
    first_coder: str
    coders: list[str]
    overall: list[CoderPair]
    overall_alpha: agreement.AlphaResult | None
    per_code: list[CodeAgreementRow]
    finished: bool
    message: str = ""


def _check_codings(check: CodingCheck) -> list[Coding]:
    return list(
        Coding.objects.filter(check_run=check).select_related("code").order_by("start", "pk")
    )


def _coders(check: CodingCheck) -> list[User]:
    others = [c.user for c in check.coders.select_related("user")]
    return [check.first_coder, *others]


def _comment_units(
    check: CodingCheck, coders: list[User], codings: list[Coding]
) -> tuple[list[int], dict[int, dict[int, set[int]]]]:
    """Sampled comment ids, and for each coder, the set of code ids per comment."""
    units = sorted(check.segments.values_list("pk", flat=True))
    sets: dict[int, dict[int, set[int]]] = {c.pk: defaultdict(set) for c in coders}
    for coding in codings:
        if coding.segment_id is not None and coding.coder_id in sets:
            sets[coding.coder_id][coding.segment_id].add(coding.code_id)
    return units, sets


def _character_units(
    check: CodingCheck, coders: list[User], codings: list[Coding]
) -> tuple[int, dict[int, dict[int, list[bool]]]]:
    """Number of characters in the sampled sources, and for each coder and code, whether each
    character is coded (the sources one after another)."""
    sources = list(check.sources.order_by("pk"))
    offsets: dict[int, int] = {}
    total = 0
    for source in sources:
        offsets[source.pk] = total
        total += len(source.text)
    presence: dict[int, dict[int, list[bool]]] = {c.pk: {} for c in coders}
    for coding in codings:
        if coding.coder_id not in presence or coding.source_id not in offsets:
            continue
        row = presence[coding.coder_id].setdefault(coding.code_id, [False] * total)
        base = offsets[coding.source_id]
        for i in range(base + coding.start, base + coding.end):
            row[i] = True
    return total, presence


def check_agreement(*, check: CodingCheck) -> CheckAgreement:
    """Agreement between the first coder and each blind coder, per code and overall, with
    Krippendorff's alpha over all coders. Per code, each unit is coded or not coded with it;
    overall pools every decision on one unit and one code."""
    coders = _coders(check)
    codings = _check_codings(check)
    codes = {c.code_id: c.code for c in codings}
    names = [c.full_name for c in coders]
    finished = not check.coders.filter(finished_at__isnull=True).exists()
    if check.unit == CodingCheck.Unit.COMMENT:
        units, sets = _comment_units(check, coders, codings)
        n_units = len(units)

        def presence(coder: User, code_id: int) -> list[bool]:
            return [code_id in sets[coder.pk].get(u, set()) for u in units]
    else:
        n_units, rows = _character_units(check, coders, codings)

        def presence(coder: User, code_id: int) -> list[bool]:
            return rows[coder.pk].get(code_id, [False] * n_units)

    result = CheckAgreement(
        unit=check.unit,
        units=n_units,
        first_coder=names[0],
        coders=names[1:],
        overall=[],
        overall_alpha=None,
        per_code=[],
        finished=finished,
    )
    if not n_units or not codes:
        result.message = "Nothing has been coded in this check yet."
        return result
    ordered_codes = sorted(codes.values(), key=lambda c: c.name.lower())
    table = {
        (coder.pk, code.pk): presence(coder, code.pk) for coder in coders for code in ordered_codes
    }
    for code in ordered_codes:
        pairs = [
            CoderPair(
                coder=other.full_name,
                result=agreement.presence_agreement(
                    table[(coders[0].pk, code.pk)], table[(other.pk, code.pk)]
                ),
            )
            for other in coders[1:]
        ]
        alpha_units = [[table[(coder.pk, code.pk)][i] for coder in coders] for i in range(n_units)]
        result.per_code.append(
            CodeAgreementRow(
                code=code, pairs=pairs, alpha=agreement.krippendorff_alpha(alpha_units)
            )
        )
    for other in coders[1:]:
        first_all = [v for code in ordered_codes for v in table[(coders[0].pk, code.pk)]]
        other_all = [v for code in ordered_codes for v in table[(other.pk, code.pk)]]
        result.overall.append(
            CoderPair(
                coder=other.full_name, result=agreement.presence_agreement(first_all, other_all)
            )
        )
    pooled = [
        [table[(coder.pk, code.pk)][i] for coder in coders]
        for code in ordered_codes
        for i in range(n_units)
    ]
    result.overall_alpha = agreement.krippendorff_alpha(pooled)
    return result


@dataclass
class Disagreement:
    segment: Segment | None
    source: Source
    code: Code
    start: int
    end: int
    text: str
    applied_by: list[str]
    not_applied_by: list[str]
    in_project: bool


def check_disagreements(*, check: CodingCheck) -> list[Disagreement]:
    coders = _coders(check)
    codings = _check_codings(check)
    codes = {c.code_id: c.code for c in codings}
    found: list[Disagreement] = []
    if check.unit == CodingCheck.Unit.COMMENT:
        units, sets = _comment_units(check, coders, codings)
        segments = {s.pk: s for s in check.segments.select_related("source")}
        main = set(
            Coding.objects.filter(check_run__isnull=True, segment_id__in=units).values_list(
                "segment_id", "code_id"
            )
        )
        for unit in units:
            for code_id, code in sorted(codes.items(), key=lambda item: item[1].name.lower()):
                applied = [c.full_name for c in coders if code_id in sets[c.pk].get(unit, set())]
                if applied and len(applied) < len(coders):
                    segment = segments[unit]
                    found.append(
                        Disagreement(
                            segment=segment,
                            source=segment.source,
                            code=code,
                            start=segment.start,
                            end=segment.end,
                            text=segment.text,
                            applied_by=applied,
                            not_applied_by=[
                                c.full_name for c in coders if c.full_name not in applied
                            ],
                            in_project=(unit, code_id) in main,
                        )
                    )
        return found
    for source in check.sources.all():
        for code in sorted(codes.values(), key=lambda c: c.name.lower()):
            found.extend(_character_disagreements(source, code, coders, codings))
    return found


def _character_disagreements(
    source: Source, code: Code, coders: list[User], codings: list[Coding]
) -> list[Disagreement]:
    """Stretches of ``source`` where some coders applied ``code`` and others did not."""
    length = len(source.text)
    marks = {c.pk: [False] * length for c in coders}
    for coding in codings:
        if coding.source_id == source.pk and coding.code_id == code.pk:
            for i in range(coding.start, coding.end):
                marks[coding.coder_id][i] = True
    main = list(
        Coding.objects.filter(check_run__isnull=True, source=source, code=code).values_list(
            "start", "end"
        )
    )
    found = []
    i = 0
    while i < length:
        pattern = tuple(marks[c.pk][i] for c in coders)
        if not any(pattern) or all(pattern):
            i += 1
            continue
        j = i
        while j < length and tuple(marks[c.pk][j] for c in coders) == pattern:
            j += 1
        if source.text[i:j].strip():
            on = [c.full_name for c, coded in zip(coders, pattern, strict=True) if coded]
            found.append(
                Disagreement(
                    segment=None,
                    source=source,
                    code=code,
                    start=i,
                    end=j,
                    text=source.text[i:j],
                    applied_by=on,
                    not_applied_by=[c.full_name for c in coders if c.full_name not in on],
                    in_project=any(s <= i and j <= e for s, e in main),
                )
            )
        i = j
    return found


# --- analysis ------------------------------------------------------------------------------------


def _main_codings(projects: Sequence[Project] | QuerySet[Project]) -> QuerySet[Coding]:
    return Coding.objects.filter(
        source__project__in=projects, check_run__isnull=True, segment__isnull=False
    )


@dataclass(frozen=True)
class MonthCount:
    month: date
    coded: int
    total: int

    @property
    def percentage(self) -> float | None:
        return 100 * self.coded / self.total if self.total else None


def _months(first: date, last: date) -> list[date]:
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def monthly_counts(*, project: Project, code: Code) -> list[MonthCount]:
    """For each month (by the date of each comment), how many comments were coded with the code
    or a code under it, and how many comments there were; months with none are included."""
    coded = dict(
        Segment.objects.filter(
            pk__in=_main_codings([project])
            .filter(code_id__in=descendants(code))
            .values("segment_id"),
            date__isnull=False,
        )
        .annotate(month=TruncMonth("date"))
        .values_list("month")
        .annotate(n=Count("pk"))
    )
    totals = dict(
        Segment.objects.filter(source__project=project, date__isnull=False)
        .annotate(month=TruncMonth("date"))
        .values_list("month")
        .annotate(n=Count("pk"))
    )
    if not totals:
        return []
    months = _months(min(totals), max(totals))
    return [MonthCount(month=m, coded=coded.get(m, 0), total=totals.get(m, 0)) for m in months]


@dataclass
class CoOccurrence:
    codes: list[Code]
    counts: dict[tuple[int, int], int]

    def cell(self, a: Code, b: Code) -> int:
        return self.counts.get((min(a.pk, b.pk), max(a.pk, b.pk)), 0)

    def rows(self) -> list[tuple[Code, list[int]]]:
        return [(a, [self.cell(a, b) for b in self.codes]) for a in self.codes]


def co_occurrence(*, project: Project) -> CoOccurrence:
    """How many comments (or paragraphs) carry each pair of codes; the diagonal counts the
    comments carrying each code."""
    per_segment: dict[int, set[int]] = defaultdict(set)
    for segment_id, code_id in _main_codings([project]).values_list("segment_id", "code_id"):
        per_segment[segment_id].add(code_id)
    counts: Counter[tuple[int, int]] = Counter()
    for codes in per_segment.values():
        for code in codes:
            counts[(code, code)] += 1
        for a, b in combinations(sorted(codes), 2):
            counts[(a, b)] += 1
    used = {pk for pair in counts for pk in pair}
    return CoOccurrence(
        codes=[c for c in codes_in_order(project) if c.pk in used], counts=dict(counts)
    )


ATTRIBUTES = {
    "respondent_type": ("Who said it", RespondentType.choices),
    "agency": ("Agency", Agency.choices),
}


@dataclass
class Crosstab:
    attribute: str
    row_labels: list[str]
    column_values: list[str]
    column_labels: list[str]
    counts: list[list[int]]

    def count_table(self) -> gate.CountTable:
        return gate.CountTable(
            row_labels=self.row_labels, column_labels=self.column_labels, counts=self.counts
        )


def crosstab(*, project: Project, attribute: str) -> Crosstab:
    """Comments coded with each code (rows) by an attribute of the comment (columns)."""
    _, choices = ATTRIBUTES[attribute]
    counts: dict[tuple[int, str], int] = {
        (code_id, value): n
        for code_id, value, n in _main_codings([project])
        .values_list("code_id", f"segment__{attribute}")
        .annotate(n=Count("segment_id", distinct=True))
    }
    present = {value for _, value in counts}
    columns = [(value, str(label)) for value, label in choices if value in present]
    codes = [c for c in codes_in_order(project) if any((c.pk, v) in counts for v, _ in columns)]
    return Crosstab(
        attribute=attribute,
        row_labels=[c.path for c in codes],  # type: ignore[attr-defined]
        column_values=[v for v, _ in columns],
        column_labels=[label for _, label in columns],
        counts=[[counts.get((c.pk, v), 0) for v, _ in columns] for c in codes],
    )


# --- assisted coding -----------------------------------------------------------------------------


def latest_run(project: Project) -> SuggestionRun | None:
    return project.suggestion_runs.order_by("-created_at", "-pk").first()


def pending_suggestions(*, run: SuggestionRun, code: Code | None = None) -> QuerySet[Suggestion]:
    queryset = run.suggestions.filter(status=Suggestion.Status.PENDING).select_related(
        "segment__source", "code"
    )
    if code is not None:
        queryset = queryset.filter(code=code)
    return queryset.order_by("-confidence", "segment_id", "rank")


def candidate_themes(run: SuggestionRun) -> list[Any]:
    themes = list(
        run.themes.select_related("named_code").annotate(size=Count("segments")).order_by("number")
    )
    samples: dict[int, list[str]] = defaultdict(list)
    through = CandidateTheme.segments.through
    for theme_id, text in (
        through.objects.filter(candidatetheme__run=run)
        .order_by("candidatetheme_id", "segment_id")
        .values_list("candidatetheme_id", "segment__text")
    ):
        if len(samples[theme_id]) < 3:
            samples[theme_id].append(text)
    for theme in themes:
        theme.examples = samples.get(theme.pk, [])  # type: ignore[attr-defined]
    return themes


# --- quotes and counts for other apps ------------------------------------------------------------


def _projects(partnership: Partnership, inspection: Inspection | None) -> QuerySet[Project]:
    projects = Project.objects.filter(partnership=partnership)
    if inspection is None:
        return projects.filter(inspection__isnull=True)
    return projects.filter(inspection=inspection)


@dataclass(frozen=True)
class QuoteForReport:
    text: str
    attribution: str
    codes: tuple[str, ...]
    source_kind: str
    date: date | None


def quotes_for(
    *,
    partnership: Partnership,
    codes: Iterable[str] | None = None,
    confirmed_only: bool = True,
    inspection: Inspection | None = None,
) -> list[QuoteForReport]:
    """Quotes for a report: the redacted text and who said it in words ("a parent"), never an
    identifier. ``codes`` are code names (a quote counts for a code or any code under it).
    The partnership's own evidence, or with ``inspection`` that inspection's evidence."""
    quotes = Quote.objects.filter(project__in=_projects(partnership, inspection)).select_related(
        "coding__code", "coding__source", "coding__segment"
    )
    if confirmed_only:
        quotes = quotes.filter(status=Quote.Status.CONFIRMED)
    if codes is not None:
        wanted = {name.lower() for name in codes}
        ids: set[int] = set()
        for code in Code.objects.filter(project__in=_projects(partnership, inspection)):
            if code.name.lower() in wanted:
                ids |= descendants(code)
        quotes = quotes.filter(coding__code_id__in=ids)
    return [
        QuoteForReport(
            text=q.redacted,
            attribution=q.attribution,
            codes=(q.coding.code.name,),
            source_kind=q.coding.source.get_kind_display(),
            date=q.coding.segment.date if q.coding.segment else q.coding.source.collected_on,
        )
        for q in quotes.order_by("-confirmed_at", "-pk")
    ]


def theme_counts(
    *,
    partnership: Partnership,
    codes: Iterable[str] | None = None,
    by: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    inspection: Inspection | None = None,
) -> gate.ProtectedTable:
    """Comments coded with each theme, through the disclosure-control gate: rows are code
    names (top-level codes count the codes under them), one column ("Comments") or one per
    value of ``by`` ("respondent_type" or "agency"). Safe for reports and publication."""
    projects = _projects(partnership, inspection)
    chosen = [
        c
        for project in projects
        for c in codes_in_order(project)
        if codes is None or c.name.lower() in {n.lower() for n in codes}
    ]
    segments = Segment.objects.filter(source__project__in=projects)
    if date_from:
        segments = segments.filter(date__gte=date_from)
    if date_to:
        segments = segments.filter(date__lte=date_to)
    if by is not None and by not in ATTRIBUTES:
        raise ValueError(f"Counts can be broken down by {', '.join(ATTRIBUTES)}, not {by!r}.")
    columns = [(v, str(label)) for v, label in ATTRIBUTES[by][1]] if by else [("", "Comments")]
    rows: dict[str, list[int]] = {}
    for code in chosen:
        coded = segments.filter(
            pk__in=_main_codings(projects)
            .filter(code_id__in=descendants(code))
            .values("segment_id")
        )
        if by:
            found = dict(coded.values_list(by).annotate(n=Count("pk")))
            counts = [found.get(value, 0) for value, _ in columns]
        else:
            counts = [coded.count()]
        name = code.name
        previous = rows.get(name)
        rows[name] = [a + b for a, b in zip(previous, counts, strict=True)] if previous else counts
    if by:
        keep = [i for i in range(len(columns)) if any(r[i] for r in rows.values())]
        columns = [columns[i] for i in keep] or columns[:1]
        rows = {name: [r[i] for i in keep] or [0] for name, r in rows.items()}
    if not rows:
        rows = {"No themes": [0] * len(columns)}
    return gate.protect(
        gate.CountTable(
            row_labels=list(rows),
            column_labels=[label for _, label in columns],
            counts=list(rows.values()),
        )
    )


def coded_share(*, project: Project) -> dict[str, int]:
    """How many comments there are, and how many carry at least one code."""
    comments = Segment.objects.filter(source__project=project, source__kind__in=COMMENT_KINDS)
    coded = comments.filter(pk__in=_main_codings([project]).values("segment_id")).count()
    return {"comments": comments.count(), "coded": coded}


def code_codings(*, code: Code, blind: Blind) -> QuerySet[Coding]:
    """The codings of ``code`` that the person ``blind`` was worked out for may see."""
    return visible_codings(projects=[code.project], blind=blind).filter(code=code)


def recent_codings(*, code: Code, blind: Blind, limit: int = 50) -> QuerySet[Coding]:
    return (
        code_codings(code=code, blind=blind)
        .select_related("source", "coder", "segment")
        .prefetch_related(Prefetch("quotes"))
        .order_by("-created_at")[:limit]
    )


@dataclass(frozen=True)
class ThemeEvidence:
    """A coded theme as a published report cites it: how many comments carry it (through the
    disclosure-control gate: ``None`` when suppressed) and its confirmed quotes."""

    code: Code
    comments: int | None
    threshold: int
    quotes: list[QuoteForReport]

    @property
    def comments_text(self) -> str:
        if self.comments is None:
            return f"fewer than {self.threshold} comments"
        return f"{self.comments} comment{'' if self.comments == 1 else 's'}"


THEME_QUOTES = 3


def theme_evidence(*, code: Code, quotes: int = THEME_QUOTES) -> ThemeEvidence:
    """The comments of the code's project coded with it or a code under it (agreed coding only,
    not the blind codings of a check), and its newest confirmed quotes."""
    ids = descendants(code)
    coded = (
        _main_codings([code.project])
        .filter(code_id__in=ids)
        .values("segment_id")
        .distinct()
        .count()
    )
    table = gate.protect(
        gate.CountTable(row_labels=[code.name], column_labels=["Comments"], counts=[[coded]])
    )
    found = (
        Quote.objects.filter(
            project=code.project, coding__code_id__in=ids, status=Quote.Status.CONFIRMED
        )
        .select_related("coding__code", "coding__source", "coding__segment")
        .order_by("-confirmed_at", "-pk")[:quotes]
    )
    return ThemeEvidence(
        code=code,
        comments=table.values[0][0],
        threshold=table.threshold,
        quotes=[
            QuoteForReport(
                text=q.redacted,
                attribution=q.attribution,
                codes=(q.coding.code.name,),
                source_kind=q.coding.source.get_kind_display(),
                date=q.coding.segment.date if q.coding.segment else q.coding.source.collected_on,
            )
            for q in found
        ],
    )
