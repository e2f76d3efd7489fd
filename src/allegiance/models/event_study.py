r"""Event study: is an observed series different in a window after dated events?

The test behind a claim such as "the clients' relations improved after each signal of reduced
commitment by the patron": the mean of the series inside a window after each event against
its mean in all other periods of the same source, per event and pooled, with a permutation
p-value from circular shifts of the event dates (which keeps the series' autocorrelation and
the spacing of the events).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import polars as pl

from allegiance.errors import ParameterError
from allegiance.models.base import (
    Interval,
    Model,
    ModelMeta,
    Options,
    check_is_fitted,
    register_model,
    resolve_seed,
    validate_params,
)

__all__ = ["SERIES_COLUMNS", "EventStudy", "month_index"]

#: Columns of the series :meth:`EventStudy.fit` takes.
SERIES_COLUMNS = ("t", "value", "n_events", "source")


def month_index(year: int | np.ndarray, month: int | np.ndarray) -> np.ndarray:
    """Months since January of year 0: ``12 * year + month - 1``.

    >>> month_index(1969, 7).item()
    23634
    """
    return np.asarray(12 * np.asarray(year) + np.asarray(month) - 1, dtype=np.int64)


@dataclass(frozen=True)
class _Source:
    """One source's part of the series, as arrays."""

    t: np.ndarray
    value: np.ndarray
    n_events: np.ndarray
    first: int
    last: int


@dataclass(frozen=True)
class _Stats:
    """One set of event times: per source (in-window count, mean in, mean out) and per event
    the difference :math:`D_e` (NaN when not observable)."""

    per_source: dict[str, tuple[int, float, float]]
    per_event: np.ndarray


@register_model
class EventStudy(Model):
    r"""Mean of a series inside a window after dated events, against all other periods.

    For event :math:`e` at month :math:`\tau_e` the window is :math:`W_e = [\tau_e,
    \tau_e + L)` (``window`` months). An observation at month :math:`t` of source :math:`s`
    (monthly sources at their month, annual ones at mid-year) is *in* a window if
    :math:`t \in W_e` for some event of the study, and *out* otherwise. Per event

    .. math:: D_e = \bar v_{W_e} - \bar v_{\mathrm{out}, s}

    compares the mean of the observations in its window with the mean of its source's
    observations outside every window; an event whose window holds no observation is *not
    observable* (it counts neither way). Pooled over events,

    .. math::

       D = \frac{\sum_s n_{\mathrm{in},s}\,
                 (\bar v_{\mathrm{in},s} - \bar v_{\mathrm{out},s})}{\sum_s n_{\mathrm{in},s}}

    weights each source by its in-window observations. The p-value is one-sided in the
    ``expected`` direction: :math:`p = (1 + \#\{b: D^{(b)} \ge D\}) / (1 + B)` for
    ``"higher"`` (:math:`\le` for ``"lower"``), where :math:`D^{(b)}` is :math:`D` after
    shifting every event of a source by one random offset, circularly within that source's
    span (the same for the per-event :math:`D_e`). Values are compared within a source only,
    so sources on different scales are never mixed in one mean.

    Parameters
    ----------
    window : int, default 24
        Window length :math:`L` in months, starting at the event's month.
    expected : {"higher", "lower"}, default "higher"
        The direction the hypothesis predicts for the series inside the windows.
    n_permutations : int, default 999
        :math:`B`; 0 skips the test.
    random_state : int or None
        Seed of the shifts; the seed used is recorded in ``seed_``.

    Attributes
    ----------
    by_event_ : polars.DataFrame
        One row per event: its id and month, ``source`` (the source observing its window, or
        null), ``n_in`` (observations in the window), ``events_in`` (the source's events
        behind them), ``mean_in``, ``mean_out``, ``difference`` (:math:`D_e`), ``p_value``
        and ``observable``.
    pooled_ : dict
        ``n_events``, ``n_observable``, ``n_in``, ``events_in``, ``mean_in``, ``mean_out``
        (weighted as :math:`D`), ``difference`` (:math:`D`) and ``p_value``.
    seed_ : int

    Examples
    --------
    >>> series = pl.DataFrame({"t": list(range(24)), "value": [0.0] * 12 + [1.0] * 3 + [0.0] * 9,
    ...                        "n_events": [1] * 24, "source": ["a"] * 24})
    >>> events = pl.DataFrame({"event": ["x"], "t": [12]})
    >>> study = EventStudy(window=3, n_permutations=0).fit(series, events)
    >>> study.pooled_["difference"]
    1.0
    """

    meta: ClassVar[ModelMeta] = ModelMeta(name="event_study", citations=(), stochastic=True)
    _constraints: ClassVar[dict[str, list[Interval | Options]]] = {
        "window": [Interval(int, 1, 600)],
        "expected": [Options(frozenset({"higher", "lower"}))],
        "n_permutations": [Interval(int, 0, 100_000)],
        "random_state": [Interval(int, 0, None, allow_none=True)],
    }

    def __init__(
        self,
        *,
        window: int = 24,
        expected: str = "higher",
        n_permutations: int = 999,
        random_state: int | None = None,
    ) -> None:
        self.window = window
        self.expected = expected
        self.n_permutations = n_permutations
        self.random_state = random_state

    def fit(self, series: pl.DataFrame, events: pl.DataFrame) -> EventStudy:
        """Compare the series in and out of the events' windows.

        Parameters
        ----------
        series : polars.DataFrame
            ``t`` (month index, see :func:`month_index`), ``value``, ``n_events`` (events
            behind the value) and ``source``; one row per observed period. Null values are
            not observations.
        events : polars.DataFrame
            ``event`` (an id) and ``t`` (month index of the event).
        """
        validate_params(self)
        sources = _sources(series)
        for col in ("event", "t"):
            if col not in events.columns:
                raise ParameterError(f"EventStudy.fit() needs an events column {col!r}.")
        times = events["t"].cast(pl.Int64).to_numpy()
        self.seed_ = resolve_seed(self.random_state)
        rng = np.random.default_rng(self.seed_)
        observed = self._statistics(sources, times)
        shifted = [self._statistics(sources, times, _offsets(sources, rng))
                   for _ in range(self.n_permutations)]  # fmt: skip
        self.by_event_ = self._by_event(events, sources, times, observed, shifted)
        self.pooled_ = self._pooled(len(times), observed, shifted)
        return self

    # ------------------------------------------------------------------ statistics

    def _statistics(
        self, sources: dict[str, _Source], times: np.ndarray, offsets: dict[str, int] | None = None
    ) -> _Stats:
        """Per-source in/out means and the per-event differences for one set of event times."""
        per_event = np.full(len(times), np.nan)
        per_source: dict[str, tuple[int, float, float]] = {}
        for name, src in sources.items():
            shift = _shifted(times, src, offsets[name]) if offsets else times
            inside = _inside(src.t, shift, self.window)
            if not inside.any() or inside.all():
                continue
            out_mean = float(src.value[~inside].mean())
            per_source[name] = (int(inside.sum()), float(src.value[inside].mean()), out_mean)
            for k, tau in enumerate(shift):
                own = (src.t >= tau) & (src.t < tau + self.window)
                if own.any() and np.isnan(per_event[k]):
                    per_event[k] = float(src.value[own].mean()) - out_mean
        return _Stats(per_source, per_event)

    def _p(self, value: float, draws: np.ndarray) -> float:
        if self.n_permutations == 0 or np.isnan(value):
            return float("nan")
        draws = draws[~np.isnan(draws)]
        hits = (draws >= value - 1e-12) if self.expected == "higher" else (draws <= value + 1e-12)
        return float((1 + hits.sum()) / (1 + len(draws)))

    def _by_event(
        self,
        events: pl.DataFrame,
        sources: dict[str, _Source],
        times: np.ndarray,
        observed: _Stats,
        shifted: list[_Stats],
    ) -> pl.DataFrame:
        diff = observed.per_event
        draws = np.array([s.per_event for s in shifted]).reshape(len(shifted), len(diff))
        rows = []
        for k, row in enumerate(events.select("event", "t").iter_rows(named=True)):
            info = self._window_info(sources, times, int(row["t"]))
            rows.append({**row, **info, "difference": diff[k],
                         "p_value": self._p(diff[k], draws[:, k]),
                         "observable": bool(info["n_in"])})  # fmt: skip
        schema: dict[str, Any] = {
                  "event": events.schema["event"], "t": pl.Int64, "source": pl.String,
                  "n_in": pl.Int64, "events_in": pl.Int64, "mean_in": pl.Float64,
                  "mean_out": pl.Float64, "difference": pl.Float64, "p_value": pl.Float64,
                  "observable": pl.Boolean}  # fmt: skip
        return pl.DataFrame(rows, schema=schema, orient="row").with_columns(
            pl.col(pl.Float64).fill_nan(None)
        )

    def _window_info(
        self, sources: dict[str, _Source], times: np.ndarray, tau: int
    ) -> dict[str, object]:
        """The first source observing the window after ``tau``: its counts and means."""
        for name, src in sources.items():
            own = (src.t >= tau) & (src.t < tau + self.window)
            if own.any():
                inside = _inside(src.t, times, self.window)
                out = src.value[~inside]
                return {"source": name, "n_in": int(own.sum()),
                        "events_in": int(src.n_events[own].sum()),
                        "mean_in": float(src.value[own].mean()),
                        "mean_out": float(out.mean()) if out.size else float("nan")}  # fmt: skip
        return {"source": None, "n_in": 0, "events_in": 0, "mean_in": float("nan"),
                "mean_out": float("nan")}  # fmt: skip

    def _pooled(
        self, n_events: int, observed: _Stats, shifted: list[_Stats]
    ) -> dict[str, float | int]:
        value, n_in, mean_in, mean_out = _pool(observed)
        draws = np.array([_pool(s)[0] for s in shifted])
        by_event = self.by_event_
        return {
            "n_events": n_events,
            "n_observable": int(by_event["observable"].sum()),
            "n_in": n_in,
            "events_in": int(by_event["events_in"].sum()),
            "mean_in": mean_in,
            "mean_out": mean_out,
            "difference": value,
            "p_value": self._p(value, draws),
        }

    def summary(self) -> pl.DataFrame:
        """The pooled result as a one-row table."""
        check_is_fitted(self, "pooled_")
        return pl.DataFrame([self.pooled_]).with_columns(pl.col(pl.Float64).fill_nan(None))


def _sources(series: pl.DataFrame) -> dict[str, _Source]:
    missing = [c for c in SERIES_COLUMNS if c not in series.columns]
    if missing:
        raise ParameterError(
            f"EventStudy.fit() needs series columns {', '.join(SERIES_COLUMNS)}; missing "
            f"{', '.join(missing)}."
        )
    rows = series.filter(pl.col("value").is_not_null() & pl.col("value").is_not_nan())
    out = {}
    for (name,), part in rows.sort("t").group_by(["source"], maintain_order=True):
        t = part["t"].cast(pl.Int64).to_numpy()
        out[str(name)] = _Source(t, part["value"].cast(pl.Float64).to_numpy(),
                                 part["n_events"].fill_null(0).cast(pl.Int64).to_numpy(),
                                 int(t.min()), int(t.max()))  # fmt: skip
    return out


def _inside(t: np.ndarray, times: np.ndarray, window: int) -> np.ndarray:
    """Whether each period lies in the window after some event."""
    if times.size == 0:
        return np.zeros(t.shape, dtype=bool)
    hits = (t[:, None] >= times[None, :]) & (t[:, None] < times[None, :] + window)
    return np.asarray(hits.any(axis=1), dtype=bool)


def _offsets(sources: dict[str, _Source], rng: np.random.Generator) -> dict[str, int]:
    return {name: int(rng.integers(src.last - src.first + 1)) for name, src in sources.items()}


def _shifted(times: np.ndarray, src: _Source, offset: int) -> np.ndarray:
    """Event times moved by ``offset`` months, circularly within the source's span."""
    span = src.last - src.first + 1
    return np.asarray(src.first + (times - src.first + offset) % span, dtype=np.int64)


def _pool(stats: _Stats) -> tuple[float, int, float, float]:
    per_source = stats.per_source
    n = sum(v[0] for v in per_source.values())
    if n == 0:
        return float("nan"), 0, float("nan"), float("nan")
    mean_in = sum(v[0] * v[1] for v in per_source.values()) / n
    mean_out = sum(v[0] * v[2] for v in per_source.values()) / n
    return mean_in - mean_out, n, mean_in, mean_out
