"""MkDocs plugin: ```` ```dsspec ```` blocks and links to ``.dsspec`` files drawn inline, with their findings.

In ``mkdocs.yml``::

    plugins:
      - dsspec:
          view: system      # the default view (a fence may say ```dsspec view=NAME)
          strict: true      # fail the build when a spec has errors

A fenced block that draws (it declares a ``product``) is replaced by its
diagram; one that does not (a fragment) keeps its code. A line holding only
a link to a ``.dsspec`` file (``[Fraud scoring](fraud.dsspec)``) is replaced by
that file's diagram followed by the link. The findings follow each diagram
as an admonition. Errors are logged as warnings (so ``mkdocs build --strict``
fails on them too); with ``strict: true`` the plugin itself fails the build,
naming every error.
"""

from __future__ import annotations

import html
import itertools
import logging
import re
from pathlib import Path
from typing import Iterator, NamedTuple

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

log = logging.getLogger("mkdocs.plugins.dsspec")

OPEN = re.compile(r"(?P<indent>[ ]{0,3})(?P<fence>```+|~~~+)[ \t]*dsspec(?P<info>[^\n]*)\n")
LINK = re.compile(r"^[ ]{0,3}\[(?P<text>[^\]\n]+)\]\((?P<target>[^)\s]+\.dsspec)\)[ \t]*$", re.M)
_SEVERITY_CLASS = {"error": "danger", "warning": "warning", "info": "info"}


class DsspecConfig(Config):
    view = c.Type(str, default="system")
    strict = c.Type(bool, default=False)


class DsspecPlugin(BasePlugin[DsspecConfig]):
    """Render specs inline; collect errors for ``strict``."""

    def on_config(self, config):
        from dsspec.compiler.outputs import VIEWS

        if self.config.view not in VIEWS:
            raise PluginError(f"dsspec: unknown view `{self.config.view}`; choose from {', '.join(VIEWS)}")
        self.errors: list[str] = []
        return config

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        source = Path(page.file.abs_src_path) if page.file.abs_src_path else Path(config["docs_dir"]) / "page.md"
        count = iter(range(1, 1_000_000))

        def fence(block: Fence) -> str:
            view = _option(block.info, "view") or self.config.view
            name = source.with_name(f"{source.stem}.block{next(count)}.dsspec")
            shown = f"{page.file.src_path} (dsspec block at line {block.line})"
            return self.render(name, block.body, view, shown, keep=block.text)

        def link(m: re.Match) -> str:
            target = (source.parent / m.group("target")).resolve()
            if not target.is_file():
                log.warning("dsspec: %s links to `%s`, which does not exist", page.file.src_path, m.group("target"))
                return m.group()
            return self.render(target, None, self.config.view, m.group("target"), keep=None) + "\n\n" + m.group()

        parts, done = [], 0
        for block in fences(markdown):
            parts += [markdown[done:block.start], fence(block)]
            done = block.start + len(block.text)
        return LINK.sub(link, "".join(parts) + markdown[done:])

    def render(self, path: Path, text: str | None, view: str, shown: str, keep: str | None) -> str:
        """Return the Markdown (raw HTML blocks) showing a spec's view and its findings."""
        from dsspec.compiler.outputs import ViewError, compile_spec, svg

        result = compile_spec(path, text)
        for d in result.diagnostics:
            if d.severity.value == "error":
                where = f"{shown}:{d.span.line}:{d.span.column}" if text is None else f"{shown}, line {d.span.line}"
                message = f"dsspec: {where}: error[{d.code}] {d.message}"
                self.errors.append(message)
                log.warning(message)
        parts = []
        try:
            drawn = svg(result, view)
            root = drawn[drawn.find("<svg"):].replace("<svg", '<svg style="max-width: 100%; height: auto"', 1)
            parts.append('<div class="dsspec-diagram">' + _one_block(root) + "</div>")
        except ViewError:
            if keep is None:
                return ""
            parts.append(keep)
        # a fragment without `product` is shown as code; saying it is a library file would be noise
        shown_findings = [d for d in result.diagnostics if d.rule != "library-file"]
        if shown_findings:
            parts.append(_admonition(shown_findings))
        return "\n\n".join(parts)

    def on_post_build(self, config):
        if self.config.strict and self.errors:
            raise PluginError(f"dsspec: {len(self.errors)} error finding{'s' if len(self.errors) != 1 else ''} "
                              "in the site's specs (strict):\n" + "\n".join(self.errors))


class Fence(NamedTuple):
    start: int   # offset of the opening line
    line: int    # its line number, 1-based
    text: str    # the whole block, opening line to closing fence (without the closing line's newline)
    info: str    # what follows `dsspec` on the opening line
    body: str


def fences(markdown: str) -> Iterator[Fence]:
    """Yield the ```` ```dsspec ```` blocks of ``markdown`` in one pass over its lines (linear time).

    A block closes at a line holding the same fence at the same indent; one that never closes runs
    to the end of the page (CommonMark), so it and everything after it stay as written.
    """
    pieces = markdown.split("\n")
    lines = [x + "\n" for x in pieces[:-1]] + ([pieces[-1]] if pieces[-1] else [])
    offsets = list(itertools.accumulate((len(x) for x in lines), initial=0))
    i = 0
    while i < len(lines):
        m = OPEN.fullmatch(lines[i])
        if m is None:
            i += 1
            continue
        close = re.compile(re.escape(m.group("indent") + m.group("fence")) + r"[ \t]*")
        end = next((j for j in range(i + 1, len(lines)) if close.fullmatch(lines[j].rstrip("\n"))), None)
        if end is None:
            return
        text = markdown[offsets[i]:offsets[end + 1]]
        text = text[:-1] if text.endswith("\n") else text
        yield Fence(offsets[i], i + 1, text, m.group("info"), markdown[offsets[i + 1]:offsets[end]])
        i = end + 1


def _option(info: str, key: str) -> str | None:
    m = re.search(rf"\b{key}=([\w-]+)", info)
    return m.group(1) if m else None


def _one_block(markup: str) -> str:
    """Return HTML with no blank line, so Markdown keeps it one raw block."""
    return "\n".join(line for line in markup.splitlines() if line.strip())


def _admonition(diags) -> str:
    worst = max(diags, key=lambda d: d.severity.rank).severity.value
    items = "".join(f"<li><code>{d.span.line}:{d.span.column}</code> {d.severity.value}[{d.code}] "
                    f"{html.escape(d.rule)}: {html.escape(d.message)}</li>" for d in diags)
    n = len(diags)
    return (f'<div class="admonition {_SEVERITY_CLASS[worst]} dsspec-findings">'
            f'<p class="admonition-title">dsspec: {n} finding{"s" if n != 1 else ""}</p><ul>{items}</ul></div>')
