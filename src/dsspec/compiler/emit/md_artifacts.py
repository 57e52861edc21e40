"""The engineer's artifacts section of a design document: links to the files ``build`` made beside it.

Written only when the build made at least one of them (``--format
openapi,alerts,notebook,excalidraw``), so a link never points at a file that
is not there.
"""

from __future__ import annotations

import os
from urllib.parse import quote

WHAT = {
    "openapi": ("Serving interface", "OpenAPI 3.1: one operation per model served on request, with the latency "
                "target, timeout, fallback and safe default as `x-dsspec-*` extensions"),
    "alerts": ("Alerting rules", "Prometheus rules at the worst levels, latency target, drift and rollback "
               "triggers; its header lists the metrics the serving code must export"),
    "notebook": ("Evaluation notebook", "Jupyter: loads predictions and outcomes, computes each declared metric "
                 "overall and per slice, draws the ladder against the levels"),
    "excalidraw": ("System sketch", "Excalidraw scene of the system view, laid out as the diagram"),
}
ENGINEERING = {"interface", "slo", "fallback", "runbook"}
"""Sections whose reader gets the artifacts too."""


def section(artifacts: dict[str, str]) -> list[str]:
    """Return the section linking ``artifacts`` (``{format: file name}``); nothing when none was built."""
    if not artifacts:
        return []
    out = ["## Engineering artifacts", ""]
    for fmt, (title, what) in WHAT.items():
        if fmt in artifacts:
            out.append(f"- [{title}]({quote(os.fsencode(artifacts[fmt]))}): {what}.")
    return out + [""]
