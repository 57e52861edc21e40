"""The rules' knowledge as data: model families, metrics and hardware, from ``lint/data/*.toml``."""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path


@functools.cache
def catalogue(name: str) -> dict:
    """Return the bundled catalogue ``name`` (``families``, ``metrics`` or ``hardware``); callers must not mutate it."""
    return tomllib.loads((Path(__file__).parent / "data" / f"{name}.toml").read_text("utf-8"))
