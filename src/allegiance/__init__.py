"""allegiance: data, measures and models of international alignment.

>>> import allegiance
>>> allegiance.versions()["atop"]
'5.1'
"""

from allegiance.data.catalog import bibtex as cite
from allegiance.data.catalog import versions

__version__ = "0.1.0"

__all__ = ["__version__", "cite", "versions"]
