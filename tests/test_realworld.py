"""The real-world corpus (tests/corpus/realworld) stays exact: sound designs pass, drafts give their flaws.

Every ``*.dsspec`` there is covered, including designs added later by others.
A design starting ``# sound design`` must give no finding at all; a draft
must give exactly the findings its ``# expect:`` comments name, no more and
no fewer (shared/design/LANGUAGE.md's convention).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dsspec.review.fidelity import SOUND, judge

FOLDER = Path(__file__).resolve().parent / "corpus" / "realworld"
DESIGNS = sorted(FOLDER.glob("*.dsspec"))
SOURCE = re.compile(r"(https?://|arXiv:|doi|\d{4})", re.I)


@pytest.mark.parametrize("path", DESIGNS, ids=lambda p: p.name)
def test_design_gives_exactly_its_expected_findings(path):
    d = judge(path)
    if d.sound:
        assert not d.found, f"a sound design gave findings: {sorted(d.found)}"
        assert not d.expected, "a sound design cannot plant flaws"
    else:
        assert d.found == d.expected, f"missed {sorted(d.missed)}, unplanted {sorted(d.unplanted)}"


@pytest.mark.parametrize("path", DESIGNS, ids=lambda p: p.name)
def test_design_cites_the_public_system_it_is_modelled_on(path):
    head = path.read_text(encoding="utf-8").split("\nproduct", 1)[0]
    assert "Modelled on" in head and SOURCE.search(head), "cite the public source in the header comment"


def test_corpus_has_the_shapes_the_issue_asks_for():
    sound = [p for p in DESIGNS if p.read_text(encoding="utf-8").startswith(SOUND)]
    drafts = [p for p in DESIGNS if p not in sound]
    assert len(DESIGNS) >= 12 and len(sound) >= 5 and len(drafts) >= 6
    for draft in drafts:
        planted = judge(draft).expected
        assert 2 <= sum(planted.values()) <= 5, f"{draft.name} plants {sum(planted.values())} flaws, not 2-5"


def test_fidelity_matches_each_finding_to_one_flaw_within_the_tolerance():
    from collections import Counter

    from dsspec.review.fidelity import Design

    d = Design(Path("x.dsspec"), False, Counter({(10, "a"): 1, (12, "a"): 1, (20, "b"): 1}),
               Counter({(11, "a"): 1, (30, "b"): 1}), {})
    assert d.caught_within(0) == 0 and d.caught_within(3) == 1 and d.caught_within(10) == 2
    assert sum(d.missed.values()) == 3 and sum(d.unplanted.values()) == 2
