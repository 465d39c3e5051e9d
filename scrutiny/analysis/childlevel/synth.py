"""Synthetic child-level data in the three formats, at any scale, reproducible by seed.

Children are drawn as a stationary process over the period and the 18 years before it, so that
the number looked after on 31 July is already at its steady level in the first year:

- looked-after children enter care at ages spread as in the national statistics, have one to
  three episodes (short, medium or long), move between placements within an episode, and leave
  care by their 18th birthday. Placement types follow the national mix at 31 July 2023 (kinship
  34%, foster 32%, at home 20%, residential 11%, prospective adopters ~1%, other community ~1.5%),
  with more residential care for teenagers and adoption only for young children;
- children on the child protection register are registered (about 6% before birth) for a median
  of about seven months; about one in seven is registered more than once, most within 18 months;
  the concerns recorded follow the national shares of concerns (domestic abuse 16%, neglect 15%,
  ...); some children are registered around the time they become looked after;
- councils get children in proportion to a rough share of Scotland's 0-17 population times a
  rough, illustrative rate multiplier (not official figures);
- the population is scaled so that about 12.1 per 1,000 children are looked after on 31 July,
  whatever the number of children asked for: about 1.0 million aged 0-17 for 70,000 children
  over ten years, which is Scotland's size. Registrations are kept to about 0.29 per child (so
  1,000,000 children give about 2.5 million placement rows and 290,000 registrations), which
  puts the register at about 1.5 per 1,000, below Scotland's 2.1.

A ``TrendAdjustment`` makes one council's away-from-home numbers fall from a given year, so that
a chart of that council shows a genuine change: each away-from-home placement covering a
snapshot in or after the start year is, with the right probability, ended just before that
snapshot and followed by a placement at home, so that the count at the snapshot of year
``start_year + k`` is about ``yearly_factor ** (k + 1)`` of what it would have been.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import numpy.typing as npt

from scrutiny.analysis.childlevel import formats

TOO_FEW_CHILDREN = "children must be at least 1, not {value}"
BAD_COUNCILS = "councils must be from 1 to {most}, not {value}"
BAD_YEARS = "years must be from 1 to 30, not {value}"
BAD_FACTOR = "the yearly factor must be more than 0 and at most 1, not {value}"
BAD_GROUP = "the trend group must be one of {groups}, not {value}"
COUNCIL_NOT_INCLUDED = "the trend council {council} is not among the {councils} councils generated"
BAD_START_YEAR = "the trend start year {year} is outside the years {first} to {last}"

TREND_GROUPS: tuple[str, ...] = ("lac_away_11_15", "lac_away")

# Children aged 0-17 by council (thousands, rough mid-2020s figures) and a rough multiplier of
# the national looked-after rate; both are illustrative, for realistic variety only.
COUNCIL_PROFILE: dict[str, tuple[float, float]] = {
    "S12000033": (37, 1.15),
    "S12000034": (54, 0.6),
    "S12000041": (21, 0.9),
    "S12000035": (14, 0.9),
    "S12000036": (85, 0.9),
    "S12000005": (10, 1.35),
    "S12000006": (26, 1.05),
    "S12000042": (27, 1.6),
    "S12000008": (23, 1.3),
    "S12000045": (22, 0.5),
    "S12000010": (23, 0.75),
    "S12000011": (23, 0.35),
    "S12000014": (31, 1.15),
    "S12000047": (72, 1.05),
    "S12000049": (106, 1.2),
    "S12000017": (45, 0.85),
    "S12000018": (14, 1.65),
    "S12000019": (20, 0.9),
    "S12000020": (18, 0.75),
    "S12000013": (4.5, 0.75),
    "S12000021": (25, 1.4),
    "S12000050": (68, 1.0),
    "S12000023": (4, 0.65),
    "S12000048": (27, 0.75),
    "S12000038": (34, 1.05),
    "S12000026": (20, 0.85),
    "S12000027": (4.5, 0.55),
    "S12000028": (19, 1.25),
    "S12000029": (62, 0.9),
    "S12000030": (17, 1.0),
    "S12000039": (17, 1.6),
    "S12000040": (40, 0.85),
}

# Looked-after rate per 1,000 aged 0-17 on 31 July (national, 2023).
LOOKED_AFTER_RATE = 12.1

# Shares of the children asked for: looked after and also registered around entry to care; on
# the register only (never looked after). The rest are looked after only.
_BOTH_SHARE = 0.07
_CP_ONLY_SHARE = 0.19

# Age at first entry to care (years): bands and their shares.
_ENTRY_AGE_BANDS = np.array([[0, 1], [1, 5], [5, 12], [12, 16], [16, 17.5]])
_ENTRY_AGE_SHARES = np.array([0.17, 0.2, 0.3, 0.28, 0.05])

# Placement type weights: children under 12 and 12 or over at the start of the placement.
# Order as formats.PLACEMENT_TYPES; tuned so the mix on 31 July is near the national mix.
_TYPE_WEIGHTS_UNDER_12 = np.array([21.5, 36.0, 35.0, 4.0, 1.5, 2.0, 0.5, 0.5, 0.0, 0.1, 0.6])
_TYPE_WEIGHTS_12_PLUS = np.array([19.0, 32.0, 23.0, 0.0, 1.6, 12.5, 3.4, 5.0, 1.4, 0.6, 3.3])

# Shares of concerns recorded at registration (per cent), order as formats.CONCERN_CODES.
_CONCERN_WEIGHTS = np.array([16.0, 15.0, 15.0, 6.0, 9.0, 12.0, 8.0, 4.0, 1.0, 7.0, 3.0, 4.0])

_EPOCH = dt.date(1970, 1, 1)
_NO_DATE = np.iinfo(np.int32).min
_DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class TrendAdjustment:
    """Make ``council``'s ``group`` fall from ``start_year`` (the first snapshot reduced): each
    year keeps ``yearly_factor`` of the year before (0.8 = a fall of about a fifth a year)."""

    council: str
    group: str
    start_year: int
    yearly_factor: float


@dataclass(frozen=True)
class SynthParams:
    """What to generate: ``children`` distinct children over ``years`` reporting years ending
    on 31 July ``last_year``, in the first ``councils`` councils (in code-list order)."""

    children: int
    councils: int = 32
    years: int = 10
    last_year: int = 2025
    seed: int = 0
    trend: TrendAdjustment | None = None

    @property
    def first_year(self) -> int:
        return self.last_year - self.years + 1


@dataclass(frozen=True)
class SynthSummary:
    """What ``synth_write`` wrote."""

    children: int
    placement_rows: int
    registrations: int
    population_rows: int
    first_year: int
    last_year: int


class SynthError(ValueError):
    """The parameters cannot be generated; the message says why."""


IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass
class PlacementArrays:
    """One entry per placement row; dates are days since 1 January 1970, codes are indexes
    into the council list and ``formats.PLACEMENT_TYPES``; sex 0 = female, 1 = male."""

    child: IntArray
    council: IntArray
    sex: IntArray
    birth_month: IntArray  # day number of the first of the birth month
    episode_start: IntArray
    episode_end: IntArray  # _NO_DATE when ongoing at the end of the period
    placement_start: IntArray
    placement_end: IntArray
    placement_type: IntArray


@dataclass
class RegistrationArrays:
    """One entry per registration, coded as in ``PlacementArrays`` (sex -1 = not recorded)."""

    child: IntArray
    council: IntArray
    sex: IntArray
    birth_month: IntArray  # _NO_DATE when unborn at registration
    registration: IntArray
    deregistration: IntArray
    concerns: IntArray  # bit i set = formats.CONCERN_CODES[i] recorded


@dataclass(frozen=True)
class SynthData:
    """The generated data before it is written: arrays, council codes, population by
    (council, year)."""

    looked_after: PlacementArrays
    registrations: RegistrationArrays
    councils: tuple[str, ...]
    population: dict[tuple[str, int], int]


def _day(date: dt.date) -> int:
    return (date - _EPOCH).days


def _month_start(days: IntArray) -> IntArray:
    months = days.astype("datetime64[D]").astype("datetime64[M]")
    return months.astype("datetime64[D]").astype(np.int64)


def _add_years(month_start: IntArray, years: int) -> IntArray:
    months = month_start.astype("datetime64[D]").astype("datetime64[M]") + np.timedelta64(
        12 * years, "M"
    )
    return months.astype("datetime64[D]").astype(np.int64)


def _check(params: SynthParams) -> tuple[str, ...]:
    codes = formats.council_codes().current
    if params.children < 1:
        raise SynthError(TOO_FEW_CHILDREN.format(value=params.children))
    if not 1 <= params.councils <= len(codes):
        raise SynthError(BAD_COUNCILS.format(most=len(codes), value=params.councils))
    if not 1 <= params.years <= 30:
        raise SynthError(BAD_YEARS.format(value=params.years))
    councils = codes[: params.councils]
    trend = params.trend
    if trend is not None:
        if trend.group not in TREND_GROUPS:
            raise SynthError(BAD_GROUP.format(groups=", ".join(TREND_GROUPS), value=trend.group))
        if not 0 < trend.yearly_factor <= 1:
            raise SynthError(BAD_FACTOR.format(value=trend.yearly_factor))
        if trend.council not in councils:
            raise SynthError(
                COUNCIL_NOT_INCLUDED.format(council=trend.council, councils=params.councils)
            )
        if not params.first_year <= trend.start_year <= params.last_year:
            raise SynthError(
                BAD_START_YEAR.format(
                    year=trend.start_year, first=params.first_year, last=params.last_year
                )
            )
    return councils


def _weights(values: FloatArray) -> FloatArray:
    return values / values.sum()


def _entry_ages(rng: np.random.Generator, n: int) -> IntArray:
    band = rng.choice(len(_ENTRY_AGE_SHARES), size=n, p=_ENTRY_AGE_SHARES)
    low, high = _ENTRY_AGE_BANDS[band, 0], _ENTRY_AGE_BANDS[band, 1]
    return ((low + rng.random(n) * (high - low)) * _DAYS_PER_YEAR).astype(np.int64)


def _episode_lengths(rng: np.random.Generator, shape: tuple[int, ...]) -> IntArray:
    """Days in care: short (weeks to months), medium (a year or two) or long (years)."""
    kind = rng.choice(3, size=shape, p=[0.3, 0.35, 0.35])
    short = rng.exponential(120, size=shape)
    medium = rng.lognormal(np.log(1.6 * _DAYS_PER_YEAR), 0.5, size=shape)
    long = rng.lognormal(np.log(5 * _DAYS_PER_YEAR), 0.5, size=shape)
    days = np.choose(kind, [short, medium, long])
    return np.maximum(days.astype(np.int64), 1)


@dataclass
class _Cohort:
    """Looked-after children: council, birth, and up to three episodes (start, true end)."""

    council: IntArray
    birth_day: IntArray
    first_start: IntArray
    starts: IntArray  # (n, 3); _NO_DATE where there is no episode
    ends: IntArray  # (n, 3); the true end, which may be after the period

    def take(self, index: IntArray) -> _Cohort:
        return _Cohort(
            self.council[index],
            self.birth_day[index],
            self.first_start[index],
            self.starts[index],
            self.ends[index],
        )

    @staticmethod
    def join(parts: list[_Cohort]) -> _Cohort:
        return _Cohort(
            np.concatenate([p.council for p in parts]),
            np.concatenate([p.birth_day for p in parts]),
            np.concatenate([p.first_start for p in parts]),
            np.concatenate([p.starts for p in parts]),
            np.concatenate([p.ends for p in parts]),
        )


def _looked_after_cohort(
    rng: np.random.Generator, n: int, council_weights: FloatArray, t0: int, t1: int
) -> _Cohort:
    council = rng.choice(len(council_weights), size=n, p=council_weights)
    first_start = rng.integers(t0 - int(18 * _DAYS_PER_YEAR), t1 + 1, size=n)
    birth_day = first_start - _entry_ages(rng, n)
    eighteen = _add_years(_month_start(birth_day), 18)
    episodes = rng.choice([1, 2, 3], size=n, p=[0.78, 0.16, 0.06])
    lengths = _episode_lengths(rng, (n, 3))
    gaps = 30 + rng.exponential(1.2 * _DAYS_PER_YEAR, size=(n, 3)).astype(np.int64)
    starts = np.full((n, 3), _NO_DATE, dtype=np.int64)
    ends = np.full((n, 3), _NO_DATE, dtype=np.int64)
    start = first_start.copy()
    alive = np.ones(n, dtype=bool)
    for j in range(3):
        alive &= (episodes > j) & (start < eighteen) & (start <= t1)
        end = np.minimum(start + lengths[:, j], eighteen)
        # Episodes closed before the period are not in the data.
        kept = alive & (end >= t0)
        starts[kept, j] = start[kept]
        ends[kept, j] = end[kept]
        start = end + gaps[:, j]
    return _Cohort(council, birth_day, first_start, starts, ends)


def _select_looked_after(
    rng: np.random.Generator, n: int, council_weights: FloatArray, t0: int, t1: int
) -> _Cohort:
    """Exactly ``n`` children with at least one episode open on or after the period's start."""
    parts: list[_Cohort] = []
    found = 0
    while found < n:
        cohort = _looked_after_cohort(rng, max(64, int((n - found) * 2.2)), council_weights, t0, t1)
        appears = np.flatnonzero((cohort.starts != _NO_DATE).any(axis=1))[: n - found]
        parts.append(cohort.take(appears))
        found += len(appears)
    return _Cohort.join(parts)


def _placement_types(rng: np.random.Generator, age: FloatArray) -> IntArray:
    kinds = len(formats.PLACEMENT_TYPES)
    young = rng.choice(kinds, size=len(age), p=_weights(_TYPE_WEIGHTS_UNDER_12))
    old = rng.choice(kinds, size=len(age), p=_weights(_TYPE_WEIGHTS_12_PLUS))
    types = np.where(age < 12, young, old)
    # Prospective adopters only for children under 5.
    adopters = formats.PLACEMENT_TYPES.index("prospective_adopters")
    foster = formats.PLACEMENT_TYPES.index("foster")
    return np.where((types == adopters) & (age >= 5), foster, types).astype(np.int64)


def _placements(
    rng: np.random.Generator, cohort: _Cohort, sex: IntArray, t1: int
) -> PlacementArrays:
    """Split each episode into placements (moves) and type them."""
    n = len(cohort.council)
    has = cohort.starts != _NO_DATE
    child = np.repeat(np.arange(n), 3).reshape(n, 3)[has]
    ep_start = cohort.starts[has]
    ep_end = cohort.ends[has]
    length = ep_end - ep_start
    count = 1 + rng.poisson(0.45 + 0.55 * length / _DAYS_PER_YEAR)
    count = np.minimum(np.minimum(count, 12), length)
    episode = np.repeat(np.arange(len(child)), count)
    first_slot = np.repeat(np.cumsum(count) - count, count)
    position = np.arange(len(episode)) - first_slot
    # p - 1 cut days: sorted offsets in [0, length - p], plus the position, so strictly
    # increasing and inside the episode; slot 0 (offset -1) is the episode's start.
    offsets = np.floor(rng.random(len(episode)) * (length - count + 1)[episode]).astype(np.int64)
    offsets[position == 0] = -1
    offsets = offsets[np.lexsort((offsets, episode))]
    starts = np.where(position == 0, ep_start[episode], ep_start[episode] + offsets + position)
    ends = np.empty_like(starts)
    ends[:-1] = starts[1:]
    last = position == count[episode] - 1
    ends[last] = ep_end[episode][last]
    owner = child[episode]
    birth_month = _month_start(cohort.birth_day)
    types = _placement_types(rng, (starts - cohort.birth_day[owner]) / _DAYS_PER_YEAR)
    seen = starts <= t1
    return PlacementArrays(
        child=owner[seen],
        council=cohort.council[owner][seen],
        sex=sex[owner][seen],
        birth_month=birth_month[owner][seen],
        episode_start=ep_start[episode][seen],
        episode_end=np.where(ep_end > t1, _NO_DATE, ep_end)[episode][seen],
        placement_start=starts[seen],
        placement_end=np.where(ends > t1, _NO_DATE, ends)[seen],
        placement_type=types[seen],
    )


def _completed_years(birth_month: IntArray, year: int) -> IntArray:
    """Age in completed years on 31 July ``year`` of children born on ``birth_month``."""
    months = birth_month.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    born_year = months // 12 + 1970
    born_month = months % 12 + 1
    return year - born_year - (born_month > 7)


def _apply_trend(
    rng: np.random.Generator, la: PlacementArrays, trend: TrendAdjustment, council: int, last: int
) -> PlacementArrays:
    """End the trend council's away placements early, before a snapshot, followed by a placement
    at home, so that the count at snapshot start_year + k keeps yearly_factor ** (k + 1)."""
    home = formats.PLACEMENT_TYPES.index(formats.AT_HOME)
    n = len(la.child)
    target = (la.council == council) & (la.placement_type != home)
    keep_below = rng.random(n)
    where = rng.random(n)
    home_from = np.full(n, _NO_DATE, dtype=np.int64)
    moved = np.zeros(n, dtype=bool)
    open_end = np.where(la.placement_end == _NO_DATE, np.iinfo(np.int64).max, la.placement_end)
    for year in range(trend.start_year, last + 1):
        snap = _day(formats.snapshot(year))
        before = _day(formats.snapshot(year - 1))
        covers = target & ~moved & (la.placement_start <= snap) & (snap < open_end)
        if trend.group == "lac_away_11_15":
            age = _completed_years(la.birth_month, year)
            covers &= (age >= formats.AGE_11_15[0]) & (age <= formats.AGE_11_15[1])
        move = covers & (keep_below >= trend.yearly_factor ** (year - trend.start_year + 1))
        low = np.maximum(la.placement_start, before)
        day = np.where(
            la.placement_start >= snap,
            la.placement_start,
            low + 1 + np.floor(where * (snap - low)).astype(np.int64),
        )
        home_from[move] = day[move]
        moved |= move
    whole = moved & (home_from == la.placement_start)
    split = moved & ~whole
    types = la.placement_type.copy()
    types[whole] = home
    ends = la.placement_end.copy()
    ends[split] = home_from[split]

    def extend(values: IntArray, extra: IntArray) -> IntArray:
        return np.concatenate([values, extra])

    result = PlacementArrays(
        child=extend(la.child, la.child[split]),
        council=extend(la.council, la.council[split]),
        sex=extend(la.sex, la.sex[split]),
        birth_month=extend(la.birth_month, la.birth_month[split]),
        episode_start=extend(la.episode_start, la.episode_start[split]),
        episode_end=extend(la.episode_end, la.episode_end[split]),
        placement_start=extend(la.placement_start, home_from[split]),
        placement_end=extend(ends, la.placement_end[split]),
        placement_type=extend(types, np.full(int(split.sum()), home, dtype=np.int64)),
    )
    order = np.lexsort((result.placement_start, result.child))
    return PlacementArrays(*(getattr(result, name)[order] for name in _LA_FIELDS))


_LA_FIELDS = (
    "child",
    "council",
    "sex",
    "birth_month",
    "episode_start",
    "episode_end",
    "placement_start",
    "placement_end",
    "placement_type",
)
_CP_FIELDS = (
    "child",
    "council",
    "sex",
    "birth_month",
    "registration",
    "deregistration",
    "concerns",
)


def _concerns(rng: np.random.Generator, n: int) -> IntArray:
    """Bit masks of concerns: one to six codes, weighted by the national shares."""
    how_many = np.minimum(1 + rng.poisson(1.6, size=n), 6)
    # Weighted sampling without replacement: the k largest of log(w) + Gumbel noise.
    keys = np.log(_CONCERN_WEIGHTS) + rng.gumbel(size=(n, len(_CONCERN_WEIGHTS)))
    rank = np.argsort(np.argsort(-keys, axis=1), axis=1)
    chosen = rank < how_many[:, None]
    bits = 1 << np.arange(len(_CONCERN_WEIGHTS), dtype=np.int64)
    return (chosen * bits).sum(axis=1)


def _registration_ages(rng: np.random.Generator, n: int) -> FloatArray:
    """Age in years at a first registration; negative = before birth (about 9%)."""
    band = rng.choice(5, size=n, p=[0.09, 0.38, 0.3, 0.2, 0.03])
    low = np.array([-0.45, 0.0, 5.0, 11.0, 16.0])[band]
    high = np.array([-0.04, 5.0, 11.0, 16.0, 17.9])[band]
    return low + rng.random(n) * (high - low)


def _register_spells(
    rng: np.random.Generator,
    first: IntArray,
    eighteen: IntArray,
    again: float,
    t0: int,
    t1: int,
) -> tuple[IntArray, IntArray, IntArray]:
    """Up to three registrations from ``first``: (owner index, registration, true end); only
    those still open on or after the period's first day and starting by its last."""
    n = len(first)
    owners: list[IntArray] = []
    regs: list[IntArray] = []
    ends: list[IntArray] = []
    start = first.copy()
    alive = np.ones(n, dtype=bool)
    for j in range(3):
        alive &= (start < eighteen) & (start <= t1)
        if j:
            alive &= rng.random(n) < again
        length = np.maximum(rng.lognormal(np.log(210), 0.85, size=n).astype(np.int64), 1)
        end = np.minimum(start + length, eighteen)
        kept = alive & (end >= t0)
        owners.append(np.flatnonzero(kept))
        regs.append(start[kept])
        ends.append(end[kept])
        start = end + 14 + rng.exponential(240, size=n).astype(np.int64)
    return np.concatenate(owners), np.concatenate(regs), np.concatenate(ends)


def _registrations(
    rng: np.random.Generator,
    owner: IntArray,
    registration: IntArray,
    end: IntArray,
    child: IntArray,
    council: IntArray,
    sex: IntArray,
    birth_day: IntArray,
    t1: int,
) -> RegistrationArrays:
    unborn = birth_day[owner] > registration
    return RegistrationArrays(
        child=child[owner],
        council=council[owner],
        sex=np.where(unborn, -1, sex[owner]),
        birth_month=np.where(unborn, _NO_DATE, _month_start(birth_day)[owner]),
        registration=registration,
        deregistration=np.where(end > t1, _NO_DATE, end),
        concerns=_concerns(rng, len(owner)),
    )


def _register_only(
    rng: np.random.Generator,
    n: int,
    council_weights: FloatArray,
    first_child: int,
    t0: int,
    t1: int,
) -> RegistrationArrays:
    """Exactly ``n`` children who are on the register in the period but never looked after."""
    empty = np.zeros(0, dtype=np.int64)
    parts: list[RegistrationArrays] = [RegistrationArrays(*(empty for _ in _CP_FIELDS))]
    found = 0
    while found < n:
        m = max(64, int((n - found) * 1.6))
        council = rng.choice(len(council_weights), size=m, p=council_weights)
        sex = rng.integers(0, 2, size=m)
        first = rng.integers(t0 - int(3 * _DAYS_PER_YEAR), t1 + 1, size=m)
        birth_day = first - (_registration_ages(rng, m) * _DAYS_PER_YEAR).astype(np.int64)
        eighteen = _add_years(_month_start(birth_day), 18)
        owner, reg, end = _register_spells(rng, first, eighteen, 0.22, t0, t1)
        appears = np.unique(owner)[: n - found]
        index = np.full(m, -1, dtype=np.int64)
        index[appears] = np.arange(len(appears)) + first_child + found
        keep = index[owner] >= 0
        parts.append(
            _registrations(
                rng, owner[keep], reg[keep], end[keep], index, council, sex, birth_day, t1
            )
        )
        found += len(appears)
    return RegistrationArrays(
        *(np.concatenate([getattr(p, name) for p in parts]) for name in _CP_FIELDS)
    )


def _registered_then_looked_after(
    rng: np.random.Generator, cohort: _Cohort, sex: IntArray, n: int, t0: int, t1: int
) -> RegistrationArrays:
    """The first ``n`` looked-after children are registered around the time they first enter
    care (from two months before to eight months after)."""
    index = np.arange(n)
    reg = cohort.first_start[index] + rng.integers(-60, 240, size=n)
    eighteen = _add_years(_month_start(cohort.birth_day[index]), 18)
    length = np.maximum(rng.lognormal(np.log(210), 0.85, size=n).astype(np.int64), 1)
    end = np.minimum(reg + length, eighteen)
    kept = np.flatnonzero((end >= t0) & (reg <= t1) & (reg < eighteen))
    return _registrations(
        rng, kept, reg[kept], end[kept], index, cohort.council, sex, cohort.birth_day, t1
    )


def _stock(la: PlacementArrays, first: int, last: int, councils: int) -> FloatArray:
    """Mean number looked after on 31 July over the years, per council."""
    open_end = np.where(la.placement_end == _NO_DATE, np.iinfo(np.int64).max, la.placement_end)
    total = np.zeros(councils)
    for year in range(first, last + 1):
        snap = _day(formats.snapshot(year))
        covers = (la.placement_start <= snap) & (snap < open_end)
        total += np.bincount(la.council[covers], minlength=councils)
    return total / (last - first + 1)


def _population(
    rng: np.random.Generator,
    la: PlacementArrays,
    councils: tuple[str, ...],
    params: SynthParams,
) -> dict[tuple[str, int], int]:
    """Population so that about 12.1 per 1,000 are looked after on 31 July, shared by council
    as the rough 0-17 population, drifting by up to about half a per cent a year."""
    stock = _stock(la, params.first_year, params.last_year, len(councils)).sum()
    total = max(stock, 1.0) / LOOKED_AFTER_RATE * formats.RATE_PER
    shares = _weights(np.array([COUNCIL_PROFILE[code][0] for code in councils]))
    drift = rng.normal(0.0, 0.004, size=len(councils))
    return {
        (code, year): max(
            1, round(total * shares[i] * (1 + drift[i]) ** (year - params.first_year))
        )
        for i, code in enumerate(councils)
        for year in range(params.first_year, params.last_year + 1)
    }


def synth_generate(params: SynthParams) -> SynthData:
    """Generate the data (as arrays) for ``params``; the same parameters give the same data."""
    councils = _check(params)
    # One random stream per part, so that a trend adjustment changes nothing but the
    # placements it adjusts.
    rng, trend_rng, cp_rng, population_rng = (
        np.random.default_rng([params.seed, part]) for part in range(4)
    )
    t0 = _day(formats.year_start(params.first_year))
    t1 = _day(formats.snapshot(params.last_year))
    profile = np.array([COUNCIL_PROFILE[code] for code in councils])
    lac_weights = _weights(profile[:, 0] * profile[:, 1])
    cp_weights = _weights(profile[:, 0] * np.sqrt(profile[:, 1]))
    n_both = round(params.children * _BOTH_SHARE)
    n_cp = round(params.children * _CP_ONLY_SHARE)
    n_la = params.children - n_cp  # at least 1, as n_cp rounds a fifth of the children
    n_both = min(n_both, n_la)
    cohort = _select_looked_after(rng, n_la, lac_weights, t0, t1)
    sex = rng.integers(0, 2, size=n_la)
    la = _placements(rng, cohort, sex, t1)
    if params.trend is not None:
        la = _apply_trend(
            trend_rng, la, params.trend, councils.index(params.trend.council), params.last_year
        )
    both = _registered_then_looked_after(cp_rng, cohort, sex, n_both, t0, t1)
    only = _register_only(cp_rng, n_cp, cp_weights, n_la, t0, t1)
    cp = RegistrationArrays(
        *(np.concatenate([getattr(both, name), getattr(only, name)]) for name in _CP_FIELDS)
    )
    order = np.lexsort((cp.registration, cp.child))
    cp = RegistrationArrays(*(getattr(cp, name)[order] for name in _CP_FIELDS))
    population = _population(population_rng, la, councils, params)
    return SynthData(looked_after=la, registrations=cp, councils=councils, population=population)


def _list_literal(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(f"'{value}'" for value in values) + "]"


def _date_sql(column: str, pattern: str = "%Y-%m-%d") -> str:
    return (
        f"CASE WHEN {column} <> {_NO_DATE} "
        f"THEN strftime(DATE '1970-01-01' + CAST({column} AS INTEGER), '{pattern}') END"
    )


def synth_write(params: SynthParams, directory: Path) -> SynthSummary:
    """Generate the data for ``params`` and write ``looked_after.csv``, ``child_protection.csv``
    and ``population.csv`` into ``directory`` (created if needed)."""
    data = synth_generate(params)
    directory.mkdir(parents=True, exist_ok=True)
    la, cp = data.looked_after, data.registrations
    # Pseudonymous IDs in a random order, so that an ID says nothing about the child.
    ids = np.random.default_rng([params.seed, 4]).permutation(params.children) + 1
    width = max(7, len(str(params.children)))
    councils = _list_literal(data.councils)
    sexes = "['female', 'male']"
    child_id = f"'C' || lpad(CAST(child_number AS VARCHAR), {width}, '0') AS child_id"
    la_arrays = {name: getattr(la, name) for name in _LA_FIELDS}
    la_arrays["child_number"] = ids[la.child]
    cp_arrays = {name: getattr(cp, name) for name in _CP_FIELDS}
    cp_arrays["child_number"] = ids[cp.child]
    population_rows = sorted(data.population.items())
    with duckdb.connect(config={"threads": 2, "preserve_insertion_order": True}) as con:
        con.register("la_arrays", la_arrays)
        con.register("cp_arrays", cp_arrays)
        con.execute(
            f"""
            COPY (
                SELECT {child_id}, {councils}[council + 1] AS council,
                       {sexes}[sex + 1] AS sex,
                       {_date_sql("birth_month", "%Y-%m")} AS birth_month,
                       {_date_sql("episode_start")} AS episode_start,
                       {_date_sql("episode_end")} AS episode_end,
                       {_date_sql("placement_start")} AS placement_start,
                       {_date_sql("placement_end")} AS placement_end,
                       {_list_literal(formats.PLACEMENT_TYPES)}[placement_type + 1]
                           AS placement_type
                FROM la_arrays
            ) TO '{directory / formats.LOOKED_AFTER_FILE}' (HEADER, DELIMITER ',')
            """  # noqa: S608  (SQL built from this module's constants only)
        )
        concerns = _list_literal(formats.CONCERN_CODES)
        con.execute(
            f"""
            COPY (
                SELECT {child_id}, {councils}[council + 1] AS council,
                       CASE WHEN sex >= 0 THEN {sexes}[sex + 1] END AS sex,
                       {_date_sql("birth_month", "%Y-%m")} AS birth_month,
                       {_date_sql("registration")} AS registration_date,
                       {_date_sql("deregistration")} AS deregistration_date,
                       array_to_string(list_filter({concerns},
                           lambda code, i: (concerns >> (i - 1)) & 1 = 1), ';') AS concerns
                FROM cp_arrays
            ) TO '{directory / formats.CHILD_PROTECTION_FILE}' (HEADER, DELIMITER ',')
            """  # noqa: S608
        )
    with (directory / formats.POPULATION_FILE).open("w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(formats.POPULATION_COLUMNS) + "\n")
        fh.writelines(f"{code},{year},{value}\n" for (code, year), value in population_rows)
    return SynthSummary(
        children=params.children,
        placement_rows=len(la.child),
        registrations=len(cp.child),
        population_rows=len(population_rows),
        first_year=params.first_year,
        last_year=params.last_year,
    )
