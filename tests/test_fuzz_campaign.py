"""A slice of the fuzz campaign (``bench/fuzz.py``) in CI: every command, in process, on hostile inputs.

The whole campaign (100,000 inputs) is run by hand; CI runs every hostile
value shape in a few places of each bundled spec, and a couple of
thousand of the same generated inputs (``DSSPEC_FUZZ_INPUTS`` changes how
many), with a fixed seed so a failure reproduces with
``python bench/fuzz.py --inputs N --seed 8 --crashes DIR``.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "bench" / "fuzz.py"


def _fuzz():
    spec = importlib.util.spec_from_file_location("dsspec_fuzz", SCRIPT)
    fuzz = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = fuzz  # its dataclasses look their module up there
    spec.loader.exec_module(fuzz)
    return fuzz


def test_every_value_shape_in_every_bundled_spec_is_a_finding_not_a_crash():
    # huge exponents and magnitudes, extreme durations and dates, non-ASCII digits, impossible values (issue 18)
    assert _fuzz().value_sweep(spots_per_shape=2) == []


def test_fuzz_campaign_slice_finds_no_crash():
    fuzz = _fuzz()
    figures = fuzz.campaign(int(os.environ.get("DSSPEC_FUZZ_INPUTS", "2000")), seed=8)
    assert figures.inputs > 0 and set(figures.by_kind) == {"bytes", "spec", "config"}
    assert not figures.crashes, "\n\n".join(trace for _, _, trace in figures.crashes[:3])
