"""Rule packs: ``extend`` in a configuration, and the settings read after it (custom rules, accepted risks).

``extend = ["../team/dsspec.toml", "pkg:acme_dsspec_rules"]`` reads each named
configuration first — a path relative to the file that names it, or ``pkg:NAME``
for an installed package's ``dsspec.toml`` (found without importing the
package) — and lays this file's settings over theirs, as Ruff's ``extend``
does: a list this file sets (``select``, ``ignore``, ``exclude``) replaces the
packs', a table (``severity``, ``thresholds``, catalogues) is merged key by
key, custom rules and accepted risks add up. A missing file, an unknown
package and a cycle are ``extend-error`` findings; ``Config.origins`` says which
file each setting came from (``dsspec check --show-settings``).
"""

from __future__ import annotations

import re
from pathlib import Path

from dsspec.base import record
from dsspec.base.codes import core
from dsspec.base.span import Span

MAX_EXTEND_DEPTH = 16
"""Longest chain of packs extending packs."""
MAX_RULES = 2000
"""Most custom rules one configuration may declare (its packs included)."""


def _at(text: str, key: str, near: str | None = None) -> Span:
    """Return the span of ``key`` (a setting or a rule's table) in ``text``, or of ``near`` after it."""
    from dsspec.compiler.lint.config_files import line_of

    span = line_of(text, key)
    if near:
        m = re.compile(r"(?<![\w-])" + re.escape(near) + r"(?![\w-])").search(text, span.offset)
        if m:
            line = text.count("\n", 0, m.start()) + 1
            col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
            return Span(line, col, line, col + len(near), m.start(), m.end())
    return span


def resolve_target(target: str, here: Path) -> tuple[Path | None, str | None]:
    """Return the file an ``extend`` entry names, or ``None`` and why it cannot be found."""
    if target.startswith("pkg:"):
        import importlib.util

        name = target[4:].strip()
        if not re.fullmatch(r"[A-Za-z_]\w*", name):
            return None, f"`{name}` is not a top-level package name (write `pkg:acme_dsspec_rules`)"
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError) as err:
            return None, f"package `{name}` cannot be found: {err}"
        if spec is None or not spec.submodule_search_locations:
            return None, f"no installed package `{name}` (is the rule pack installed in this environment?)"
        for folder in spec.submodule_search_locations:
            candidate = Path(folder) / "dsspec.toml"
            if candidate.is_file():
                return candidate, None
        return None, f"package `{name}` holds no `dsspec.toml`"
    path = (here.parent / target)
    try:
        if not path.is_file():
            return None, f"`{target}` does not exist (relative to `{here.name}`'s folder)"
    except OSError as err:
        return None, f"`{target}` cannot be read: {err.strerror or err}"
    return path, None


def extended(cfg, data: dict, text: str, path: Path, stack: tuple[Path, ...], load, check_selector):
    """Return ``cfg`` (this file's own settings) laid over the configurations it extends, with its
    custom rules, accepted risks and ``preview`` read, and every selector checked.

    ``load`` reads an extended file (``config.load``), ``check_selector`` reports a selector naming no rule.
    """
    from dsspec.base.paths import real

    shown = cfg.path
    me = real(path)

    def finding(name: str, key: str, message: str, help: str | None = None, near: str | None = None) -> None:
        cfg.diagnostics.append(core(name, shown, _at(text, key, near), message, help=help))

    bases = []
    raw = data.get("extend", [])
    targets = [raw] if isinstance(raw, str) else raw
    if not (isinstance(targets, list) and all(isinstance(t, str) for t in targets)):
        finding("invalid-config", "extend", "`extend` must be a path, `pkg:NAME`, or a list of them")
        targets = []
    for target in targets:
        file, why = resolve_target(target, path)
        if file is None:
            finding("extend-error", "extend", f"cannot extend `{target}`: {why}",
                    "paths are relative to the file that names them; packs are `pkg:PACKAGE`", near=target)
            continue
        if real(file) in (*stack, me):
            chain = " -> ".join(p.name for p in (*stack, me)) + f" -> {file.name}"
            finding("extend-error", "extend", f"`extend` makes a cycle: {chain}",
                    "remove one of the extends in the cycle", near=target)
            continue
        if len(stack) >= MAX_EXTEND_DEPTH:
            finding("extend-error", "extend", f"`extend` chains more than {MAX_EXTEND_DEPTH} files",
                    "flatten the packs", near=target)
            continue
        bases.append(load(file, (*stack, me)))
    merged = _merge(bases, cfg, data)

    if "rules" in data:  # the rules machinery (and the model it judges) loads only for a file that declares rules
        from dsspec.compiler.lint import custom
        from dsspec.compiler.lint.registry import RULES, register
        from dsspec.compiler.lint.registry import loaded

        taken = {c for c, _, _ in RULES} | {n for _, n, _ in RULES} | \
            {x for r in (*loaded()[0], *merged.rules) for x in (r.code, r.name)}
        rules = data.get("rules", {})
        if not isinstance(rules, dict):
            finding("invalid-config", "rules", "`rules` must be a table of tables: `[rules.TEAM001]`")
            rules = {}
        if len(rules) + len(merged.rules) > MAX_RULES:
            finding("invalid-rule", "rules", f"more than {MAX_RULES:,} custom rules; only the first are read",
                    "split the pack, or drop the rules nobody selects")
            rules = dict(list(rules.items())[:max(0, MAX_RULES - len(merged.rules))])
        own, problems = custom.parse(rules, shown, taken)
        for code, message, help, near in problems:
            finding("invalid-rule", code, message, help, near)
        register(own)
        merged.rules = merged.rules + tuple(own)
        for r in own:
            merged.origins[f"rules.{r.code}"] = shown
    if "preview" in data:
        if isinstance(data["preview"], bool):
            merged.preview = data["preview"]
            merged.origins["preview"] = shown
        else:
            finding("invalid-config", "preview", "`preview` must be `true` or `false`")
    if "accept" in data:
        from dsspec.compiler.lint.accepted import parse_register

        entries, problems = parse_register(data["accept"], shown)
        for message, help, near in problems:
            finding("invalid-acceptance", "accept", message, help, near)
        merged.accepted = merged.accepted + tuple(entries)
        if entries:
            merged.origins["accept"] = shown
    for selector, key in cfg.pending:
        check_selector(selector, key, lambda k, m, h=None: finding("invalid-config", k, m, h),
                                     extra=merged.rules)
    merged.pending = []
    merged.diagnostics = [d for b in bases for d in b.diagnostics] + cfg.diagnostics
    return merged


LISTS = ("select", "ignore", "exclude")
TABLES = (("severity", "severity"), ("per_file_ignores", "per-file-ignores"), ("thresholds", "thresholds"),
          ("families", "families"), ("metrics", "metrics"), ("hardware", "hardware"))


def _merge(bases: list, own, data: dict):
    """Return ``own`` laid over ``bases`` (in order, each over the one before), with origins."""
    out = record.replace(own, origins={}, files=own.files, rules=(), accepted=())
    if not bases:
        _own_origins(out, own, data)
        return out
    acc = bases[0]
    for b in bases[1:] + [None]:
        top = b if b is not None else own
        top_data = data if b is None else None
        acc = _over(acc, top, top_data)
    return acc


def _over(base, top, data: dict | None):
    """Return ``top``'s settings over ``base``'s; ``data`` (top's own table) says which lists top sets."""
    out = record.replace(base, path=top.path, origins=dict(base.origins), files=top.files + base.files,
                              diagnostics=list(base.diagnostics))
    for attr in LISTS:
        set_here = (attr in data) if data is not None else bool(getattr(top, attr))
        if set_here:
            setattr(out, attr, getattr(top, attr))
            out.origins[attr] = top.path
    for attr, key in TABLES:
        merged = {**getattr(base, attr), **getattr(top, attr)}
        setattr(out, attr, merged)
        for name in getattr(top, attr):
            out.origins[f"{key}.{name}"] = top.path
    if data is None:  # a second base: its rules, acceptances and preview add up
        out.rules = base.rules + top.rules
        out.accepted = base.accepted + top.accepted
        out.preview = top.preview or base.preview
        out.origins.update(top.origins)
    return out


def _own_origins(out, own, data: dict) -> None:
    for attr in LISTS:
        if attr in data:
            out.origins[attr] = own.path
    for attr, key in TABLES:
        for name in getattr(own, attr):
            out.origins[f"{key}.{name}"] = own.path


def show(cfg) -> str:
    """Return the merged configuration as TOML-like text, each setting with the file it came from."""
    import json

    def val(x) -> str:
        if isinstance(x, tuple):
            x = list(x)
        if hasattr(x, "value") and not isinstance(x, (int, float, str)):
            x = x.value
        return json.dumps(x, default=str)

    from dsspec.base.paths import display_path

    lines = [f"# configuration of {cfg.path or '(defaults)'}"
             + (f", extending {', '.join(display_path(Path(f)) for f in cfg.files[1:])}" if len(cfg.files) > 1 else "")]
    for attr in LISTS:
        lines.append(f"{attr} = {val(getattr(cfg, attr))}" + _from(cfg, attr))
    lines.append(f"preview = {val(cfg.preview)}" + _from(cfg, "preview"))
    for attr, key in TABLES:
        table = getattr(cfg, attr)
        if table:
            lines.append(f"[{key}]")
            for name in sorted(table):
                lines.append(f"{json.dumps(name)} = {val(table[name])}" + _from(cfg, f"{key}.{name}"))
    if cfg.rules:
        lines.append("[rules]")
        for r in cfg.rules:
            lines.append(f"{r.code} = {json.dumps(r.name)}  # {r.severity.value}, on {r.on}"
                         + (", preview" if r.preview else "") + f"; from {r.origin}")
    if cfg.accepted:
        lines.append("[[accept]]")
        for a in cfg.accepted:
            lines.append(f"{a.rules} in {json.dumps(a.file)} by {a.owner} until {a.until}; from {a.origin}")
    return "\n".join(lines) + "\n"


def _from(cfg, key: str) -> str:
    return f"  # from {cfg.origins[key]}" if key in cfg.origins else "  # default"
