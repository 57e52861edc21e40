"""Fidelity of the design rules on a corpus of designs: what they catch, surface and invent.

A design whose first line is ``# sound design`` is one a senior reviewer
passes: every warning or error on it is a false alarm. Any other design is a
draft whose planted flaws are marked ``# expect: rule, rule`` on the line the
finding must start on (the acceptance corpus's convention), at the design's
own status. A flaw written only in prose, which no finding names at the
draft's own status, is marked ``# flaw: rule`` (the rule that would catch it
were the fact stated, or ``question-open``) on a line of the element it
concerns. A draft whose first line is ``# prose-only draft`` writes its planted
flaws only in descriptions, the way authors who do not know the vocabulary write.

*Caught*: an ``expect`` mark whose finding is reported. *Surfaced*: judged
again under ``status review`` (``judge(path, status="review")``), a planted
flaw (``expect`` or ``flaw``) with a finding of its rule, or an open review
question, starting in the same top-level section as the mark. Used by
``bench/fidelity.py`` and ``tests/test_realworld.py``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

EXPECT = re.compile(r"#\s*expect:\s*(.+)$")
FLAW = re.compile(r"#\s*flaw:\s*(.+)$")
QUESTION = "question-open"
SOUND = "# sound design"
PROSE_ONLY = "# prose-only draft"
"""The first line of a draft whose facts are written only in prose (the review-question corpus)."""


@dataclass
class Design:
    """One design's expectations and findings, as ``(line, rule)`` counts."""

    path: Path
    sound: bool
    expected: Counter
    found: Counter
    severities: dict = field(default_factory=dict)  # (line, rule) -> severity
    prose_flaws: Counter = field(default_factory=Counter)  # `# flaw:` marks, (line, rule)
    sections: list = field(default_factory=list)  # (first line, last line) of each top-level section
    prose_only: bool = False  # the first line is `# prose-only draft`

    def section_of(self, line: int) -> tuple[int, int]:
        """Return the lines of the top-level section holding ``line`` (the line alone if none)."""
        return next(((a, b) for a, b in self.sections if a <= line <= b), (line, line))

    def surfaced(self) -> Counter:
        """Return the planted flaws (``expect`` and ``flaw`` marks) with a finding of their rule (any severity),
        or an open review question (warning or error), starting in the mark's top-level section."""
        out: Counter = Counter()
        for (line, rule), count in (self.expected + self.prose_flaws).items():
            a, b = self.section_of(line)
            if any(a <= f_line <= b and (f_rule == rule or f_rule == QUESTION and
                                         self.severities.get((f_line, f_rule)) != "info")
                   for (f_line, f_rule) in self.found):
                out[(line, rule)] = count
        return out

    @property
    def planted(self) -> int:
        """Return how many flaws are planted: ``expect`` and ``flaw`` marks."""
        return sum(self.expected.values()) + sum(self.prose_flaws.values())

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


def expectations(path: Path, mark: re.Pattern = EXPECT) -> Counter:
    """Return the ``(line, rule)`` findings the ``# expect:`` comments (or ``mark``) of ``path`` name."""
    want: Counter = Counter()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = mark.search(line)
        if m:
            for rule in m.group(1).split(","):
                want[(number, rule.strip())] += 1
    return want


def judge(path: Path, status: str | None = None) -> Design:
    """Check one design and return what it was expected to give and what it gave.

    ``status`` judges it as if its ``product`` said ``status STATUS`` (``[tool.dsspec.questions] status``).
    """
    from dsspec.base import record

    from dsspec.compiler import pipeline

    session = pipeline.Session()
    if status is None:
        result = pipeline.check_file(session, str(path))
    else:
        config = pipeline.configured(path)
        config = record.replace(config, questions={**config.questions, "status": status})
        result = session.compile(str(path), path.read_bytes(), path, config)
    found = Counter((d.span.line, d.rule) for d in result.diagnostics)
    severities: dict = {}
    for d in result.diagnostics:  # the highest severity among findings of one rule on one line
        key = (d.span.line, d.rule)
        if key not in severities or d.severity.rank > _RANK[severities[key]]:
            severities[key] = d.severity.value
    sound = path.read_text(encoding="utf-8").startswith(SOUND)
    sections = [(st.span.line, st.span.end_line) for st in result.document.statements] if result.document else []
    prose_only = path.read_text(encoding="utf-8").startswith(PROSE_ONLY)
    return Design(path, sound, expectations(path), found, severities, expectations(path, FLAW), sections, prose_only)


_RANK = {"info": 1, "warning": 2, "error": 3}
