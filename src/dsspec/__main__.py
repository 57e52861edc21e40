"""``python -m dsspec``: the same entry point as the ``dsspec`` console script."""

import sys

from dsspec.cli import main

sys.exit(main())
