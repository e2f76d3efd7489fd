"""Study files: TOML validated with pydantic; every error names the file, line and key."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from allegiance.errors import ParameterError
from allegiance.params import MAX_DRAWS, parse_count, parse_seed
from allegiance.userfiles import confined, read_toml

__all__ = ["BUNDLED_STUDIES", "Claim", "StudySpec", "bundled_study", "load_study"]

BUNDLED_STUDIES = Path(__file__).resolve().parent.parent / "studies"


class Claim(BaseModel):
    """One claim to audit: our own statement, the evidence kind, its parameters and thresholds.

    ``kind`` names an evidence function in :data:`allegiance.study.evidence.KINDS`; ``params``
    say what to compute (states, years, measures) and ``thresholds`` how the comparison that
    decides the verdict is read. Each kind documents both. A threshold that departs from the
    kind's default needs its reason in ``why`` (``why = { support_share = "..." }``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    statement: str = Field(min_length=10)
    kind: str
    params: dict[str, Any] = Field(default_factory=dict)
    thresholds: dict[str, float] = Field(default_factory=dict)
    why: dict[str, str] = Field(default_factory=dict)

    @field_validator("thresholds")
    @classmethod
    def _finite(cls, value: dict[str, float]) -> dict[str, float]:
        bad = next((k for k, v in value.items() if not math.isfinite(v)), None)
        if bad is not None:
            raise ValueError(f"the threshold {bad!r} must be a finite number; got {value[bad]}")
        return value


class StudySpec(BaseModel):
    """A study: title, actors, years and the claims to audit."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=3)
    description: str = ""
    actors: dict[str, int | str]
    years: str = Field(pattern=r"^\d{4}-\d{4}$")
    claims: list[Claim] = Field(min_length=1)

    @field_validator("years")
    @classmethod
    def _ordered_years(cls, value: str) -> str:
        first, last = (int(y) for y in value.split("-"))
        if last < first:
            raise ValueError(f"years must run from an earlier to a later year; got {value}")
        if first < 1816:
            raise ValueError(f"years must start in 1816 or later (the COW system); got {value}")
        return value

    @field_validator("actors")
    @classmethod
    def _two_actors(cls, value: dict[str, int | str]) -> dict[str, int | str]:
        if len(value) < 2:
            raise ValueError("a study needs at least two actors")
        return value

    @property
    def year_range(self) -> range:
        first, last = (int(y) for y in self.years.split("-"))
        return range(first, last + 1)


def _line_of(text: str, loc: tuple[int | str, ...]) -> int | None:
    """Best-effort line number of a key path in TOML text (tomllib keeps no positions)."""
    lines = text.splitlines()
    start = 0
    if loc and loc[0] == "claims" and len(loc) > 1 and isinstance(loc[1], int):
        headers = [i for i, ln in enumerate(lines) if ln.strip() == "[[claims]]"]
        if loc[1] < len(headers):
            start = headers[loc[1]]
        loc = loc[2:]
    key = next((str(k) for k in reversed(loc) if isinstance(k, str)), None)
    if key is None:
        return start + 1
    pattern = re.compile(rf"^\s*(\[)?{re.escape(key)}\b")
    for i in range(start, len(lines)):
        if pattern.match(lines[i]):
            return i + 1
    return start + 1 if start else None


def _where(path: Path, text: str, loc: tuple[int | str, ...]) -> str:
    key = ".".join(str(k) for k in loc) or "(top level)"
    line = _line_of(text, loc)
    return f"{path}:{line}: {key}" if line else f"{path}: {key}"


def load_study(path: Path) -> StudySpec:
    """Read and validate a study file; ParameterError naming file, line and key on any error."""
    text, raw = read_toml(path, "study file")
    try:
        spec = StudySpec.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        # union members (int, str, ...) appear in pydantic locations; they are not keys
        loc = tuple(k for k in err["loc"] if k not in ("int", "str", "float", "bool"))
        msg = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
        raise ParameterError(f"{_where(path, text, loc)}: {msg}.") from None
    return _check_semantics(path, text, spec)


def _check_semantics(path: Path, text: str, spec: StudySpec) -> StudySpec:
    """Actors must resolve to COW codes; claim kinds must exist; claim ids must be unique;
    files a claim names resolve inside the study's folder or the package (see
    :func:`_resolve_files`)."""
    from allegiance.data.codes import to_ccode
    from allegiance.errors import UnknownCodeError
    from allegiance.study.evidence import KINDS

    for label, actor in spec.actors.items():
        try:
            to_ccode(actor)
        except UnknownCodeError as exc:
            raise ParameterError(f"{_where(path, text, ('actors', label))}: {exc}") from None
    seen: set[str] = set()
    claims = []
    for i, claim in enumerate(spec.claims):
        if claim.kind not in KINDS:
            raise ParameterError(
                f"{_where(path, text, ('claims', i, 'kind'))}: unknown claim kind "
                f"{claim.kind!r}. Valid kinds: {', '.join(sorted(KINDS))}."
            )
        _check_params(path, text, i, claim, KINDS[claim.kind])
        if claim.id in seen:
            raise ParameterError(
                f"{_where(path, text, ('claims', i, 'id'))}: duplicate claim id {claim.id!r}."
            )
        seen.add(claim.id)
        claims.append(_resolve_files(path, text, i, claim, KINDS[claim.kind]))
    return spec.model_copy(update={"claims": claims})


def _resolve_files(path: Path, text: str, i: int, claim: Claim, kind: Any) -> Claim:
    """Params naming files: a name the package ships (``baseline``) stays a name; any other
    value is a path relative to the study file's folder that must stay inside it (or inside
    the shipped folder), and becomes that absolute path. Files are read as data, never run."""
    params = dict(claim.params)
    for key, shipped in kind.files.items():
        if key not in params:
            continue
        values = params[key] if isinstance(params[key], list) else [params[key]]
        resolved = []
        for value in values:
            if not isinstance(value, str) or not value.strip():
                where = _where(path, text, ("claims", i, "params", key))
                raise ParameterError(f"{where}: {key!r} must name files. Got {value!r}.")
            if (shipped / f"{value}.toml").is_file():
                resolved.append(value)
                continue
            try:
                resolved.append(str(confined(value, path.parent, (shipped,))))
            except ParameterError as exc:
                raise ParameterError(
                    f"{_where(path, text, ('claims', i, 'params', key))}: {exc}"
                ) from None
        params[key] = resolved if isinstance(params[key], list) else resolved[0]
    return claim.model_copy(update={"params": params})


def _check_params(path: Path, text: str, i: int, claim: Claim, kind: Any) -> None:
    """A claim's params must be the ones its kind takes, with arrays where arrays are due."""
    where = _where(path, text, ("claims", i, "params"))
    missing = [k for k in kind.required if k not in claim.params]
    if missing:
        raise ParameterError(f"{where}: the kind {claim.kind!r} needs {missing[0]!r}.")
    allowed = (*kind.required, *kind.optional)
    unknown = [k for k in claim.params if k not in allowed]
    if unknown:
        raise ParameterError(
            f"{where}: unknown parameter {unknown[0]!r} for kind {claim.kind!r}. "
            f"Its parameters: {', '.join(allowed)}."
        )
    for key in kind.lists:
        if key in claim.params and not isinstance(claim.params[key], list):
            raise ParameterError(f"{where}: {key!r} must be an array, e.g. {key} = [...].")
    for key, value in claim.params.items():
        _check_value(_where(path, text, ("claims", i, "params", key)), key, value)
    _check_thresholds(path, text, i, claim, kind)


#: Params that count work, with the most a study file may ask for.
_COUNTS = {"draws": MAX_DRAWS, "n_draws": 10_000, "permutations": 100_000, "window": 240}


def _check_value(where: str, key: str, value: Any) -> None:
    """Numbers are finite; counts are whole numbers within their maximum; seeds are seeds."""
    numbers = value if isinstance(value, list) else [value]
    bad = next((v for v in numbers if isinstance(v, float) and not math.isfinite(v)), None)
    if bad is not None:
        raise ParameterError(f"{where}: must be a finite number. Got {bad}.")
    try:
        if key in _COUNTS:
            parse_count(value, key, _COUNTS[key])
        elif key == "seed":
            parse_seed(value, key)
    except ParameterError as exc:  # "The 'draws' parameter must ..." -> "must ..."
        raise ParameterError(f"{where}: {str(exc).split(' parameter ', 1)[-1]}") from None


def _check_thresholds(path: Path, text: str, i: int, claim: Claim, kind: Any) -> None:
    """Thresholds must be the kind's; one that departs from the default says why."""
    where = _where(path, text, ("claims", i, "thresholds"))
    defaults = kind.defaults()
    unknown = [k for k in claim.thresholds if k not in defaults]
    if unknown:
        valid = ", ".join(defaults) or "none"
        raise ParameterError(
            f"{where}: unknown threshold {unknown[0]!r} for kind {claim.kind!r}. Its "
            f"thresholds: {valid}."
        )
    for name, value in claim.thresholds.items():
        if value != defaults[name] and not claim.why.get(name, "").strip():
            raise ParameterError(
                f"{where}: {name} = {value:g} departs from the kind's default "
                f'{defaults[name]:g}; say why in the claim: why = {{ {name} = "..." }}.'
            )
    stray = [k for k in claim.why if k not in claim.thresholds]
    if stray:
        raise ParameterError(
            f"{_where(path, text, ('claims', i, 'why'))}: {stray[0]!r} explains no threshold "
            "of this claim."
        )


def bundled_study(name: str = "northeast_asia") -> Path:
    """Path of a study file shipped with the package."""
    path = BUNDLED_STUDIES / f"{name}.toml"
    if not path.exists():
        names = ", ".join(sorted(p.stem for p in BUNDLED_STUDIES.glob("*.toml")))
        raise ParameterError(f"No bundled study named {name!r}. Bundled studies: {names}.")
    return path
