"""The date accepted risks expire against, in a leaf module (standard library only): the result cache keys
every entry by it, and a cached run should not load the register's parser to ask."""

from __future__ import annotations

import datetime as dt
import os


def today() -> dt.date:
    """Return the date acceptances expire against: ``DSSPEC_TODAY``, else ``SOURCE_DATE_EPOCH``, else UTC today."""
    fixed = os.environ.get("DSSPEC_TODAY", "").strip()
    if fixed:
        try:
            return dt.date.fromisoformat(fixed)
        except ValueError:
            pass
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.datetime.now(dt.timezone.utc).date()
