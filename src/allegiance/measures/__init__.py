"""Measures of alignment: similarity, affinity, threat, animosity, culture, commitment, power.

The measure modules are listed once, below; importing this package registers every measure in
:data:`MEASURES`. Each measure is computed by name with :func:`compute` (for years and dyads or
a region) or added to a panel by its panel form ``add_<name>``.
"""

# isort: off
from allegiance.measures import (  # noqa: F401  (each registers its measures, in this order)
    similarity,
    affinity,
    threat,
    animosity,
    culture,
    commitment,
    capability,
    relations,
)

# isort: on
from allegiance.measures.affinity import agreement, vote_kappa, vote_sscore, vote_table
from allegiance.measures.registry import MEASURES, Scope, compute, get_measure, panel_step
from allegiance.measures.similarity import cohens_kappa, s_score, scotts_pi, tau_b

add_sscore = panel_step("sscore")
add_pi = panel_step("pi")
add_kappa = panel_step("kappa")
add_taub = panel_step("taub")
add_un_agreement = panel_step("un_agreement")
add_un_kappa = panel_step("un_kappa")
add_idealpoint_distance = panel_step("idealpoint_distance")
add_common_rivals = panel_step("common_rivals")
add_common_opponents = panel_step("common_opponents")
add_third_party_threat = panel_step("third_party_threat")
add_animosity = panel_step("animosity")
add_religion_similarity = panel_step("religion_similarity")
add_common_language = panel_step("common_language")
add_us_commitment = panel_step("us_commitment")
add_capability_ratio = panel_step("capability_ratio")
add_relations = panel_step("relations")

__all__ = [
    "MEASURES",
    "Scope",
    "add_animosity",
    "add_capability_ratio",
    "add_common_language",
    "add_common_opponents",
    "add_common_rivals",
    "add_idealpoint_distance",
    "add_kappa",
    "add_pi",
    "add_relations",
    "add_religion_similarity",
    "add_sscore",
    "add_taub",
    "add_third_party_threat",
    "add_un_agreement",
    "add_un_kappa",
    "add_us_commitment",
    "agreement",
    "cohens_kappa",
    "compute",
    "get_measure",
    "panel_step",
    "s_score",
    "scotts_pi",
    "tau_b",
    "vote_kappa",
    "vote_sscore",
    "vote_table",
]
