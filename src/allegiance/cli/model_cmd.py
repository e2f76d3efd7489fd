"""``allegiance model ...``: fit the models of alignment and write their results."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from allegiance.cli.common import parse_years, reporting_errors
from allegiance.errors import ParameterError

__all__ = ["check_out_dir", "model_app", "parse_dyad", "write_dir_atomic"]

model_app = typer.Typer(
    rich_markup_mode="markdown",
    help="Models of alignment: expected cooperation (and more to come).",
    no_args_is_help=True,
)

_ESTIMATORS = {"logit": ("logit",), "gbm": ("gbm",), "both": ("logit", "gbm")}


def parse_dyad(text: str) -> tuple[int, int]:
    """``732,740`` (codes or names) -> ``(732, 740)``.

    >>> parse_dyad("740, 732")
    (732, 740)
    """
    from allegiance.data.codes import to_ccode

    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 2 or not all(parts):
        raise ParameterError(f"The '--dyad' option takes two states like 732,740. Got {text!r}.")
    a, b = (int(p) if p.isdigit() else to_ccode(p) for p in parts)
    if a == b:
        raise ParameterError(f"A dyad needs two different states. Got {text!r}.")
    return (min(a, b), max(a, b))


def write_dir_atomic(out: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_dir)`` on a new folder beside ``out``, then rename it to ``out``.

    An existing ``out`` is replaced only if it is empty or holds an earlier run
    (``metrics.csv``); on any error nothing is left behind.
    """
    parent = check_out_dir(out)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=parent))
    umask = os.umask(0)
    os.umask(umask)
    tmp.chmod(0o777 & ~umask)
    try:
        write(tmp)
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=parent))
            os.replace(out, old / out.name)
            os.replace(tmp, out)
            shutil.rmtree(old)
        else:
            os.replace(tmp, out)
    except OSError as exc:
        raise ParameterError(f"Cannot write {out}: {exc.strerror or exc}.") from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def check_out_dir(out: Path) -> Path:
    """Refuse an output folder that cannot be written or would replace foreign files."""
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise ParameterError(f"Cannot write {out}: the folder {parent} does not exist.")
    if out.exists() and not (out.is_dir() and _replaceable(out)):
        raise ParameterError(
            f"Cannot write {out}: it exists and is not an earlier output folder; "
            "choose a new --out."
        )
    return parent


def _replaceable(folder: Path) -> bool:
    names = {p.name for p in folder.iterdir()}
    return not names or "metrics.csv" in names


def _check_split(split: int, span: range, outcome: Any, used: range) -> None:
    last = span.stop - 1
    if not span.start <= split < last:
        raise ParameterError(
            f"The '--split' option must be a year in {span.start}-{last - 1} (inside --years "
            f"{span.start}-{last}, leaving test years after it). Got {split}."
        )
    if split < used.start:
        raise ParameterError(
            f"The training window (years <= {split}) is empty: the outcome {outcome.name!r} is "
            f"observed from {used.start}. Choose --split {used.start} or later."
        )
    if split >= used.stop - 1:
        raise ParameterError(
            f"The test window (years > {split}) is empty: the outcome {outcome.name!r} is "
            f"observed to {used.stop - 1}. Choose --split before {used.stop - 1}."
        )


@model_app.command("expected")
def expected(
    outcome: str = typer.Option(
        "atop_defense",
        "--outcome",
        help="atop_defense (ATOP defense pact), atop_any (any ATOP commitment), "
        "dca (DCAD agreement, 1980-2010) or exercise (MME joint exercise, 1980-2010).",
    ),
    years: str = typer.Option("1946-2014", "--years", help="Year range, e.g. 1946-2014."),
    split: int = typer.Option(2000, "--split", help="Last training year; later years test."),
    formula: str = typer.Option(
        None, "--formula", help="Predictors (formulaic right-hand side); default: all."
    ),
    estimator: str = typer.Option("both", "--estimator", help="logit, gbm or both."),
    dyad: str = typer.Option("732,740", "--dyad", help="Dyad to place, e.g. 732,740."),
    draws: int = typer.Option(200, "--draws", help="Coefficient draws for the band."),
    seed: int = typer.Option(None, "--seed", help="Random seed (recorded in metrics.csv)."),
    out: Path = typer.Option(..., "--out", help="Output folder (written atomically)."),
) -> None:
    """Expected cooperation: fit, test out of sample, rank anomalies, place a dyad.

    Writes coefficients.csv, metrics.csv, calibration.csv, ranking.parquet (every dyad-year)
    and ranking.csv (top 100 dyads of each anomaly kind), dyad_percentile.csv,
    dyad_decades.csv, logit_summary.txt and dyad_percentile.html. Years are cut to the
    outcome's coverage; rows with a missing predictor are dropped and counted.

    Example: allegiance model expected --outcome atop_defense --years 1946-2014 --split 2000
    --out results/expected
    """
    from allegiance.models.expected import check_formula, run_expected
    from allegiance.models.expected_data import (
        DEFAULT_FORMULA,
        design_columns,
        design_frame,
        outcome_years,
        resolve_outcome,
    )

    console = Console(stderr=True)
    with reporting_errors():
        if estimator not in _ESTIMATORS:
            raise ParameterError(
                f"The '--estimator' option must be one of logit, gbm, both. Got {estimator!r}."
            )
        span = parse_years(years)
        target = resolve_outcome(outcome)
        used = outcome_years(target, span)
        _check_split(split, span, target, used)
        rhs = formula or DEFAULT_FORMULA
        check_formula(rhs, design_columns(target.name))
        pair = parse_dyad(dyad)
        check_out_dir(out)
        if used != span:
            console.print(f"Years cut to {used.start}-{used.stop - 1}: {target.label}.")
        with console.status("building the design frame") as status:
            frame = design_frame(target.name, used, progress=lambda s: status.update(s))
            status.update("fitting")
            run = run_expected(
                frame,
                outcome=target.name,
                split=split,
                dyad=pair,
                estimators=_ESTIMATORS[estimator],
                formula=rhs,
                n_draws=draws,
                random_state=seed,
            )
        write_dir_atomic(out, lambda tmp: _write_run(run, tmp))
    _print_summary(run, out)


def _label(dyad: tuple[int, int]) -> str:
    from allegiance.data.codes import name_of

    return f"{name_of(dyad[1])}–{name_of(dyad[0])} ({dyad[0]},{dyad[1]})"


def _write_run(run: Any, folder: Path) -> None:
    import polars as pl

    from allegiance.models.expected import percentile_figure, top_dyads

    seeds = {name: m.seed_ for name, m in run.models.items()}
    metrics = run.metrics.with_columns(
        pl.col("estimator").replace_strict(seeds, return_dtype=pl.Int64).alias("seed"),
        pl.lit(f"{run.years.start}-{run.split}").alias("train_years"),
        pl.lit(f"{run.split + 1}-{run.years.stop - 1}").alias("test_years"),
    )
    metrics.write_csv(folder / "metrics.csv")
    if run.coefficients.height:
        run.coefficients.write_csv(folder / "coefficients.csv")
        (folder / "logit_summary.txt").write_text(run.models["logit"].summary() + "\n")
    run.calibration.write_csv(folder / "calibration.csv")
    run.ranking.write_parquet(folder / "ranking.parquet")
    top = [
        top_dyads(run.ranking.filter(pl.col("estimator") == name), kind, 100).select(
            pl.lit(kind).alias("kind"), pl.all()
        )
        for name in run.models
        for kind in ("missing", "surprising")
    ]
    pl.concat(top).write_csv(folder / "ranking.csv")
    run.percentile.write_csv(folder / "dyad_percentile.csv")
    run.decades.write_csv(folder / "dyad_decades.csv")
    fig = percentile_figure(run, _label(run.dyad))
    fig.write_html(folder / "dyad_percentile.html", include_plotlyjs=True)


def _print_summary(run: Any, out: Path) -> None:
    import polars as pl

    from allegiance.data.codes import name_of
    from allegiance.models.expected import top_dyads

    echo = typer.echo
    echo(
        f"Expected cooperation: {run.outcome}, {run.years.start}-{run.years.stop - 1}, "
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
    for r in top_dyads(run.ranking.filter(pl.col("estimator") == name), "missing", 10).iter_rows(
        named=True
    ):
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
    for column, years in run.dyad_missing.items():
        echo(
            f"  note: {column} is missing for the dyad in {len(years)} years "
            f"({min(years)}-{max(years)}); those years are left out."
        )
    echo(f"Wrote {out}.")


from allegiance.cli.quasi_cmd import quasi  # noqa: E402

model_app.command("quasi")(quasi)
