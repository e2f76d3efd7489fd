"""Right-hand-side formulas read as data: a small grammar checked before anything is evaluated.

A formula names predictors, never code. It is tokenized and parsed here, and refused unless it
is built only from

- column names of the frame, joined by ``+`` (add), ``-`` (remove), ``:`` (interaction) and
  ``*`` (both main effects and their interaction), with parentheses and ``**`` followed by a
  whole number (all interactions up to that order);
- ``0`` or ``1`` as terms (no intercept, intercept);
- the transforms ``np.log``, ``np.log1p``, ``np.sqrt``, ``np.exp`` and ``I(...)``, whose
  argument is arithmetic (``+ - * / **``, parentheses, numbers) on column names.

Anything else (attribute access, other calls, imports, lambdas, strings, dunder names, an
outcome with ``~``) is one clear error. Only a formula that passes is handed to the formula
engine (formulaic), so no user text is ever evaluated as Python.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from allegiance.errors import ParameterError

__all__ = ["TRANSFORMS", "parse_formula"]

#: The transforms a formula may call.
TRANSFORMS = ("np.log", "np.log1p", "np.sqrt", "np.exp", "I")
_TOKEN = re.compile(
    r"\s*(?:(?P<number>\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_.]*)"
    r"|(?P<op>\*\*|[-+*/:()]))"
)
_MAX_LENGTH = 2000


@dataclass
class _Tokens:
    items: list[tuple[str, str]]
    text: str
    pos: int = 0

    def peek(self) -> tuple[str, str] | None:
        return self.items[self.pos] if self.pos < len(self.items) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise _error(self.text, "it ends too early")
        self.pos += 1
        return token

    def expect(self, op: str) -> None:
        kind, value = self.take()
        if (kind, value) != ("op", op):
            raise _error(self.text, f"expected {op!r}, got {value!r}")


def _error(formula: str, reason: str) -> ParameterError:
    shown = formula if len(formula) <= 80 else formula[:77] + "..."
    return ParameterError(f"The formula {shown!r} cannot be parsed: {reason}.")


def parse_formula(formula: str, columns: Sequence[str]) -> list[str]:
    """The columns a right-hand-side formula uses, after checking it against the grammar.

    Raises ParameterError (one line) for anything outside the grammar of the module
    docstring, or for a name that is not a column.

    >>> parse_formula("a + np.log(b) + a:c", ["a", "b", "c"])
    ['a', 'b', 'c']
    >>> parse_formula("a + __import__('os')", ["a"])
    Traceback (most recent call last):
    ...
    allegiance.errors.ParameterError: The formula "a + __import__('os')" cannot be parsed: ...
    """
    if not isinstance(formula, str) or not formula.strip():
        raise ParameterError(
            "The formula is empty: give predictors such as 'log_capdist + contiguity'."
        )
    if "~" in formula:
        raise ParameterError(
            "The formula gives only the predictors (e.g. 'log_capdist + contiguity'); the "
            f"outcome is chosen separately. Got {formula[:80]!r}."
        )
    if len(formula) > _MAX_LENGTH:
        raise _error(formula, f"it is longer than {_MAX_LENGTH} characters")
    tokens = _Tokens(_tokenize(formula), formula)
    names: set[str] = set()
    _sum(tokens, names)
    if tokens.peek() is not None:
        raise _error(formula, f"unexpected {tokens.peek()[1]!r}")  # type: ignore[index]
    known = set(columns)
    unknown = sorted(n for n in names if n not in known)
    if unknown:
        raise ParameterError(
            f"The formula term {unknown[0]!r} is not a column of the design frame. "
            "Predictors: see allegiance.inputs.expected.PREDICTORS (e.g. log_capdist)."
        )
    return sorted(names)


def _tokenize(formula: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    while pos < len(formula):
        if formula[pos:].strip() == "":
            break
        match = _TOKEN.match(formula, pos)
        if match is None or match.end() == pos:
            bad = formula[pos:].lstrip()[:1]
            raise _error(formula, f"{bad!r} is not allowed (only column names, + - : * ** "
                         "( ), numbers and np.log, np.log1p, np.sqrt, np.exp, I(...))")  # fmt: skip
        kind = match.lastgroup or ""
        out.append((kind, match.group(kind)))
        pos = match.end()
    return out


def _sum(tokens: _Tokens, names: set[str]) -> None:
    """terms joined by ``+`` and ``-``."""
    _product(tokens, names)
    while (t := tokens.peek()) is not None and t in (("op", "+"), ("op", "-")):
        tokens.take()
        _product(tokens, names)


def _product(tokens: _Tokens, names: set[str]) -> None:
    """factors joined by ``:`` and ``*``, each optionally raised to a whole power."""
    _power(tokens, names)
    while (t := tokens.peek()) is not None and t in (("op", ":"), ("op", "*")):
        tokens.take()
        _power(tokens, names)


def _power(tokens: _Tokens, names: set[str]) -> None:
    _atom(tokens, names)
    if tokens.peek() == ("op", "**"):
        tokens.take()
        kind, value = tokens.take()
        if kind != "number" or not value.isdigit():
            raise _error(tokens.text, "'**' must be followed by a whole number")


def _atom(tokens: _Tokens, names: set[str]) -> None:
    kind, value = tokens.take()
    if kind == "number":
        if value not in ("0", "1"):
            raise _error(tokens.text, f"a term cannot be the number {value}; use I(...)")
        return
    if kind == "op":
        if value != "(":
            raise _error(tokens.text, f"unexpected {value!r}")
        _sum(tokens, names)
        tokens.expect(")")
        return
    if tokens.peek() == ("op", "("):
        _call(tokens, names, value)
        return
    _column(tokens.text, value, names)


def _call(tokens: _Tokens, names: set[str], func: str) -> None:
    if func not in TRANSFORMS:
        raise _error(tokens.text, f"{func}(...) is not an allowed transform (allowed: "
                     f"{', '.join(TRANSFORMS)})")  # fmt: skip
    tokens.expect("(")
    _arith(tokens, names)
    tokens.expect(")")


def _arith(tokens: _Tokens, names: set[str]) -> None:
    """Arithmetic on columns and numbers inside a transform: ``+ - * / **``, parentheses."""
    _arith_term(tokens, names)
    while (t := tokens.peek()) is not None and t in (("op", "+"), ("op", "-")):
        tokens.take()
        _arith_term(tokens, names)


def _arith_term(tokens: _Tokens, names: set[str]) -> None:
    _arith_factor(tokens, names)
    while (t := tokens.peek()) is not None and t in (("op", "*"), ("op", "/"), ("op", "**")):
        tokens.take()
        _arith_factor(tokens, names)


def _arith_factor(tokens: _Tokens, names: set[str]) -> None:
    kind, value = tokens.take()
    if (kind, value) == ("op", "-"):
        _arith_factor(tokens, names)
    elif (kind, value) == ("op", "("):
        _arith(tokens, names)
        tokens.expect(")")
    elif kind == "number":
        return
    elif kind == "name" and tokens.peek() == ("op", "("):
        _call(tokens, names, value)
    elif kind == "name":
        _column(tokens.text, value, names)
    else:
        raise _error(tokens.text, f"unexpected {value!r}")


def _column(formula: str, name: str, names: set[str]) -> None:
    if "." in name or name.startswith("_"):
        raise _error(formula, f"{name!r} is not a column name (no attributes, no dunder names)")
    names.add(name)
