"""No reference is typed twice: docstrings cite ``[key]_`` and their sections are rendered.

Every ``References`` section in the package is rendered from ``references.bib`` by
:mod:`allegiance.references` (through the registries or ``@cites``); no source file types a
reference by hand, every cited key is in the bibliography, and every key of the
bibliography is cited somewhere (by a dataset of the catalog, a registry or a docstring).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import allegiance
from allegiance.data.catalog import datasets
from allegiance.references import bib_entries, cites, format_reference, with_references

SRC = Path(allegiance.__file__).resolve().parent
_TYPED = re.compile(r"^\s*\.\. \[[^\]]+\]", re.MULTILINE)
_CITED = re.compile(r"\[([A-Za-z][\w-]*)\]_")
_LITERAL = re.compile(r"``.*?``", re.DOTALL)
_ENTRY = re.compile(
    r"^(?P<indent>[ \t]*)\.\. \[(?P<key>[^\]]+)\] (?P<text>.*(?:\n(?P=indent)   \S.*)*)",
    re.MULTILINE,
)


def typed_references(source: str) -> list[str]:
    """Lines of ``source`` (a module's text) that type a reference by hand."""
    return [m.group(0).strip() for m in _TYPED.finditer(source)]


def citation_problems(doc: str) -> list[str]:
    """What is wrong with the citations of one (rendered) docstring; empty if nothing."""
    bib = bib_entries()
    problems = []
    rendered = {}
    for m in _ENTRY.finditer(doc):
        key, text = m.group("key"), " ".join(m.group("text").split())
        if key not in bib:
            problems.append(f"reference [{key}] is not a key of references.bib")
        elif text != format_reference(key):
            problems.append(f"reference [{key}] is typed, not rendered from references.bib")
        rendered[key] = True
    for key in cited_keys(doc):
        if key not in bib:
            problems.append(f"[{key}]_ is cited but not in references.bib")
        elif key not in rendered:
            problems.append(f"[{key}]_ is cited but the References section does not list it")
    return problems


def cited_keys(doc: str) -> list[str]:
    """Keys cited as ``[key]_`` in ``doc``, outside inline literals."""
    return _CITED.findall(_LITERAL.sub("", doc))


def _package_modules() -> Iterator[object]:
    yield allegiance
    for info in pkgutil.walk_packages(allegiance.__path__, "allegiance."):
        if info.name.endswith("__main__"):
            continue
        yield importlib.import_module(info.name)


def package_docstrings() -> dict[str, str]:
    """Every docstring of the package's modules, classes, functions and methods, by name."""
    docs: dict[str, str] = {}
    for module in _package_modules():
        name = module.__name__  # type: ignore[attr-defined]
        if module.__doc__:
            docs[name] = module.__doc__
        for attr, obj in vars(module).items():
            if getattr(obj, "__module__", None) != name or not (
                inspect.isclass(obj) or inspect.isfunction(obj)
            ):
                continue
            if obj.__doc__:
                docs[f"{name}.{attr}"] = obj.__doc__
            if inspect.isclass(obj):
                for meth, fn in vars(obj).items():
                    if inspect.isfunction(fn) and fn.__doc__:
                        docs[f"{name}.{attr}.{meth}"] = fn.__doc__
    return docs


# --------------------------------------------------------------------------- the checks


def test_no_source_file_types_a_reference() -> None:
    typed = {
        str(path.relative_to(SRC)): found
        for path in sorted(SRC.rglob("*.py"))
        if path.name != "references.py"
        and (found := typed_references(path.read_text(encoding="utf-8")))
    }
    assert typed == {}, "cite [key]_ and render the section from references.bib instead"


def test_every_docstring_cites_rendered_references_only() -> None:
    problems = {
        name: p for name, doc in package_docstrings().items() if (p := citation_problems(doc))
    }
    assert problems == {}


def test_every_key_of_the_bibliography_is_cited() -> None:
    from allegiance.measures import MEASURES
    from allegiance.models import MODELS

    used = {k for ds in datasets().values() for k in ds.citation_keys}
    used |= {k for m in MEASURES.values() for k in m.citations}
    used |= {k for m in MODELS.values() for k in m.meta.citations}
    for doc in package_docstrings().values():
        used |= set(cited_keys(doc))
    assert sorted(set(bib_entries()) - used) == []


def test_registries_render_their_citations() -> None:
    from allegiance.measures import MEASURES
    from allegiance.models import MODELS
    from allegiance.panel import FAMILIES
    from allegiance.panel.steps import family_citations

    for m in MEASURES.values():
        assert all(f".. [{k}]" in (m.func.__doc__ or "") for k in m.citations), m.name
    for cls in MODELS.values():
        assert all(f".. [{k}]" in (cls.__doc__ or "") for k in cls.meta.citations), cls
    for fam in FAMILIES.values():
        keys = family_citations(fam.variables)
        assert all(f".. [{k}]" in (fam.step.__doc__ or "") for k in keys), fam.name


# --------------------------------------------------------------------------- the checkers fail


def test_typed_reference_is_found() -> None:
    source = 'def f():\n    """Doc.\n\n    References\n    ----------\n    .. [1] Leeds 2002."""\n'
    assert typed_references(source) == [".. [1]"]


@pytest.mark.parametrize(
    ("doc", "problem"),
    [
        ("Uses [nobody1900]_.", "[nobody1900]_ is cited but not in references.bib"),
        ("Uses [leeds2002]_.", "[leeds2002]_ is cited but the References section does not list it"),
        ("X.\n\n    References\n    ----------\n    .. [leeds2002] Leeds et al. 2002.\n",
         "reference [leeds2002] is typed, not rendered from references.bib"),
    ],
)  # fmt: skip
def test_citation_problems_are_found(doc: str, problem: str) -> None:
    assert citation_problems(doc) == [problem]


def test_rendered_docstring_passes() -> None:
    @cites("leeds2002", "signorino1999")
    def f() -> None:
        """Portfolio similarity [signorino1999]_ on ATOP [leeds2002]_.

        Examples
        --------
        >>> 1
        1
        """

    assert citation_problems(f.__doc__ or "") == []
    assert (f.__doc__ or "").index("References") < (f.__doc__ or "").index("Examples")
    assert with_references("Doc.", []) == "Doc."
