"""The accepted-risk register: findings a team accepts, with an owner, a ticket, a reason and an end date.

In the spec, next to what it accepts (the finding's line or the line before)::

    # dsspec: accept[pii-reaches-model] owner=ana@example.com ticket=RISK-142 until=2027-03-31 the vendor DPA covers it

``accept-file[...]`` accepts the rules' findings in the whole file. In the
configuration (a register kept apart from the specs)::

    [[accept]]
    rule   = "pii-reaches-model"          # or a list
    file   = "specs/fraud_*.dsspec"       # a glob, as in per-file-ignores
    owner  = "ana@example.com"
    ticket = "RISK-142"
    until  = 2027-03-31
    reason = "the vendor DPA covers it"

An accepted finding is reported as an ``accepted-risk`` note (severity info)
naming the owner, the ticket, the reason and the date; documents list them
under "Risks we accepted", ``dsspec diff`` shows those added and removed, and
``--statistics`` counts them. From the day after ``until`` the acceptance has
expired: the original finding is reported again, with the acceptance as its
history. "Today" is ``DSSPEC_TODAY`` (``YYYY-MM-DD``) when set, else the day of
``SOURCE_DATE_EPOCH`` (UTC) when set, else the UTC date, so tests and
reproducible builds fix it.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from pathlib import Path

from dsspec.base.record import record
from dsspec.base.clock import today  # noqa: F401 - here too: where accepted risks are judged
from dsspec.base.span import Span

COMMENT = re.compile(r"#\s*dsspec:\s*accept(-file)?\[([^\]]*)\]\s*(.*)$")
_FIELD = re.compile(r"(owner|ticket|until)=(\S+)\s*")
FIELDS = ("owner", "ticket", "until", "reason")


@record(frozen=True)
class Acceptance:
    """One accepted risk: the rules it covers, where, by whom, until when and why."""

    rules: tuple[str, ...]
    owner: str
    ticket: str
    until: dt.date
    reason: str
    whole_file: bool = False
    file: str | None = None
    """The glob of a register entry; ``None`` for a comment in the spec."""
    origin: str = ""
    """Where it is written: the spec or the configuration file."""
    span: Span | None = None
    """The comment's span (``None`` for a register entry)."""

    def expired(self, on: dt.date) -> bool:
        """Return whether the acceptance has ended by ``on`` (it holds through its ``until`` day)."""
        return on > self.until

    def covers(self, path: str) -> bool:
        """Return whether a register entry's glob matches the spec ``path``."""
        if self.file is None:
            return True
        posix = Path(path).as_posix()
        return any(fnmatch.fnmatch(p, self.file) for p in (posix, Path(path).name)) or \
            fnmatch.fnmatch(posix, "*/" + self.file)

    def history(self) -> str:
        """Return the acceptance in words: ``accepted by OWNER until DATE (TICKET): REASON``."""
        return f"accepted by {self.owner} until {self.until.isoformat()} ({self.ticket}): {self.reason}"


def _date(raw) -> dt.date | None:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str):
        try:
            return dt.date.fromisoformat(raw.strip())
        except ValueError:
            return None
    return None


def from_comment(span: Span, text: str, path: str) -> tuple[Acceptance | None, str | None]:
    """Return the acceptance a comment writes, ``(None, None)`` when it writes none, or ``(None, why)``."""
    m = COMMENT.search(text)
    if not m:
        return None, None
    names = tuple(x.strip() for x in m.group(2).split(",") if x.strip())
    rest = m.group(3)
    found: dict[str, str] = {}
    while True:
        f = _FIELD.match(rest)
        if not f:
            break
        found[f.group(1)] = f.group(2)
        rest = rest[f.end():]
    found["reason"] = rest.strip()
    missing = [k for k in FIELDS if not found.get(k)]
    if not names:
        return None, "the acceptance names no rule: write `accept[rule-name]`"
    if missing:
        return None, "the acceptance lacks " + ", ".join(f"`{k}`" for k in missing)
    until = _date(found["until"])
    if until is None:
        return None, f"`until={found['until']}` is not a date: write `until=YYYY-MM-DD`"
    return Acceptance(names, found["owner"], found["ticket"], until, found["reason"], bool(m.group(1)),
                      None, path, span), None


def parse_register(entries, origin: str) -> tuple[list[Acceptance], list[tuple[str, str | None, str | None]]]:
    """Return the acceptances of ``[[accept]]`` entries, and problems as ``(message, help, near)``."""
    out: list[Acceptance] = []
    problems: list[tuple[str, str | None, str | None]] = []
    if not isinstance(entries, list):
        return [], [("`accept` must be an array of tables: `[[accept]]`", None, None)]
    example = "`[[accept]]` with `rule`, `file`, `owner`, `ticket`, `until = 2027-03-31`, `reason`"
    for i, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            problems.append((f"accepted risk {i} must be a table", example, None))
            continue
        unknown = sorted(set(entry) - {"rule", "file", "owner", "ticket", "until", "reason"})
        if unknown:
            problems.append((f"accepted risk {i}: unknown key `{unknown[0]}`", example, unknown[0]))
            continue
        rules = entry.get("rule")
        rules = [rules] if isinstance(rules, str) else rules
        missing = [k for k in ("rule", "file", "owner", "ticket", "until", "reason") if not entry.get(k)]
        if missing:
            problems.append((f"accepted risk {i} lacks " + ", ".join(f"`{k}`" for k in missing), example, None))
            continue
        if not (isinstance(rules, list) and all(isinstance(r, str) for r in rules)) or \
                not all(isinstance(entry[k], str) for k in ("file", "owner", "ticket", "reason")):
            problems.append((f"accepted risk {i}: `rule` is a name or a list of names, and `file`, `owner`, "
                             "`ticket`, `reason` are strings", example, None))
            continue
        until = _date(entry["until"])
        if until is None:
            problems.append((f"accepted risk {i}: `until` must be a date such as 2027-03-31", example, "until"))
            continue
        out.append(Acceptance(tuple(rules), entry["owner"], entry["ticket"], until, entry["reason"], True,
                              entry["file"], origin, None))
    return out, problems
