"""The preview page: one self-contained HTML document per build of a spec.

The page holds every view's diagram (a switcher shows one at a time, chosen
by ``#view=NAME`` and remembered across reloads), the findings linked to the lines
of the source listing, and the audience documents. Everything the spec
writes is escaped; nothing is loaded from elsewhere.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from dsspec.compiler import outputs as views
from dsspec.compiler.pipeline import FileResult


@dataclass
class Build:
    """One compile of the spec and what it draws; ``generation`` counts builds."""

    generation: int
    result: FileResult
    diagrams: dict[str, str] = field(default_factory=dict)   # view -> inline SVG, or an error paragraph
    documents: dict[str, str] = field(default_factory=dict)  # file name -> Markdown


def make(generation: int, result: FileResult, stem: str) -> Build:
    """Return the build of a compiled spec: every view drawn, every document written."""
    out = Build(generation, result)
    for name in views.offered(result):
        try:
            svg = views.svg(result, name)
            out.diagrams[name] = svg[svg.find("<svg"):]
        except views.ViewError as err:
            out.diagrams[name] = f'<p class="problem">{html.escape(str(err))}</p>'
    out.documents = views.documents(result, stem)
    return out


def _markdown(text: str) -> str:
    """Return a design document as HTML; raw HTML in it is shown as text, never run."""
    try:
        import markdown
    except ImportError:
        return f"<pre>{html.escape(text)}</pre>"
    converter = markdown.Markdown(extensions=["tables", "fenced_code"])
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    converter.ESCAPED_CHARS.extend(c for c in "<>|~" if c not in converter.ESCAPED_CHARS)  # as md_cell escapes
    return converter.convert(text)


def _finding(d, own: str) -> str:
    where = f"{d.span.line}:{d.span.column}"
    link = (f'<a href="#L{d.span.line}">{where}</a>' if d.path == own
            else f"{html.escape(d.path)}:{where}")
    text = f"{d.severity.value}[{d.code}] {html.escape(d.rule)}: {html.escape(d.message)}"
    help_ = f'<div class="help">help: {html.escape(d.help)}</div>' if d.help else ""
    return f'<li class="{d.severity.value}">{link} {text}{help_}</li>'


def render(build: Build, title: str, nonce: str = "", server: str = "") -> str:
    """Return the page of a build; its inline style and script carry ``nonce``, which the server's
    ``Content-Security-Policy`` names (nothing else inline may run). Its event stream names ``server`` (the
    serving instance) with its build, so a server started since tells it to reload."""
    r = build.result
    findings = "".join(_finding(d, r.path) for d in r.diagnostics) or '<li class="clean">no findings</li>'
    switch = "".join(f'<a class="view" href="#view={n}" data-view="{n}">{n}</a>' for n in build.diagrams)
    diagrams = "".join(f'<section class="diagram" data-view="{n}">{svg}</section>'
                       for n, svg in build.diagrams.items())
    tabs = "".join(f'<details{" open" if i == 0 else ""}><summary>{html.escape(name)}</summary>'
                   f'<div class="doc">{_markdown(text)}</div></details>'
                   for i, (name, text) in enumerate(build.documents.items()))
    lines = (r.text or "").split("\n")
    source = "".join(f'<span id="L{i}" class="line"><span class="no">{i}</span>{html.escape(line)}\n</span>'
                     for i, line in enumerate(lines, 1))
    return PAGE.format(title=html.escape(title), generation=build.generation, switch=switch, diagrams=diagrams,
                       findings=findings, count=len(r.diagnostics), documents=tabs, source=source,
                       default=views.DEFAULT_VIEW, nonce=html.escape(nonce, quote=True),
                       server=re.sub(r"[^0-9a-f]", "", server))


PAGE = re.sub(r"\n\s*", "\n", """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} — dsspec preview</title>
<style nonce="{nonce}">
body {{ font: 14px/1.45 system-ui, sans-serif; margin: 0; display: grid; grid-template-columns: 1fr 34em; }}
header {{ grid-column: 1 / 3; padding: .5em 1em; background: #223; color: #fff; }}
header a.view {{ color: #ccd; margin-left: .8em; }} header a.view.on {{ color: #fff; font-weight: bold; }}
main, aside {{ padding: 1em; overflow: auto; }}
section.diagram {{ display: none; }} section.diagram.on {{ display: block; }}
section.diagram svg {{ max-width: 100%; height: auto; cursor: zoom-in; }}
section.diagram.full svg {{ max-width: none; cursor: zoom-out; }}
li.error {{ color: #a00; }} li.warning {{ color: #850; }} li.info {{ color: #057; }}
.help {{ color: #555; margin-left: 1em; }} .problem {{ color: #a00; }}
pre.source {{ background: #f6f6f6; padding: .5em; }} .no {{ color: #999; display: inline-block; width: 3em; }}
.line:target {{ background: #ffe38a; }}
</style></head>
<body data-generation="{generation}">
<header><strong>{title}</strong> · build {generation} · views:{switch}</header>
<main>{diagrams}
<h2>Documents</h2>{documents}</main>
<aside><h2>Findings ({count})</h2><ul id="findings">{findings}</ul>
<h2>Source</h2><pre class="source">{source}</pre></aside>
<script nonce="{nonce}">
function show() {{
  var m = /view=([\\w-]+)/.exec(location.hash);
  if (m) sessionStorage.setItem("dsspec-view", m[1]);
  var want = sessionStorage.getItem("dsspec-view") || "{default}";
  document.querySelectorAll("[data-view]").forEach(function (el) {{
    el.classList.toggle("on", el.dataset.view === want); }});
}}
window.addEventListener("hashchange", show); show();
document.querySelectorAll("section.diagram").forEach(function (el) {{
  el.addEventListener("click", function () {{ el.classList.toggle("full"); }}); }});
new EventSource("/events?since={generation}&server={server}").addEventListener("build", function () {{ location.reload(); }});
</script>
</body></html>
""")
