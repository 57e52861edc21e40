"""Facts about LLM applications and agents that several rules (and the documents) share.

What a model may do (its tools and their effects), what untrusted text reaches it, how many
calls and tokens one request takes and what they cost, what its vendor keeps. Each function
returns plain values in declaration order, so findings stay deterministic.
"""

from __future__ import annotations

import re

from dsspec.base.record import named
from dsspec.compiler.model import nodes as n
from dsspec.compiler.model.resolve import Resolved
from dsspec.compiler.model.schema import SIDE_EFFECTS

CONTAINED = frozenset({"write", "create", "update", "delete", "execute"})
"""Effects a `sandbox` can contain (a disposable environment); a sent mail, a share or a payment leaves it."""
GENERATIVE_TASKS = frozenset({"generation", "summarization"})
FREE_TEXT = frozenset({"body", "text", "message", "transcript", "content", "conversation", "notes", "email_body",
                       "ticket_text", "message_text", "chat", "subject", "document_text", "page_text"})
"""Field names of free text: read from a source with personal data, they carry it (a mail's body names people)."""

_UNTRUSTED_WORDS = re.compile(
    r"\b(inbound (?:e-?)?mails?|incoming (?:e-?)?mails?|(?:e-?)?mails? from (?:anyone|outside|customers|senders)|"
    r"web ?pages?|the open web|from the web|scraped|crawled|user[- ]uploaded|user uploads?|uploaded by (?:users|customers)|"
    r"third[- ]party (?:content|documents|pages)|public (?:issues|comments|forums?|posts)|"
    r"untrusted|any sender|pull requests? from forks)\b", re.I)
_SECRET_WORDS = re.compile(
    r"\b(api[ _-]?keys?|passwords?|credentials?|secret(?:s| keys?)?|access tokens?|bearer tokens?|"
    r"connection strings?|private keys?)\b", re.I)


_ACTS = re.compile(
    r"\b(sends?|sending|forwards?|forwarding|repl(?:y|ies)|refunds?|refunding|pays?|paying|transfers?|books?|"
    r"purchases?|buys?|deletes?|executes?|runs? (?:shell |the )?(?:commands|code|scripts|queries)|merges?|"
    r"deploys?|posts?|publish(?:es)?|shares?|cancels?|closes?|updates?|changes?)\b[^.;]{0,80}?"
    r"\b(on its own|by itself|automatically|autonomously|without (?:a |any )?(?:person|human|review|approval|"
    r"confirmation|sign-off))\b", re.I)
_AGENT = re.compile(r"\b(agent|agentic|function[- ]calling|tool[- ]calls?|calls tools|plans? and (?:acts|executes)|"
                    r"loops? until|keeps? (?:going|calling) until|until the (?:task|case|ticket) is)\b", re.I)
_PERSONAL = re.compile(r"\b(personal (?:data|information|details)|pii|customer names|patients?|medical records?|"
                       r"health (?:data|records?)|e-?mail addresses|phone numbers|home addresses|"
                       r"names and addresses)\b", re.I)


def described(section, *attrs: str) -> str:
    """Return the prose of ``section``'s text statements ``attrs`` (`description`, `system_prompt`), joined."""
    return " ".join(getattr(section, a).value for a in attrs if getattr(section, a, None) is not None)


def prose_actions(spec: Resolved, model: n.Model) -> str | None:
    """Return the words of a model (or its output) that say it acts on its own ("sends the reply
    automatically"), when it declares no tools; else ``None``. A hint, never a fact."""
    if model.tools:
        return None
    found = _ACTS.search(" ".join([described(model, "description", "system_prompt"),
                                   *(described(out, "description") for out in spec.outputs_of(model))]))
    return found.group(0) if found else None


def prose_agent(model: n.Model) -> str | None:
    """Return the words of a model's description that say it is an agent, when it declares no tools."""
    if model.tools:
        return None
    found = _AGENT.search(described(model, "description", "system_prompt"))
    return found.group(0) if found else None


def tools_of(spec: Resolved, model: n.Model) -> list[n.Tool]:
    """Return the declared tools ``model`` may call, in the order it lists them."""
    return [spec.tools[r.name] for r in model.tools if r.name in spec.tools]


def acting_tools(spec: Resolved, model: n.Model) -> list[n.Tool]:
    """Return the model's tools with a side effect (write, send, pay, execute, delete) that no person
    confirms (`confirm no`, or no `confirm` at all) and that no `sandbox` contains (a sandbox contains
    writes and executions; a payment or a sent mail leaves it whatever it says)."""
    return [t for t in tools_of(spec, model)
            if t.effect is not None and t.effect.name in SIDE_EFFECTS and not confirmed(t)
            and not (t.sandbox is not None and t.effect.name in CONTAINED)]


def confirmed(tool: n.Tool) -> bool:
    """Return whether a person confirms each use of ``tool``."""
    return tool.confirm is not None and tool.confirm.name == "yes"


def untrusted(section) -> bool:
    """Return whether a source, input or tool is declared `trust untrusted`."""
    return getattr(section, "trust", None) is not None and section.trust.name == "untrusted"


def sounds_untrusted(section) -> str | None:
    """Return the words of a section's description that say its text comes from outside (inbound
    mail, web pages, uploads), when its `trust` is not stated; else ``None``. A hint, never a fact."""
    if getattr(section, "trust", None) is not None:
        return None
    text = " ".join(t.value for t in (getattr(section, "description", None), getattr(section, "scope", None)) if t)
    found = _UNTRUSTED_WORDS.search(text)
    return found.group(0) if found else None


@named
class Origin:
    """Where untrusted text enters a model: the declaration (``section``), what it is in words, and
    whether only its prose says so (``hint``)."""

    section: n.Section
    what: str
    hint: bool


def untrusted_origins(spec: Resolved, model: n.Model, hints: bool = True, _seen: frozenset = frozenset()) -> list[Origin]:
    """Return every place untrusted text reaches ``model`` from: its inputs and their sources, the
    tools it reads through, and (transitively) the models whose output it reads. With ``hints``,
    sections whose description only sounds untrusted count too, marked ``hint``."""
    out: list[Origin] = []

    def add(section, what: str) -> None:
        if untrusted(section):
            out.append(Origin(section, what, False))
        elif hints and sounds_untrusted(section):
            out.append(Origin(section, f"{what} (its description says \"{sounds_untrusted(section)}\")", True))

    for ref in model.reads:
        inp = spec.inputs.get(ref.name)
        if inp is not None:
            add(inp, f"input `{inp.name.name}`")
            for src in inp.from_:
                if src.name in spec.sources:
                    add(spec.sources[src.name], f"source `{src.name}`")
        upstream = spec.writer.get(ref.name)
        if upstream is not None and upstream is not model and id(upstream) not in _seen:
            out += untrusted_origins(spec, upstream, hints, _seen | {id(model)})
    for tool in tools_of(spec, model):
        add(tool, f"tool `{tool.name.name}`")
    seen: set[int] = set()
    unique = []
    for o in out:
        if id(o.section) not in seen:
            seen.add(id(o.section))
            unique.append(o)
    return unique


def calls(model: n.Model) -> float:
    """Return the model calls one request takes: `calls` as written, else 1."""
    return model.calls.value if model.calls is not None else 1.0


def family_of(model: n.Model, ctx) -> tuple[str, dict] | None:
    """Return the chosen step's family name and catalogue entry, when both are known."""
    chosen = [s for s in model.ladder.steps if s.chosen] if model.ladder else []
    step = chosen[0] if len(chosen) == 1 else None
    if step is None or step.family is None:
        return None
    entry = ctx.family(step.family.name) if ctx is not None else None
    return (step.family.name, entry) if entry is not None else None


def context_window(model: n.Model, ctx) -> tuple[float, str] | None:
    """Return the model's context window in tokens and where it comes from (written, or the catalogue)."""
    if model.context_window is not None:
        return model.context_window.value, f"`context_window {model.context_window.text}`"
    fam = family_of(model, ctx)
    if fam and "context_window" in fam[1]:
        return float(fam[1]["context_window"]), f"`{fam[0]}`'s {fam[1]['context_window']:,} tokens (catalogue)"
    return None


@named
class TokenPrice:
    """What one request costs in tokens: dollars, and how it was worked out in words."""

    per_request: float
    how: str


def token_price(model: n.Model, ctx) -> TokenPrice | None:
    """Return the price of one request from `calls` x (`tokens_in` x price_in + `tokens_out` x price_out)
    with the chosen family's catalogue prices (US dollars per million tokens), or ``None`` when a
    figure is missing."""
    fam = family_of(model, ctx)
    if fam is None or model.tokens_in is None or "price_in" not in fam[1] or "price_out" not in fam[1]:
        return None
    name, entry = fam
    tin, tout = model.tokens_in.value, model.tokens_out.value if model.tokens_out is not None else 0.0
    per_call = (tin * entry["price_in"] + tout * entry["price_out"]) / 1e6
    k = calls(model)
    shown_calls = f"{k:g} calls x " if model.calls is not None else ""
    return TokenPrice(per_call * k, f"{shown_calls}({tin:,.0f} in + {tout:,.0f} out tokens) at `{name}`'s "
                      f"${entry['price_in']:g}/${entry['price_out']:g} per 1M tokens")


def hosted_model_of(spec: Resolved, serving: n.Serving) -> n.Model | None:
    """Return the model a hosted serving section serves, when it names a provider."""
    if serving.provider is None and "provider" not in serving.spans:
        return None
    return spec.model_of.get(id(serving))


def personal_fields(spec: Resolved, model: n.Model) -> list[tuple[n.Source, str]]:
    """Return ``(source, field)`` for every personal (`pii`) or protected field the model's inputs
    carry; a text input read from a source with personal data carries it whole (its `body` is the mail)."""
    out: list[tuple[n.Source, str]] = []
    for ref in model.reads:
        inp = spec.inputs.get(ref.name)
        if inp is None:
            continue
        names = {f.name for f in inp.fields}
        for src_ref in inp.from_:
            src = spec.sources.get(src_ref.name)
            if src is None:
                continue
            said = _PERSONAL.search(described(src, "description")) if not (src.pii or src.protected) else None
            free = sorted(names & FREE_TEXT)
            if said and free:
                out.append((src, f"free text `{free[0]}` (its description says \"{said.group(0)}\")"))
                continue
            for f in (*src.pii, *src.protected):
                if f.name in names and (src, f.name) not in out:
                    out.append((src, f.name))
            if (src.pii or src.protected) and free and not any(s is src for s, _ in out):
                out.append((src, f"free text `{free[0]}`"))
    return out


def is_rag(spec: Resolved, model: n.Model) -> str | None:
    """Return why ``model`` generates from retrieved text (a retrieval model upstream, or an input read
    from a `kind index` source), or ``None``."""
    if model.task is None or model.task.name not in GENERATIVE_TASKS:
        return None
    for up in spec.upstream.get(model.name.name, ()):
        if up.task is not None and up.task.name == "retrieval":
            return f"it reads what retriever `{up.name.name}` finds"
    for ref in model.reads:
        inp = spec.inputs.get(ref.name)
        for src in (spec.sources.get(s.name) for s in (inp.from_ if inp else ())):
            if src is not None and src.kind is not None and src.kind.name == "index":
                return f"it reads index `{src.name.name}`"
    return None


def secret_words(text: str | None) -> str | None:
    """Return the words of ``text`` that name a secret (an API key, a password), else ``None``."""
    found = _SECRET_WORDS.search(text or "")
    return found.group(0) if found else None


PINNED = re.compile(r"(\d{4}-?\d{2}-?\d{2}|@\d{8}|-\d{3,}$|-v\d+(?:[.:]\d+)*$|:\d+$)")
"""A dated snapshot (`gpt-4o-2024-08-06`, `claude-3-5-sonnet-20241022`, `claude-sonnet-4@20250514`),
a numbered release (`gemini-1.5-pro-002`, `anthropic.claude-v2:1`), or a fine-tune id."""


def pinned(version: str) -> bool:
    """Return whether a hosted model's `version` names a fixed snapshot, not an alias that moves."""
    v = version.strip().lower()
    if not v or "latest" in v or v in {"default", "auto", "stable", "current"}:
        return False
    return PINNED.search(v) is not None or v.startswith("ft:")
