"""How faithful the design rules are on the real-world corpus: false alarms, planted flaws caught.

Run from the repository root:  python bench/fidelity.py [FOLDER]

FOLDER defaults to tests/corpus/realworld. It prints, over the designs there:
findings on sound designs (target 0 warnings or errors), the share of planted
flaws caught (target at least 90%), and findings away from any planted flaw;
then the same designs judged under `status review` (every open review question
a warning): warnings on sound designs (target 0), and the share of planted
flaws, those written only in prose (`# flaw:` marks) included, SURFACED by a
rule finding or an open question in the flaw's section (target at least 90%);
then every miss, every flaw not surfaced and every unplanted finding, so a
change to a rule can be judged by what it does to designs written the way
users write them.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dsspec.review.fidelity import judge  # noqa: E402


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else ROOT / "tests" / "corpus" / "realworld"
    designs = [judge(p) for p in sorted(folder.glob("*.dsspec"))]
    sound = [d for d in designs if d.sound]
    drafts = [d for d in designs if not d.sound]
    alarms = sum(sum(d.alarms().values()) for d in sound)
    sound_infos = sum(sum(d.found.values()) for d in sound) - alarms
    planted = sum(sum(d.expected.values()) for d in drafts)
    caught = sum(sum(d.caught.values()) for d in drafts)
    unplanted = sum(sum(d.unplanted.values()) for d in drafts)
    share = caught / planted if planted else 1.0
    print(f"designs: {len(designs)} ({len(sound)} sound, {len(drafts)} drafts) in {folder}")
    print(f"findings on sound designs:          {alarms} warnings/errors (target 0), {sound_infos} infos")
    print(f"planted flaws caught:               {caught}/{planted} = {share:.0%} (target >= 90%)")
    near = sum(d.caught_within(3) for d in drafts)
    print(f"  ... within 3 lines of the mark:   {near}/{planted} = {near / planted if planted else 1:.0%}")
    print(f"findings away from any planted flaw: {unplanted} (in drafts)")
    llm = [d for d in designs if _llm(d.path)]
    if llm:
        llm_sound = [d for d in llm if d.sound]
        llm_planted = sum(sum(d.expected.values()) for d in llm if not d.sound)
        llm_caught = sum(sum(d.caught.values()) for d in llm if not d.sound)
        print(f"LLM and agent designs:              {len(llm)} ({len(llm_sound)} sound, "
              f"{sum(sum(d.alarms().values()) for d in llm_sound)} false alarms; "
              f"{llm_caught}/{llm_planted} planted flaws caught)")
    from dsspec.compiler.lint.registry import RULES

    planted_rules = {rule for d in drafts for _, rule in d.expected}
    untested = [name for _, name, _ in RULES if name not in planted_rules]
    print(f"design rules with a planted flaw:   {len(RULES) - len(untested)} of {len(RULES)}"
          + (f" (none yet for: {', '.join(untested)})" if untested else ""))
    reviewed = [judge(p, status="review") for p in sorted(folder.glob("*.dsspec"))]
    r_sound = [d for d in reviewed if d.sound]
    r_drafts = [d for d in reviewed if not d.sound]
    r_alarms = sum(sum(d.alarms().values()) for d in r_sound)
    r_planted = sum(d.planted for d in r_drafts)
    surfaced = sum(sum(d.surfaced().values()) for d in r_drafts)
    prose = [d for d in r_drafts if d.prose_only]
    p_planted = sum(d.planted for d in prose)
    p_surfaced = sum(sum(d.surfaced().values()) for d in prose)
    s_share = surfaced / r_planted if r_planted else 1.0
    p_share = p_surfaced / p_planted if p_planted else 1.0
    print("under `status review` (open review questions are warnings):")
    print(f"  warnings/errors on sound designs:  {r_alarms} (target 0)")
    print(f"  planted flaws surfaced:            {surfaced}/{r_planted} = {s_share:.0%} (caught, or an open question "
          "in the flaw's section)")
    print(f"  ... in the {len(prose)} prose-only drafts:    {p_surfaced}/{p_planted} = {p_share:.0%} (target >= 90%)")
    for d in r_sound:
        for line, rule in sorted(d.alarms()):
            print(f"  false alarm under review {d.path.name}:{line} {rule}")
    for d in r_drafts:
        for line, rule in sorted((d.expected + d.prose_flaws) - d.surfaced()):
            print(f"  not surfaced {d.path.name}:{line} {rule}")
    for d in designs:
        rows = [("false alarm", k) for k in sorted(d.alarms())] + [("missed", k) for k in sorted(d.missed)] + \
            [("unplanted", k) for k in sorted(d.unplanted) if not d.sound]
        for what, (line, rule) in rows:
            print(f"  {what:11} {d.path.name}:{line} {rule}")
    return 0 if alarms == 0 and share >= 0.9 and r_alarms == 0 and p_share >= 0.9 else 1


def _llm(path: Path) -> bool:
    """Return whether a design is an LLM application or agent: a hosted model, tools, or tokens."""
    import re

    return re.search(r"^\s*(provider|tools|tokens_in|tool)\b", path.read_text(encoding="utf-8"), re.M) is not None


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
