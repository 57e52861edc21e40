"""How faithful the design rules are on the real-world corpus: false alarms, planted flaws caught.

Run from the repository root:  python bench/fidelity.py [FOLDER]

FOLDER defaults to tests/corpus/realworld. It prints, over the designs there:
findings on sound designs (target 0 warnings or errors), the share of planted
flaws caught (target at least 90%), and findings away from any planted flaw,
then every miss and every unplanted finding, so a change to a rule can be
judged by what it does to designs written the way users write them.
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
    for d in designs:
        rows = [("false alarm", k) for k in sorted(d.alarms())] + [("missed", k) for k in sorted(d.missed)] + \
            [("unplanted", k) for k in sorted(d.unplanted) if not d.sound]
        for what, (line, rule) in rows:
            print(f"  {what:11} {d.path.name}:{line} {rule}")
    return 0 if alarms == 0 and share >= 0.9 else 1


def _llm(path: Path) -> bool:
    """Return whether a design is an LLM application or agent: a hosted model, tools, or tokens."""
    import re

    return re.search(r"^\s*(provider|tools|tokens_in|tool)\b", path.read_text(encoding="utf-8"), re.M) is not None


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
