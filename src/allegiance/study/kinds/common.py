"""What the evidence kinds share: actor labels, number formats, paired tests over time."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import polars as pl

from allegiance.study.evidence import resolve_actor

if TYPE_CHECKING:
    import numpy as np

__all__ = ["change_point", "fmt", "label", "paired_comparison", "sign_test"]


def label(actors: dict[str, int | str], code: int) -> str:
    """The study's label of a state (its COW code when the study does not name it)."""
    for name in actors:
        if resolve_actor(actors, name) == code:
            return name
    return str(code)


def fmt(value: float | None, digits: int = 3) -> str:
    """A number for a sentence; ``n/a`` for a missing one."""
    return "n/a" if value is None or (isinstance(value, float) and math.isnan(value)) else (
        f"{value:.{digits}f}")  # fmt: skip


def sign_test(n_plus: int, n_minus: int) -> float:
    r"""One-sided sign test: :math:`P(X \ge n_+)` for :math:`X \sim \mathrm{Bin}(n_+ + n_-, 1/2)`.

    The probability, if positive and negative differences were equally likely, of at least
    as many positive ones; ties are dropped before (they carry no sign).

    >>> round(sign_test(8, 2), 4)
    0.0547
    >>> sign_test(0, 0)
    1.0
    """
    n = n_plus + n_minus
    if n == 0:
        return 1.0
    return float(sum(math.comb(n, k) for k in range(n_plus, n + 1)) / 2**n)


def change_point(values: np.ndarray) -> int | None:
    r"""The split of a series that best separates two means (least squares), or None.

    Returns :math:`k` minimizing :math:`\sum_{t<k} (d_t - \bar d_{<k})^2 + \sum_{t \ge k}
    (d_t - \bar d_{\ge k})^2` with at least three values on each side.

    >>> import numpy as np
    >>> change_point(np.array([0.0, 0.1, -0.1, 0.0, 2.0, 2.1, 1.9, 2.0]))
    4
    """
    import numpy as np

    n = len(values)
    if n < 6:
        return None
    costs = [((values[:k] - values[:k].mean()) ** 2).sum()
             + ((values[k:] - values[k:].mean()) ** 2).sum() for k in range(3, n - 2)]  # fmt: skip
    return int(np.argmin(costs)) + 3


def paired_comparison(years: list[int], diff: list[float]) -> dict[str, Any]:
    """Year-by-year comparison of two dyads on one indicator, oriented so that a positive
    difference points the claimed way: counts, sign tests both ways, means by half and around
    the detected change point."""
    import numpy as np

    d = np.asarray(diff, dtype=float)
    y = np.asarray(years)
    n_plus, n_minus = int((d > 0).sum()), int((d < 0).sum())
    half = len(d) // 2
    k = change_point(d)
    return {
        "years": len(d),
        "first_year": int(y.min()) if len(y) else None,
        "last_year": int(y.max()) if len(y) else None,
        "n_claimed": n_plus,
        "n_against": n_minus,
        "n_ties": len(d) - n_plus - n_minus,
        "p_claimed": sign_test(n_plus, n_minus),
        "p_against": sign_test(n_minus, n_plus),
        "mean_difference": float(d.mean()) if len(d) else None,
        "first_half_mean": float(d[:half].mean()) if half else None,
        "second_half_mean": float(d[half:].mean()) if len(d) - half else None,
        "change_year": int(y[k]) if k is not None else None,
        "before_change_mean": float(d[:k].mean()) if k is not None else None,
        "after_change_mean": float(d[k:].mean()) if k is not None else None,
    }


def years_table(frame: pl.DataFrame) -> list[int]:
    """The years of a frame as a plain list."""
    return [int(v) for v in frame["year"].to_list()]
