"""The package's references, read from ``references.bib`` and rendered into docstrings.

No reference is typed twice: a docstring cites works by their citation key and its
``References`` section is rendered from ``references.bib`` when the module is imported, either
from a registry's citations (measures, models, panel families through their datasets,
evidence kinds) or with the :func:`cites` decorator. In the text a work is cited as
``[leeds2002]_``; the section lists ``.. [leeds2002] Leeds, Brett Ashley, ... 2002. ...``.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import TypeVar

__all__ = ["REFERENCES_FILE", "bib_entries", "cites", "format_reference", "with_references"]

REFERENCES_FILE = Path(__file__).resolve().parent / "references.bib"

_ENTRY_START = re.compile(r"^@(?P<type>[A-Za-z]+)\s*\{\s*(?P<key>[^,\s]+)\s*,", re.MULTILINE)
_NON_ENTRIES = frozenset({"comment", "string", "preamble"})
_FIELD = re.compile(r"(?P<name>[A-Za-z]+)\s*=\s*")
_SECTION = re.compile(r"\n(?P<indent>[ \t]*)References\n[ \t]*-{10}\n")

T = TypeVar("T")


@cache
def bib_entries() -> dict[str, tuple[str, str]]:
    """Every entry of ``references.bib`` by key: ``(entry type, full entry text)``.

    ``@comment``, ``@string`` and ``@preamble`` blocks are skipped; a key defined twice or an
    entry whose braces do not balance raises ValueError.

    >>> bib_entries()["leeds2002"][0]
    'article'
    """
    text = REFERENCES_FILE.read_text(encoding="utf-8")
    entries: dict[str, tuple[str, str]] = {}
    for match in _ENTRY_START.finditer(text):
        kind = match.group("type").lower()
        if kind in _NON_ENTRIES:
            continue
        key = match.group("key")
        end = closing_brace(text, text.index("{", match.start()))
        if key in entries:
            raise ValueError(f"references.bib defines {key!r} twice.")
        entries[key] = (kind, text[match.start() : end + 1])
    return entries


def closing_brace(text: str, opening: int) -> int:
    """Index of the brace that closes the one at ``opening`` (BibTeX braces nest)."""
    depth = 0
    for i in range(opening, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    line = text.count("\n", 0, opening) + 1
    raise ValueError(f"references.bib: unbalanced braces in the entry starting on line {line}.")


@cache
def _fields(key: str) -> dict[str, str]:
    """The fields of entry ``key``, braces and ``--`` turned into plain text."""
    body = bib_entries()[key][1]
    body = body[body.index(",") + 1 : body.rindex("}")]
    out: dict[str, str] = {}
    pos = 0
    while (m := _FIELD.search(body, pos)) is not None:
        start = m.end()
        if body[start] == "{":
            end = closing_brace(body, start)
            value, pos = body[start + 1 : end], end + 1
        else:
            end = body.find(",", start)
            end = len(body) if end < 0 else end
            value, pos = body[start:end].strip().strip('"'), end
        out[m.group("name").lower()] = _plain(value)
    return out


_ACCENTS = {'\\"u': "ü", '\\"a': "ä", '\\"o': "ö", "\\'e": "é", "\\'a": "á", "\\cs": "ş",
             "\\_": "_", "\\&": "&", "--": "-", "``": "“", "''": "”"}  # fmt: skip


def _plain(value: str) -> str:
    text = value.replace("{", "").replace("}", "")
    for macro, char in _ACCENTS.items():
        text = text.replace(macro, char)
    return " ".join(text.split())


def _authors(names: str, *, invert_first: bool = True) -> str:
    """``Leeds, Brett Ashley and Ritter, Jeffrey M.`` -> ``Leeds, Brett Ashley, and Jeffrey
    M. Ritter`` (the first author surname first, the others in natural order)."""
    people = [p.strip() for p in names.split(" and ") if p.strip()]
    shown = []
    for i, person in enumerate(people):
        last, _, first = person.partition(",")
        keep = (i == 0 and invert_first) or not first
        shown.append(person if keep else f"{first.strip()} {last.strip()}")
    if len(shown) <= 2:
        return " and ".join(shown)
    return ", ".join(shown[:-1]) + ", and " + shown[-1]


def format_reference(key: str) -> str:
    """One reference in the package's style, from its BibTeX entry.

    >>> format_reference("gleditsch1999")
    'Gleditsch, Kristian S. and Michael D. Ward. 1999. "Interstate System Membership: A \
Revised List of the Independent States since 1816." *International Interactions* 25(4): \
393-413.'
    """
    kind = bib_entries()[key][0]
    f = _fields(key)
    head = f"{_authors(f.get('author') or f.get('editor', ''))}. {f.get('year', 'n.d.')}."
    title = f.get("title", "")
    if kind == "article":
        issue = f"({f['number']})" if "number" in f else ""
        pages = f": {f['pages']}" if "pages" in f else ""
        where = f"*{f.get('journal', '')}* {f.get('volume', '')}{issue}{pages}".strip()
        text = f'{head} "{title}." {where}.'
    elif kind == "incollection":
        text = f'{head} "{title}." In *{f.get("booktitle", "")}*'
        text += f", edited by {_authors(f['editor'], invert_first=False)}" if "editor" in f else ""
        text += f", {f['pages']}" if "pages" in f else ""
        text += f". {f['publisher']}." if "publisher" in f else "."
    else:
        rest = [f[k] for k in ("publisher", "institution", "howpublished", "note") if k in f]
        text = f"{head} *{title}*." + "".join(f" {r}." for r in rest)
    extra = f" doi:{f['doi']}." if "doi" in f else (f" {f['url']}." if "url" in f else "")
    return " ".join((text + extra).replace("..", ".").split())


def _section(keys: Iterable[str], indent: str) -> str:
    lines = [f"{indent}References", f"{indent}----------"]
    for key in dict.fromkeys(keys):
        lines += textwrap.wrap(f".. [{key}] {format_reference(key)}", width=92,
                               initial_indent=indent, subsequent_indent=indent + "   ",
                               break_on_hyphens=False, break_long_words=False)  # fmt: skip
    return "\n".join(lines)


def with_references(doc: str | None, keys: Iterable[str]) -> str | None:
    """``doc`` with a ``References`` section rendered from ``keys`` (none: unchanged).

    A docstring's own ``References`` section is replaced; otherwise the section goes before
    ``Examples`` or at the end, as numpydoc orders sections.
    """
    keys = [k for k in keys if k]
    if doc is None or not keys:
        return doc
    indent = _indent(doc)
    section = _section(keys, indent)
    if (m := _SECTION.search(doc)) is not None:
        end = _next_section(doc, m.end())
        return doc[: m.start()] + "\n" + section + "\n" + doc[end:]
    examples = re.search(rf"\n{re.escape(indent)}Examples\n{re.escape(indent)}-{{8}}\n", doc)
    if examples is not None:
        return doc[: examples.start()] + "\n" + section + "\n" + doc[examples.start() :]
    return doc.rstrip() + "\n\n" + section + "\n" + indent


def _indent(doc: str) -> str:
    lines = [ln for ln in doc.splitlines()[1:] if ln.strip()]
    return min((ln[: len(ln) - len(ln.lstrip())] for ln in lines), key=len, default="")


def _next_section(doc: str, start: int) -> int:
    m = re.search(r"\n[ \t]*\S[^\n]*\n[ \t]*-{3,}\n", doc[start:])
    return start + m.start() + 1 if m else len(doc)


def cites(*keys: str) -> Callable[[T], T]:
    """Decorator rendering the ``References`` section of a function or class from ``keys``."""

    def wrap(obj: T) -> T:
        obj.__doc__ = with_references(obj.__doc__, keys)
        return obj

    return wrap
