"""The real-world corpus (tests/corpus/realworld) stays exact: sound designs pass, drafts give their flaws.

Every ``*.dsspec`` there is covered, including designs added later by others.
A design starting ``# sound design`` must give no finding at all; a draft
must give exactly the findings its ``# expect:`` comments name, no more and
no fewer (shared/design/LANGUAGE.md's convention).

Open review questions (issue 19) are marked like any finding, at the design's
own ``status``: ``# expect: question-open`` on the header line of an element
(``operator {``, ``source claims {``, ``evaluation {``) says that a finding of
the open questions of that element starts there. There is one such finding
per element, whatever the number of its open questions. In a draft (or a
design with no ``status``) an open question is info and not a finding, unless
the design's prose hints at its answer: then it is a warning, and marked. Under
``status review`` every open question is a warning, so a sound design under
review answers every question. A flaw written only in prose, that the draft's
own status does not report, is marked ``# flaw: RULE`` (the rule that would
catch the fact were it stated, or ``question-open``) on a line of the
element it concerns: it is not expected as a finding here, and counts as
surfaced when, under ``status review``, a finding of its rule or an open
question starts in that element's section (``bench/fidelity.py``).
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
        planted = judge(draft).planted
        assert 2 <= planted <= 5, f"{draft.name} plants {planted} flaws, not 2-5"


def test_sound_designs_under_review_give_no_warning_and_prose_drafts_surface_their_flaws():
    reviewed = [judge(p, status="review") for p in DESIGNS]
    alarms = {d.path.name: sorted(d.alarms()) for d in reviewed if d.sound and d.alarms()}
    assert not alarms, f"sound designs give warnings under `status review`: {alarms}"
    prose = [d for d in reviewed if not d.sound and d.prose_only]
    assert len(prose) >= 8, "the corpus keeps at least eight prose-only drafts (first line `# prose-only draft`)"
    planted = sum(d.planted for d in prose)
    surfaced = sum(sum(d.surfaced().values()) for d in prose)
    assert surfaced >= 0.9 * planted, f"prose-only drafts surface {surfaced} of {planted} planted flaws under review"


def test_a_prose_flaw_is_surfaced_only_by_a_finding_in_its_section():
    from collections import Counter

    from dsspec.review.fidelity import Design

    d = Design(Path("x.dsspec"), False, Counter(), Counter({(12, "question-open"): 1, (30, "a"): 1}),
               {(12, "question-open"): "warning", (30, "a"): "info"},
               Counter({(15, "tuned-on-test-set"): 1, (25, "a"): 1, (40, "b"): 1}), [(10, 20), (24, 31), (35, 45)])
    assert d.surfaced() == Counter({(15, "tuned-on-test-set"): 1, (25, "a"): 1}) and d.planted == 3
    d.severities[(12, "question-open")] = "info"  # an info question (a draft's) surfaces nothing
    assert (15, "tuned-on-test-set") not in d.surfaced()


def test_fidelity_matches_each_finding_to_one_flaw_within_the_tolerance():
    from collections import Counter

    from dsspec.review.fidelity import Design

    d = Design(Path("x.dsspec"), False, Counter({(10, "a"): 1, (12, "a"): 1, (20, "b"): 1}),
               Counter({(11, "a"): 1, (30, "b"): 1}), {})
    assert d.caught_within(0) == 0 and d.caught_within(3) == 1 and d.caught_within(10) == 2
    assert sum(d.missed.values()) == 3 and sum(d.unplanted.values()) == 2
