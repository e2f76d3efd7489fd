"""``allegiance model ...``: fit the models of alignment and write their results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from allegiance.cli.common import reporting_errors
from allegiance.cli.params import OUT_FOLDER, seed_option, years_option

__all__ = ["model_app"]

model_app = typer.Typer(
    rich_markup_mode="markdown",
    help="Models of alignment: expected cooperation and the quasi-alliance.",
    no_args_is_help=True,
)


@model_app.command("expected")
def expected(
    outcome: str = typer.Option(
        "atop_defense",
        "--outcome",
        help="atop_defense (ATOP defense pact), atop_any (any ATOP commitment), "
        "dca (DCAD agreement, 1980-2010), exercise (MME joint exercise, 1980-2010) or "
        "military_cooperation (a defense pact, a DCA or an exercise; 1980-2010).",
    ),
    years: range = years_option("1946-2014", "Year range, e.g. 1946-2014."),
    split: int = typer.Option(2000, "--split", help="Last training year; later years test."),
    formula: str = typer.Option(
        None, "--formula", help="Predictors (formulaic right-hand side); default: all."
    ),
    estimator: str = typer.Option("both", "--estimator", help="logit, gbm or both."),
    dyad: str = typer.Option("732,740", "--dyad", help="Dyad to place, e.g. 732,740."),
    draws: int = typer.Option(200, "--draws", help="Coefficient draws for the band (2-10,000)."),
    seed: int = seed_option("Random seed (recorded in metrics.csv)."),
    out: Path = OUT_FOLDER,
) -> None:
    """Expected cooperation: fit, test out of sample, rank anomalies, place a dyad.

    Writes coefficients.csv, metrics.csv, calibration.csv, ranking.parquet (every dyad-year)
    and ranking.csv (top 100 dyads of each anomaly kind), dyad_percentile.csv,
    dyad_decades.csv, logit_summary.txt and dyad_percentile.html. Years are cut to the
    outcome's coverage; predictors are those of the year before the outcome; rows with a
    missing predictor are dropped and counted. The dyad's percentile among the dyads that
    share a defense-pact ally (shared_patron) is printed beside the one among all dyads.

    Example: allegiance model expected --outcome atop_defense --years 1946-2014 --split 2000
    --out results/expected
    """
    from allegiance.params import invalid, parse_count, parse_dyad
    from allegiance.report.outputs import EXPECTED_FILES, write_expected
    from allegiance.report.writer import check_folder
    from allegiance.runs.expected import ESTIMATORS, check_expected, run_expected

    console = Console(stderr=True)
    with reporting_errors():
        if estimator not in ESTIMATORS:
            raise invalid("--estimator", "be one of logit, gbm, both", estimator)
        parse_count(draws, "--draws", 10_000, minimum=2)
        target, used, _ = check_expected(outcome, years, split, formula)
        a, b = parse_dyad(dyad, "--dyad", span=(years.start, years.stop - 1))
        check_folder(out, EXPECTED_FILES)
        if used != years:
            console.print(f"Years cut to {used.start}-{used.stop - 1}: {target.label}.")
        with console.status("building the design frame") as status:
            result = run_expected(
                outcome=target.name, years=years, split=split, formula=formula,
                estimators=ESTIMATORS[estimator], dyad=(min(a, b), max(a, b)), n_draws=draws,
                seed=seed, progress=lambda stage: status.update(stage),
            )  # fmt: skip
        write_expected(result, out, _label(result.fit.dyad))
    _print_summary(result, out)


def _label(dyad: tuple[int, int]) -> str:
    from allegiance.data.codes import name_of

    return f"{name_of(dyad[1])}–{name_of(dyad[0])} ({dyad[0]},{dyad[1]})"


def _print_summary(result: Any, out: Path) -> None:
    import polars as pl

    from allegiance.data.codes import name_of
    from allegiance.models.expected import top_dyads

    run = result.fit
    echo = typer.echo
    echo(
        f"Expected cooperation: {result.outcome.name}, {run.years.start}-{run.years.stop - 1}, "
        f"train <= {run.split}, test > {run.split}."
    )
    for row in run.metrics.iter_rows(named=True):
        echo(
            f"  {row['estimator']:<5} test AUC {row['auc']:.3f}  Brier {row['brier']:.4f} "
            f"(base-rate Brier {row['brier_climatology']:.4f}; n_train {row['n_train']:,.0f}, "
            f"n_test {row['n_test']:,.0f}, dropped {row['n_dropped']:,})"
        )
    name = next(iter(run.models))
    echo(f"Top 10 missing cooperation ({name}; each dyad at its highest-expectation year):")
    ranking = run.ranking.filter(pl.col("estimator") == name)
    for r in top_dyads(ranking, "missing", 10).iter_rows(named=True):
        echo(
            f"  {name_of(r['ccode1'])}–{name_of(r['ccode2'])} {r['year']}: "
            f"expected {r['expected']:.3f}"
        )
    echo(f"{_label(run.dyad)}: percentile of expected cooperation among all dyads, by decade:")
    for r in run.decades.iter_rows(named=True):
        band = ""
        if r.get("percentile_low") is not None:
            band = f" [{r['percentile_low']:.1f}, {r['percentile_high']:.1f}]"
        echo(
            f"  {r['estimator']:<5} {r['decade']}s ({r['years']} y): {r['percentile']:.1f}"
            f"{band}, median rank {r['median_rank']:,.0f} of {r['mean_n_dyads']:,.0f}"
        )
    if run.group_decades.height:
        echo(f"{_label(run.dyad)}: the same among dyads with a shared patron, by decade:")
        for r in run.group_decades.iter_rows(named=True):
            echo(
                f"  {r['estimator']:<5} {r['decade']}s ({r['years']} y): {r['percentile']:.1f}"
                f", median rank {r['median_rank']:,.0f} of {r['mean_n_dyads']:,.0f}"
            )
    for column, missing in run.dyad_missing.items():
        echo(
            f"  note: {column} is missing for the dyad in {len(missing)} years "
            f"({min(missing)}-{max(missing)}); those years are left out."
        )
    echo(f"Wrote {out} (seed {result.meta.seed}).")


from allegiance.cli.quasi_cmd import quasi  # noqa: E402

model_app.command("quasi")(quasi)
