"""Studies: claims audited against the data, end to end, and the overview of the flagship region.

The evidence-kind modules are listed once, below; importing this package registers every kind
in :data:`~allegiance.study.evidence.KINDS`.
"""

# isort: off
from allegiance.study.kinds import (  # noqa: F401  (each registers its kind, in this order)
    expected,
    threat,
    territory,
    leverage,
    quasi,
    landscape,
    scenario,
)

# isort: on
from allegiance.study.evidence import KINDS, Evidence
from allegiance.study.runner import StudyResult, claims_table, run_study
from allegiance.study.spec import StudySpec, bundled_study, load_study

__all__ = [
    "KINDS",
    "Evidence",
    "StudyResult",
    "StudySpec",
    "bundled_study",
    "claims_table",
    "load_study",
    "run_study",
]
