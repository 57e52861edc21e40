"""``python -m dsspec``: the same entry point as the ``dsspec`` console script."""

from dsspec.cli import run

run()
