"""Reference implementation of the child-level indicators in plain pandas.

This is the way a council's performance officer would compute the indicators in a notebook:
read the three CSVs, then loop over the years, filter, group and merge. It follows the same
definitions as ``scrutiny.analysis.childlevel.compute`` (``docs/data-dictionary.md``, "Child-level
data for indicators") and must give exactly the same table; it serves as a check of those
definitions and as the baseline in ``benchmarks/indicators_compute.py``. It assumes the files are
valid (it does no validation).

    .venv/bin/python benchmarks/indicators_pandas.py LA.csv CP.csv POP.csv -o OUT.csv
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

PLACES_DATA = Path(__file__).resolve().parent.parent / "scrutiny" / "places" / "data"
SCOTLAND = "S92000003"
RESIDENTIAL = [
    "la_home",
    "voluntary_home",
    "residential_school",
    "secure",
    "crisis",
    "other_residential",
]
COMMUNITY = ["home", "kinship", "foster", "prospective_adopters", "other_community"]
CONCERNS = [
    "domestic_abuse",
    "neglect",
    "parental_mental_health",
    "parental_alcohol",
    "parental_drugs",
    "emotional_abuse",
    "physical_abuse",
    "sexual_abuse",
    "cse",
    "non_engagement",
    "parental_learning_disability",
    "other",
]
COUNTS = [
    "lac_total",
    *(f"lac_{kind}" for kind in COMMUNITY),
    "lac_residential",
    "lac_away",
    "lac_away_11_15",
    "lac_starts",
    "lac_ceases",
    "cp_register",
    "cp_registrations",
    "cp_deregistrations",
    "cp_reregistrations_18m",
    *(f"cp_concern_{code}" for code in CONCERNS),
]
RATES = {
    "lac_total_rate": "lac_total",
    "lac_away_rate": "lac_away",
    "cp_register_rate": "cp_register",
}


def council_lookup() -> dict[str, str]:
    current = pd.read_csv(PLACES_DATA / "council_areas.csv", dtype=str)
    aliases = pd.read_csv(PLACES_DATA / "aliases.csv", dtype=str)
    replaced = aliases[aliases["kind"] == "replaced_code"]
    lookup = dict(zip(current["code"], current["code"], strict=True))
    lookup.update(zip(replaced["alias"], replaced["code"], strict=True))
    return lookup


def reporting_year(dates: pd.Series) -> pd.Series:
    return dates.dt.year + (dates.dt.month >= 8).astype(int)


def read_inputs(
    looked_after: Path, child_protection: Path, population: Path
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    lookup = council_lookup()
    la = pd.read_csv(looked_after, dtype=str, keep_default_na=False)
    for column in ["episode_start", "episode_end", "placement_start", "placement_end"]:
        la[column] = pd.to_datetime(la[column].replace("", None), format="%Y-%m-%d")
    la["birth"] = pd.to_datetime(la["birth_month"] + "-01", format="%Y-%m-%d")
    la["council"] = la["council"].map(lookup)

    cp = pd.read_csv(child_protection, dtype=str, keep_default_na=False)
    for column in ["registration_date", "deregistration_date"]:
        cp[column] = pd.to_datetime(cp[column].replace("", None), format="%Y-%m-%d")
    cp["council"] = cp["council"].map(lookup)
    cp["concern_list"] = cp["concerns"].apply(
        lambda text: sorted({code.strip() for code in text.split(";") if code.strip()})
    )

    pop = pd.read_csv(population, dtype={"council": str})
    pop["council"] = pop["council"].map(lookup)
    return la, cp, pop


class YearsNotCovered(ValueError):
    """--from or --to outside the years the files cover."""


def year_ranges(
    la: pd.DataFrame, cp: pd.DataFrame, pop: pd.DataFrame
) -> tuple[tuple[int, int], tuple[int, int]]:
    """The years computed by default, and the years the files cover (the range --from and --to
    must lie in: the event dates, not limited by the population years, but run on to the last
    population year while anything is still open)."""
    dates = pd.concat(
        [
            la["episode_start"],
            la["episode_end"],
            la["placement_start"],
            la["placement_end"],
            cp["registration_date"],
            cp["deregistration_date"],
        ]
    ).dropna()
    still_open = (
        la["episode_end"].isna().any()
        or la["placement_end"].isna().any()
        or cp["deregistration_date"].isna().any()
    ) and bool(len(pop))
    lows, highs = [], []
    if len(pop):
        lows.append(int(pop["year"].min()))
        highs.append(int(pop["year"].max()))
    covered = (min(lows, default=0), max(highs, default=0))
    if len(dates):
        first = int(reporting_year(pd.Series([dates.min()])).iloc[0])
        last = int(reporting_year(pd.Series([dates.max()])).iloc[0])
        covered = (first, max(last, *highs) if still_open else last)
        lows.append(first)
        if not still_open:
            highs.append(last)
    return (max(lows), min(highs)), covered


def indicators_pandas(
    looked_after: Path,
    child_protection: Path,
    population: Path,
    first_year: int | None = None,
    last_year: int | None = None,
) -> pd.DataFrame:
    """The tidy table: council, year, indicator, numerator, denominator, value."""
    la, cp, pop = read_inputs(looked_after, child_protection, population)
    (low, high), covered = year_ranges(la, cp, pop)
    for year in (first_year, last_year):
        if year is not None and not covered[0] <= year <= covered[1]:
            raise YearsNotCovered(f"the files cover the years {covered[0]} to {covered[1]}")
    first = first_year if first_year is not None else low
    last = last_year if last_year is not None else high
    years = list(range(first, last + 1))
    councils = sorted(set(la["council"]) | set(cp["council"]))

    # Re-registrations: registrations of a child de-registered in the 18 months before.
    pairs = (
        cp[["child_id", "registration_date"]]
        .reset_index()
        .merge(cp[["child_id", "deregistration_date"]].dropna(), on="child_id")
    )
    pairs = pairs[
        (pairs["deregistration_date"] < pairs["registration_date"])
        & (pairs["deregistration_date"] >= pairs["registration_date"] - pd.DateOffset(months=18))
    ]
    cp["reregistration"] = cp.index.isin(pairs["index"])

    episodes = la[["council", "child_id", "episode_start", "episode_end"]].drop_duplicates()

    counts: dict[tuple[str, int, str], int] = {}

    def add(year: int, indicator: str, by_council: pd.Series) -> None:
        for council, number in by_council.items():
            counts[(council, year, indicator)] = int(number)

    for year in years:
        snapshot = pd.Timestamp(year, 7, 31)
        start = pd.Timestamp(year - 1, 8, 1)

        on = la[
            (la["placement_start"] <= snapshot)
            & (la["placement_end"].isna() | (la["placement_end"] > snapshot))
        ].copy()
        on["age"] = (
            snapshot.year
            - on["birth"].dt.year
            - (
                (on["birth"].dt.month > snapshot.month)
                | ((on["birth"].dt.month == snapshot.month) & (on["birth"].dt.day > snapshot.day))
            ).astype(int)
        )
        away = on[on["placement_type"] != "home"]
        add(year, "lac_total", on.groupby("council")["child_id"].nunique())
        for kind in COMMUNITY:
            chosen = on[on["placement_type"] == kind]
            add(year, f"lac_{kind}", chosen.groupby("council")["child_id"].nunique())
        residential = on[on["placement_type"].isin(RESIDENTIAL)]
        add(year, "lac_residential", residential.groupby("council")["child_id"].nunique())
        add(year, "lac_away", away.groupby("council")["child_id"].nunique())
        teenagers = away[(away["age"] >= 11) & (away["age"] <= 15)]
        add(year, "lac_away_11_15", teenagers.groupby("council")["child_id"].nunique())

        started = episodes[
            (episodes["episode_start"] >= start) & (episodes["episode_start"] <= snapshot)
        ]
        add(year, "lac_starts", started.groupby("council").size())
        ended = episodes[(episodes["episode_end"] >= start) & (episodes["episode_end"] <= snapshot)]
        add(year, "lac_ceases", ended.groupby("council").size())

        register = cp[
            (cp["registration_date"] <= snapshot)
            & (cp["deregistration_date"].isna() | (cp["deregistration_date"] > snapshot))
        ]
        add(year, "cp_register", register.groupby("council")["child_id"].nunique())
        registered = cp[(cp["registration_date"] >= start) & (cp["registration_date"] <= snapshot)]
        add(year, "cp_registrations", registered.groupby("council").size())
        add(
            year,
            "cp_reregistrations_18m",
            registered[registered["reregistration"]].groupby("council").size(),
        )
        deregistered = cp[
            (cp["deregistration_date"] >= start) & (cp["deregistration_date"] <= snapshot)
        ]
        add(year, "cp_deregistrations", deregistered.groupby("council").size())
        concerns = registered[["council", "concern_list"]].explode("concern_list")
        for code in CONCERNS:
            with_code = concerns[concerns["concern_list"] == code]
            add(year, f"cp_concern_{code}", with_code.groupby("council").size())

    populations = {
        (row.council, int(row.year)): int(row.population_0_17) for row in pop.itertuples()
    }
    rows: list[tuple[str, int, str, int, int | None, float | None]] = []
    for year in years:
        totals = dict.fromkeys(COUNTS, 0)
        for council in councils:
            for indicator in COUNTS:
                number = counts.get((council, year, indicator), 0)
                totals[indicator] += number
                rows.append((council, year, indicator, number, None, float(number)))
        for indicator in COUNTS:
            rows.append(
                (SCOTLAND, year, indicator, totals[indicator], None, float(totals[indicator]))
            )
        known = [populations[(c, year)] for c in councils if (c, year) in populations]
        scotland_pop = sum(known) if len(known) == len(councils) else None
        for rate, count in RATES.items():
            for council in [*councils, SCOTLAND]:
                if council == SCOTLAND:
                    number, denominator = totals[count], scotland_pop
                else:
                    number = counts.get((council, year, count), 0)
                    denominator = populations.get((council, year))
                value = None if denominator is None else number / denominator * 1000
                rows.append((council, year, rate, number, denominator, value))
    table = pd.DataFrame(
        rows, columns=["council", "year", "indicator", "numerator", "denominator", "value"]
    )
    table["denominator"] = table["denominator"].astype("Int64")
    return table.sort_values(["council", "year", "indicator"], ignore_index=True)


def main() -> None:
    parser = argparse.ArgumentParser(description="Child-level indicators, in pandas.")
    parser.add_argument("looked_after", type=Path)
    parser.add_argument("child_protection", type=Path)
    parser.add_argument("population", type=Path)
    parser.add_argument("--from", dest="first_year", type=int)
    parser.add_argument("--to", dest="last_year", type=int)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    try:
        table = indicators_pandas(
            args.looked_after,
            args.child_protection,
            args.population,
            args.first_year,
            args.last_year,
        )
    except YearsNotCovered as exc:
        parser.exit(2, f"Error: {exc}\n")
    table.to_csv(args.output, index=False)


if __name__ == "__main__":
    main()
