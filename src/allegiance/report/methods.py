"""Docstrings as HTML for the report's Methods section: reST to HTML, formulas as MathML.

Offline and without JavaScript: docutils parses the numpydoc reST and writes HTML5, with
``.. math::`` blocks and ``:math:`` roles converted to MathML by docutils itself. Sphinx's
cross-reference roles (``:func:``, ``:class:``, ...) are shown as code, their target's last
name (as Sphinx shows ``~``-prefixed targets).
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from typing import Any

from docutils import nodes
from docutils.core import publish_parts
from docutils.parsers.rst import roles
from docutils.writers.html5_polyglot import Writer

__all__ = ["render_doc"]

_XREF_ROLES = ("func", "class", "meth", "attr", "data", "mod", "obj", "exc", "const", "ref")
_SETTINGS = {
    "math_output": "MathML",
    "doctitle_xform": False,  # numpydoc section titles stay sections, not the page title
    "sectsubtitle_xform": False,
    "initial_header_level": 4,  # under the report's <h3> per evidence kind
    "report_level": 5,  # no parser messages in the report ...
    "halt_level": 5,  # ... and none raised: a docstring never breaks the report
    "raw_enabled": False,
    "file_insertion_enabled": False,
    "embed_stylesheet": False,
    "footnote_references": "superscript",
    "_disable_config": True,
}


def _xref(
    name: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: Any,
    options: Mapping[str, Any] | None = None,
    content: Sequence[str] = (),
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    target = text.strip().lstrip("~!")
    if text.strip().startswith("~"):
        target = target.rsplit(".", 1)[-1]
    return [nodes.literal(rawtext, target)], []


for _role in _XREF_ROLES:
    roles.register_local_role(_role, _xref)


def render_doc(doc: str) -> str:
    """A docstring (numpydoc reST) as an HTML fragment, its formulas in MathML.

    Parameters
    ----------
    doc : str
        The docstring, indented as Python stores it or already dedented.

    Returns
    -------
    str
        The HTML body (no ``<html>``, stylesheet or script); ``.. math::`` and ``:math:``
        become ``<math>`` elements.

    Examples
    --------
    >>> html = render_doc("Mean :math:`\\\\bar x`.\\n\\n.. math::\\n\\n   y = x^2\\n")
    >>> "<math" in html and ".. math::" not in html
    True
    """
    source = inspect.cleandoc(doc)
    parts = publish_parts(source=source, writer=Writer(), settings_overrides=_SETTINGS)
    return str(parts["body"])
