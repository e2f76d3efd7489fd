"""Benchmark: the expected-cooperation model on the whole COW system (issue 5).

Run: python benchmarks/expected.py   (prints rows, median seconds and peak MB per case)

(a) design frame, atop_defense, undirected COW 1946-2014 (panel + six measures);
(b) (a) then the clustered logit, split 2000;
(c) (a) then gradient boosting, split 2000.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _measure import measure, print_row

YEARS = range(1946, 2015)


def case_frame() -> int:
    from allegiance.inputs.expected import design_frame

    return design_frame("atop_defense", YEARS).height


def _fit(estimator: str) -> int:
    from allegiance.inputs.expected import DEFAULT_FORMULA, design_frame
    from allegiance.models.expected import ExpectedCooperation

    frame = design_frame("atop_defense", YEARS)
    model = ExpectedCooperation(
        formula=DEFAULT_FORMULA, estimator=estimator, split=2000, random_state=0
    ).fit(frame)
    return model.n_train_ + model.n_test_


def case_logit() -> int:
    return _fit("logit")


def case_gbm() -> int:
    return _fit("gbm")


def main() -> None:
    print_row("(a) design frame atop_defense 1946-2014", measure(case_frame, repeat=1))
    print_row("(b) frame + clustered logit", measure(case_logit, repeat=1))
    print_row("(c) frame + gradient boosting", measure(case_gbm, repeat=1))


if __name__ == "__main__":
    main()
