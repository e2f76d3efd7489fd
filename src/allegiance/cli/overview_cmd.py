"""``allegiance overview``: the main job until the full study lands."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from allegiance.cli.common import reporting_errors
from allegiance.cli.params import years_option

__all__ = ["overview"]


def overview(
    years: range = years_option("1946-2016", "Year range, e.g. 1946-2016."),
) -> None:
    """Build the Northeast Asia dyad-year panel and print a summary of every dyad.

    Example: allegiance overview --years 1965-2014
    """
    from allegiance.data.codes import resolve
    from allegiance.study.overview import dyad_summary, northeast_asia_panel

    console = Console(width=max(Console().width, 112))
    with reporting_errors():
        span = years
        with console.status("building the Northeast Asia dyad-year panel"):
            panel = northeast_asia_panel(span)
            frame = panel.collect()
            summary = dyad_summary(frame)
    table = Table(title=f"Northeast Asia dyads, {span.start}-{span.stop - 1}")
    heads = ["dyad", "years", "defense pact", "any ATOP", "MID onsets", "MID years",
             "contiguity", "min. km", "CINC share 1"]  # fmt: skip
    for h in heads:
        table.add_column(h, justify="left" if h == "dyad" else "right")
    for r in summary.iter_rows(named=True):
        share = "-" if r["cinc_share1"] is None else f"{r['cinc_share1']:.2f}"
        dist = "-" if r["latest_mindist_km"] is None else f"{r['latest_mindist_km']:,.0f}"
        table.add_row(
            f"{resolve(r['ccode1']).abb}–{resolve(r['ccode2']).abb}",
            f"{r['first_year']}-{r['last_year']}",
            str(r["defense_pact_years"]), str(r["any_pledge_years"]),
            str(r["mid_onsets"]), str(r["mid_years"]),
            "none" if r["closest_contiguity"] == 0 else f"type {r['closest_contiguity']}",
            dist, share,
        )  # fmt: skip
    console.print(table)
    console.print(
        "Counts are dyad-years. defense pact: ATOP defense pledge; any ATOP: any ATOP pledge; "
        "MID: Gibler-Miller-Little disputes; contiguity: closest COW type seen (1 land ... 5 "
        "sea up to 400 miles); min. km: latest CShapes minimum distance; CINC share 1: first "
        "state's share of the dyad's capabilities in the last year with NMC data."
    )
    console.print(
        f"{frame.height:,} dyad-years, {frame.width} columns. Sources: "
        + ", ".join(panel.sources)
        + ". Cite them with `allegiance data cite --all`."
    )
