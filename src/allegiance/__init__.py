"""allegiance: data, measures and models of international alignment.

The public names are imported on first use, so ``import allegiance`` (and the CLI's start)
loads no data library.

>>> import allegiance
>>> allegiance.versions()["atop"]
'5.1'
"""

from typing import TYPE_CHECKING

from allegiance.registry import lazy_exports

if TYPE_CHECKING:
    from allegiance.data.catalog import bibtex as cite
    from allegiance.data.catalog import versions

__version__ = "0.1.0"

__all__ = ["__version__", "cite", "versions"]

__getattr__, __dir__ = lazy_exports(
    __name__, {"cite": "allegiance.data.catalog:bibtex", "versions": "allegiance.data.catalog"}
)
