"""Rule plugins: Python rules installed by other packages, through the ``dsspec.rules`` entry-point group.

A package declares, in its pyproject::

    [project.entry-points."dsspec.rules"]
    acme = "acme_rules:RULES"

and the entry point's object is a ``Rule`` subclass or a sequence of them. A
plugin rule is a rule like the built-in ones (registry, ``explain``, SARIF,
suppressions, ``select``/``ignore``): it has a code of its own (capital letters
and digits, not ``DS``, which is dsspec's), a kebab-case name, a severity, a
stage and the documentation sections. A plugin that fails to import or gives a
malformed rule costs only its own rules: the reason is a ``plugin-error``
finding (``problems``), and every other rule runs.
"""

from __future__ import annotations

import re

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import SECTIONS, Rule

GROUP = "dsspec.rules"
CODE = re.compile(r"[A-Z]{2,8}\d{1,4}")
NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


def malformed(cls, taken: set[str]) -> str | None:
    """Return why ``cls`` cannot be a rule (code, name, severity, stage, docs), or ``None`` when it can."""
    if not (isinstance(cls, type) and issubclass(cls, Rule)) or cls is Rule:
        return f"`{getattr(cls, '__name__', cls)!s}` is not a subclass of `dsspec.compiler.lint.base.Rule`"
    code, name = getattr(cls, "code", None), getattr(cls, "name", None)
    if not isinstance(code, str) or not CODE.fullmatch(code) or code.startswith("DS"):
        return f"`{cls.__name__}` has code `{code}`: a plugin's code is capital letters and digits (`ACME101`), " \
               "not starting with `DS`"
    if not isinstance(name, str) or not NAME.fullmatch(name):
        return f"`{cls.__name__}` has name `{name}`: a rule's name is kebab-case (`model-card-missing`)"
    if code in taken or name in taken:
        return f"`{cls.__name__}`: code `{code}` or name `{name}` is taken by another rule"
    if not isinstance(getattr(cls, "severity", None), Severity):
        return f"`{cls.__name__}` has no `severity` (a `dsspec.base.diagnostics.Severity`)"
    if not isinstance(getattr(cls, "stage", None), str):
        return f"`{cls.__name__}` has no `stage`"
    missing = [s for s in SECTIONS if s not in cls.sections()]
    if missing:
        return f"`{cls.__name__}`'s docstring lacks the section(s) " + ", ".join(f"`## {s}`" for s in missing)
    return None


def may_have_plugins() -> bool:
    """Return whether an installed package may declare a ``dsspec.rules`` entry point: ``False`` only when
    every folder on ``sys.path`` was looked through and no distribution's ``entry_points.txt`` names the
    group. ``importlib.metadata`` (and the email and zip modules it loads, a third of a compiling run's
    start-up) is imported only when one may, or when something on the path is not a plain folder (a zip,
    a custom finder) that only it can read."""
    import os
    import sys

    if any(getattr(finder, "find_distributions", None) is not None and finder.__module__ != "_frozen_importlib_external"
           for finder in sys.meta_path):
        return True
    marker = f"[{GROUP}]".encode()
    for entry in sys.path:
        folder = entry or "."
        try:
            with os.scandir(folder) as it:
                names = [e.name for e in it if e.name.endswith((".dist-info", ".egg-info"))]
        except NotADirectoryError:
            return True  # a zip on the path
        except OSError:
            continue  # absent or unreadable: importlib.metadata finds nothing there either
        for name in names:
            try:
                with open(os.path.join(folder, name, "entry_points.txt"), "rb") as fh:
                    if marker in fh.read():
                        return True
            except OSError:
                continue
    return False


def load(taken: set[str]) -> tuple[tuple[type[Rule], ...], tuple[tuple[str, str], ...]]:
    """Return the plugin rules that load, and ``(entry point, why)`` for each that does not.

    ``taken``: the built-in rules' codes and names. Entry points are read in
    name order, so the rules' order is the same on every run.
    """
    if not may_have_plugins():
        return (), ()
    from importlib.metadata import entry_points

    taken = set(taken)
    rules: list[type[Rule]] = []
    problems: list[tuple[str, str]] = []
    try:
        points = sorted(entry_points(group=GROUP), key=lambda ep: (ep.name, ep.value))
    except Exception as err:  # a broken distribution's metadata must not stop the built-in rules
        return (), ((GROUP, f"the installed packages' entry points cannot be read: {err}"),)
    for ep in points:
        label = f"{ep.name} = {ep.value}"
        try:
            obj = ep.load()
        except BaseException as err:  # noqa: BLE001 - a plugin's import may raise anything, SystemExit too
            if isinstance(err, KeyboardInterrupt):
                raise
            problems.append((label, f"importing it failed: {type(err).__name__}: {str(err)[:200]}"))
            continue
        group = list(obj) if isinstance(obj, (list, tuple)) else [obj]
        why, mine = None, set(taken)
        for cls in group:
            why = malformed(cls, mine)
            if why:
                break
            mine |= {cls.code, cls.name}
        if why:
            problems.append((label, why))
            continue
        taken = mine
        dist = getattr(getattr(ep, "dist", None), "name", None) or ep.value.split(":")[0]
        for cls in group:
            cls.origin = f"plugin {dist}"
            rules.append(cls)
    return tuple(rules), tuple(problems)
