"""Run the design rules on a resolved spec; apply configuration and suppressions.

Suppression: ``# dsspec: ignore[rule-or-code, ...] reason`` silences the named
rules' findings that start on the comment's line or the line after it;
``# dsspec: ignore-file[rule, ...] reason`` silences them in the whole file. The
reason is required (``suppression-missing-reason``), a suppression that
silences nothing is reported (``unused-suppression``), and the built-in
syntax, schema and reference checks cannot be suppressed.
"""

from __future__ import annotations

import datetime as dt
import re

from dsspec.base import record
from dsspec.base.codes import core, internal_error
from dsspec.base.diagnostics import Diagnostic
from dsspec.compiler.lint.base import Context
from dsspec.compiler.lint.catalogue import catalogue
from dsspec.compiler.lint.accepted import from_comment, today
from dsspec.compiler.lint.config import THRESHOLDS, Config, parse_threshold
from dsspec.compiler.lint.custom import RuleError, _anchor
from dsspec.compiler.lint.registry import all_rules, by_key, selector_names, selects
from dsspec.compiler.model.resolve import Resolved
from dsspec.base.span import Span
from dsspec.base.suggestions import suggest

_SUPPRESSION = re.compile(r"#\s*dsspec:\s*ignore(-file)?\[([^\]]*)\]\s*(.*)$")


def context(config: Config) -> Context:
    """Return the rules' context: default thresholds and catalogues with the configuration's overrides."""
    thresholds = {key.replace("-", "_"): parse_threshold(kind, default)
                  for key, (default, kind, _) in THRESHOLDS.items()}
    thresholds.update({key.replace("-", "_"): value for key, value in config.thresholds.items()})
    families = {**catalogue("families")}
    for name, entry in config.families.items():
        families[name] = {**families.get(name, {}), **entry}
    metrics = {**catalogue("metrics"), **config.metrics}
    hardware = {**catalogue("hardware"), **config.hardware}
    return Context(thresholds, families, metrics, hardware, config.questions)


def selected(config: Config, path: str) -> list:
    """Return the rule classes enabled for ``path`` under ``config``: built-in, plugin and custom rules,
    preview ones only when ``config.preview``."""
    def matches(cls, selectors) -> bool:
        return any(selects(s, cls.code, cls.name) for s in selectors)

    rules = [cls for cls in (*all_rules(), *config.rules) if (config.preview or not cls.preview)
             and (not config.select or matches(cls, config.select))]
    off = config.ignore + config.ignored_for(path)
    return [cls for cls in rules if not matches(cls, off)]


def run(spec: Resolved, config: Config, comments: list[tuple[Span, str]], ctx: Context | None = None) -> list[Diagnostic]:
    """Return the design findings on ``spec``, after configuration and suppressions.

    Library files (no ``product``) get no design findings.
    """
    if spec.is_library:
        return []
    ctx = (ctx or context(config)).with_spec(spec)
    path = spec.spec.path
    found: list[Diagnostic] = plugin_problems(config.path or path)
    enabled = selected(config, path)
    if config.rules:
        from dsspec.compiler.lint.custom import prepare

        prepare(spec, enabled)
    for cls in enabled:
        configured = config.severity.get(cls.name) or config.severity.get(cls.code)
        try:
            hits = list(cls().check(spec, ctx))
        except RuleError as err:  # a custom rule's condition failed on this design
            found.append(core("rule-error", path, _anchor(spec, err.node), f"rule `{cls.name}` ({cls.code}) "
                              f"could not be checked here: {err.why}",
                              help=f"guard the condition (`has(x.y)`, `x != null && ...`); it is declared in "
                                   f"{cls.origin}"))
            continue
        except Exception as err:  # a bug in one rule must not hide the other rules' findings
            if cls.origin == "built-in":
                found.append(internal_error(path, err, f"running rule `{cls.name}`"))
            else:  # a plugin's bug is the plugin's: its own finding, never dsspec's internal error
                found.append(core("rule-error", path, Span(1, 1, 1, 1, 0, 0),
                                  f"rule `{cls.name}` ({cls.code}) from {cls.origin} failed: "
                                  f"{type(err).__name__}: {str(err)[:200]}",
                                  help="report it to the plugin's authors; the other rules ran"))
            continue
        for hit in hits:
            severity = configured or hit.severity or cls.severity
            found.append(Diagnostic(cls.code, cls.name, severity, hit.message, path, hit.span, hit.help,
                                    hit.related))
    out = suppress(found, comments, path, {cls.code for cls in enabled})
    out = accept(out, comments, path, config, {cls.code for cls in enabled})
    if switched_off(config, path, "DS901", "unused-suppression"):
        out = [d for d in out if d.code != "DS901"]
    return out


def plugin_problems(path: str) -> list[Diagnostic]:
    """Return a ``plugin-error`` finding for each rule plugin that did not load (reported at ``path``)."""
    from dsspec.compiler.lint.registry import loaded

    return [core("plugin-error", path, Span(1, 1, 1, 1, 0, 0), f"rule plugin `{label}` is left out: {why}",
                 help="fix or uninstall the plugin; every other rule ran") for label, why in loaded()[1]]


def switched_off(config: Config, path: str, code: str, name: str) -> bool:
    """Return whether the configuration switches off a built-in check that may be (``unused-suppression``)."""
    return any(selects(s, code, name) for s in config.ignore + config.ignored_for(path))


def suppress(found: list[Diagnostic], comments: list[tuple[Span, str]], path: str,
             enabled: set[str] | None = None) -> list[Diagnostic]:
    """Drop the findings suppressed by comments; add the suppressions' own findings.

    A suppression of a rule that is not enabled for this file (``--select``,
    ``ignore``) is not reported unused: it may well be needed when the rule runs.
    """
    if not comments:
        return found
    keys = by_key()
    out: list[Diagnostic] = []
    silenced: set[int] = set()
    at: dict[tuple[str, int], list[int]] = {}  # (code, line) -> findings there: linear in comments and findings
    by_code: dict[str, list[int]] = {}  # code -> findings in the file, for `ignore-file`
    for i, d in enumerate(found):
        at.setdefault((d.code, d.span.line), []).append(i)
        by_code.setdefault(d.code, []).append(i)
    for span, text in comments:
        m = _SUPPRESSION.search(text)
        if not m:
            continue
        whole_file = bool(m.group(1))
        names = [x.strip() for x in m.group(2).split(",") if x.strip()]
        reason = m.group(3).strip()
        if not reason:
            out.append(core("suppression-missing-reason", path, span,
                            "suppression gives no reason, so it does not suppress",
                            help=f"write `# dsspec: ignore{m.group(1) or ''}[{', '.join(names)}] "
                                 "why this is acceptable`"))
            continue
        for name in names or ["?"]:
            rule = keys.get(name)
            if rule is None:
                hits = []
            elif whole_file:
                hits = by_code.get(rule.code, [])
            else:
                hits = at.get((rule.code, span.line), []) + at.get((rule.code, span.line + 1), [])
            if not hits and rule is not None and enabled is not None and rule.code not in enabled:
                continue
            if not hits:
                hint = suggest(name, selector_names()) if rule is None else None
                what = f"`{name}` is not a rule" + (f"; did you mean `{hint}`?" if hint else "") if rule is None \
                    else f"`{name}` reports nothing {'in this file' if whole_file else 'here'}"
                out.append(core("unused-suppression", path, span, f"unused suppression: {what}",
                                help=f"write `ignore[{hint}]`" if hint else "remove it"))
            silenced.update(hits)
    out.extend(d for i, d in enumerate(found) if i not in silenced)
    return out


def accept(found: list[Diagnostic], comments: list[tuple[Span, str]], path: str, config: Config,
           enabled: set[str] | None = None) -> list[Diagnostic]:
    """Turn the findings the team accepted (comments, the register) into ``accepted-risk`` notes.

    An acceptance past its date leaves the finding as it was, with the
    acceptance as a related note (its history); one that lacks a part is
    ``invalid-acceptance`` and accepts nothing; one in a comment that covers no
    finding is an ``unused-suppression``, as an ``ignore`` would be.
    """
    from dsspec.base.diagnostics import Related

    acceptances = [a for a in config.accepted if a.covers(path)]
    problems: list[Diagnostic] = []
    for span, text in comments:
        if "accept" not in text:
            continue
        acceptance, why = from_comment(span, text, path)
        if why:
            problems.append(core("invalid-acceptance", path, span, why + "; it accepts nothing",
                                 help="write `# dsspec: accept[rule] owner=NAME ticket=REF until=YYYY-MM-DD reason`"))
        elif acceptance is not None:
            acceptances.append(acceptance)
    if not acceptances:
        return found + problems
    keys = by_key()
    now = today()
    out = list(found)
    for a in acceptances:
        codes = {keys[r].code for r in a.rules if r in keys}
        unknown = [r for r in a.rules if r not in keys]
        hits = [i for i, d in enumerate(out) if d.code in codes and (
            a.whole_file or (a.span is not None and d.span.line in (a.span.line, a.span.line + 1)))]
        if a.span is not None and (unknown or (not hits and (enabled is None or codes & enabled))):
            what = f"`{unknown[0]}` is not a rule" if unknown else \
                f"`{', '.join(a.rules)}` reports nothing {'in this file' if a.whole_file else 'here'}"
            problems.append(core("unused-suppression", path, a.span, f"unused acceptance: {what}", help="remove it"))
        for i in hits:
            d = out[i]
            if d.code == "DS055":
                continue
            where = a.span or Span(1, 1, 1, 1, 0, 0)
            note = Related(a.origin if a.span is None else path, where, a.history())
            if a.expired(now):
                days = (now - a.until).days
                out[i] = record.replace(d, message=f"{d.message} (accepted risk expired {days} day"
                                            f"{'s' if days != 1 else ''} ago)",
                                    help=(d.help + "; " if d.help else "") + f"the acceptance ({a.ticket}, "
                                         f"{a.owner}) ended on {a.until.isoformat()}: fix it, or renew it with a "
                                         "new `until`", related=d.related + (note,))
            else:
                out[i] = core("accepted-risk", path, d.span,
                              f"accepted risk [{d.code} {d.rule}]: {d.message}",
                              help=f"on {(a.until + dt.timedelta(days=1)).isoformat()} the acceptance ends and "
                                   "the finding returns: fix it or renew the acceptance by then", related=(note,))
    return out + problems
