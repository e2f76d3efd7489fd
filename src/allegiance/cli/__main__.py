"""``python -m allegiance.cli``: the same as the ``allegiance`` command."""

from allegiance.cli.main import main

main()
