"""The report's Methods section: docstrings as formatted HTML, formulas in MathML, offline."""

from __future__ import annotations

import re

from allegiance.models import MODELS
from allegiance.report.html import _bibtex
from allegiance.report.methods import render_doc
from allegiance.study.evidence import KINDS


def test_a_kind_docstring_is_formatted_not_raw() -> None:
    doc = KINDS["quasi_alliance"].doc
    assert "``" in doc and ":func:`" in doc  # the raw reST the report used to show
    html = render_doc(doc)
    assert html.startswith("<p>")
    assert '<span class="docutils literal">patron</span>' in html
    assert "``" not in html and ":func:" not in html
    assert "run_quasi</span>" in html  # a cross-reference shown as code


def test_formulas_are_typeset_in_mathml() -> None:
    doc = MODELS["landscape"].__doc__ or ""
    assert ".. math::" in doc and ":math:`" in doc
    html = render_doc(doc)
    assert html.count("<math") == len(re.findall(r"\.\. math::|:math:`", doc))
    assert ".. math::" not in html and ":math:" not in html
    assert 'display="block"' in html  # the ``.. math::`` blocks


def test_rendering_is_offline_and_scriptless() -> None:
    html = render_doc(MODELS["expected"].__doc__ or "")
    assert "<script" not in html and "<link" not in html and "<style" not in html
    assert not re.search(r"\bsrc=", html)  # nothing is fetched: no images, no scripts


def test_a_broken_docstring_never_breaks_the_report() -> None:
    html = render_doc("Unclosed ``literal and an unknown :role:`x` and .. math::\n")
    assert "system-message" not in html and html


def test_report_bibtex_lists_each_key_once() -> None:
    # Many datasets cite the same works (cow2017 for the state list, capitals, majors, ...).
    from allegiance.data.bundle import table_names

    text = _bibtex(set(table_names()))
    keys = re.findall(r"^@\w+\{([^,]+),", text, flags=re.MULTILINE)
    assert keys and len(keys) == len(set(keys))
    assert "cow2017" in keys
