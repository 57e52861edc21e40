"""The date accepted risks expire against, in a leaf module (standard library only): the result cache keys
every entry by it, and a cached run should not load the register's parser, or ``datetime``, to ask."""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime as dt


def today() -> dt.date:
    """Return the date acceptances expire against: ``DSSPEC_TODAY``, else ``SOURCE_DATE_EPOCH``, else UTC today."""
    import datetime as dt

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


def today_iso() -> str:
    """Return ``today().isoformat()``; without a fixed date (the usual run) from ``time``, not ``datetime``."""
    if os.environ.get("DSSPEC_TODAY", "").strip() or os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        return today().isoformat()
    import time

    return time.strftime("%Y-%m-%d", time.gmtime())
