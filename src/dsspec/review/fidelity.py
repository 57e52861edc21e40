"""Fidelity of the design rules on a corpus of designs: what they catch and what they invent.

A design whose first line is ``# sound design`` is one a senior reviewer
passes: every warning or error on it is a false alarm. Any other design is a
draft whose planted flaws are marked ``# expect: rule, rule`` on the line the
finding must start on (the acceptance corpus's convention). Used by
``bench/fidelity.py`` and ``tests/test_realworld.py``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

EXPECT = re.compile(r"#\s*expect:\s*(.+)$")
SOUND = "# sound design"


@dataclass
class Design:
    """One design's expectations and findings, as ``(line, rule)`` counts."""

    path: Path
    sound: bool
    expected: Counter
    found: Counter
    severities: dict = field(default_factory=dict)  # (line, rule) -> severity

    @property
    def caught(self) -> Counter:
        """Return the planted flaws a finding was reported for."""
        return self.expected & self.found

    def caught_within(self, lines: int) -> int:
        """Return how many planted flaws have a finding of their rule starting at most ``lines`` lines away
        (each finding is matched to one flaw)."""
        free = Counter(self.found)
        caught = 0
        for (line, rule), count in sorted(self.expected.items()):
            for _ in range(count):
                near = sorted(((abs(f_line - line), f_line) for (f_line, f_rule), n in free.items()
                               if f_rule == rule and n > 0 and abs(f_line - line) <= lines))
                if near:
                    free[(near[0][1], rule)] -= 1
                    caught += 1
        return caught

    @property
    def missed(self) -> Counter:
        """Return the planted flaws no finding was reported for."""
        return self.expected - self.found

    @property
    def unplanted(self) -> Counter:
        """Return the findings away from any planted flaw."""
        return self.found - self.expected

    def alarms(self) -> Counter:
        """Return the warnings and errors of a sound design (its false alarms); empty for a draft."""
        if not self.sound:
            return Counter()
        return Counter({k: v for k, v in self.found.items() if self.severities[k] != "info"})


def expectations(path: Path) -> Counter:
    """Return the ``(line, rule)`` findings the ``# expect:`` comments of ``path`` name."""
    want: Counter = Counter()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = EXPECT.search(line)
        if m:
            for rule in m.group(1).split(","):
                want[(number, rule.strip())] += 1
    return want


def judge(path: Path) -> Design:
    """Check one design and return what it was expected to give and what it gave."""
    from dsspec.compiler import pipeline

    result = pipeline.check_file(pipeline.Session(), str(path))
    found = Counter((d.span.line, d.rule) for d in result.diagnostics)
    severities = {(d.span.line, d.rule): d.severity.value for d in result.diagnostics}
    sound = path.read_text(encoding="utf-8").startswith(SOUND)
    return Design(path, sound, expectations(path), found, severities)
