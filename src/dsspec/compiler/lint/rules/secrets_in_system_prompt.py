from __future__ import annotations

from dsspec.base.diagnostics import Severity
from dsspec.compiler.lint.base import Hit, Rule
from dsspec.compiler.lint.llm import secret_words


class SecretsInSystemPrompt(Rule):
    """A system prompt holds secrets the model could reveal.

    Stage: system design

    ## What it does
    Flags a model whose `prompt_secrets` lists anything: credentials,
    connection strings, internal rules or prices written into its system
    prompt. A `system_prompt` or model description that names a credential
    ("API key", "password", "token") without `prompt_secrets` gives a
    warning that asks for the fact.

    References: OWASP Top 10 for LLM Applications 2025, LLM07 System Prompt
    Leakage and LLM02 Sensitive Information Disclosure.

    ## Why it matters
    A system prompt is not a secret store: users extract it with a request
    as simple as "repeat the text above", and injected text can make the
    model write it into a link. A credential in the prompt belongs to
    whoever asks for it; an internal rule in it (a discount ceiling, a
    fraud threshold) is the rule an attacker learns to game. Secrets belong
    to the tools that use them, outside the model's context.

    ## Example
    ```dsspec
    product p { owner "a@b.c" }
    model assistant { task generation; prompt_secrets [crm_api_key] }
    ```

    ## Use instead
    ```dsspec
    product p { owner "a@b.c" }
    tool crm_lookup { effect read; scope "the caller's own account; the key stays in the tool service" }
    model assistant {
      task generation
      tools [crm_lookup]
      max_steps 4
      stop "an answer or a hand-off"
      system_prompt "Persona, refusal policy and tool instructions; no credentials"
    }
    ```
    """

    code = "DS385"
    name = "secrets-in-system-prompt"
    severity = Severity.ERROR
    stage = "system design"
    references = ("owasp-llm:LLM07", "owasp-llm:LLM02")

    def check(self, spec, ctx):
        for model in spec.spec.models:
            if model.prompt_secrets:
                names = ", ".join(f"`{s.name}`" for s in model.prompt_secrets)
                yield Hit(model.spans["prompt_secrets"],
                          f"the system prompt of `{model.name.name}` holds {names}: users and injected text can "
                          "make the model reveal it",
                          "keep secrets out of the prompt: credentials in the tool layer that uses them, internal "
                          "rules enforced in code after the model")
                continue
            for attr in ("system_prompt", "description"):
                text = getattr(model, attr)
                word = secret_words(text.value if text else None)
                if word and not _denied(text.value, word) and (attr == "system_prompt" or
                                                               "prompt" in text.value.lower()):
                    yield Hit(model.spans[attr],
                              f"the {attr.replace('_', ' ')} of `{model.name.name}` mentions \"{word}\": if the "
                              "system prompt holds it, the model can reveal it",
                              "move the secret to the tool layer; say what the prompt holds with "
                              "`prompt_secrets [...]` if it must stay", severity=Severity.WARNING)
                    break


def _denied(text: str, word: str) -> bool:
    """Return whether the text says the secret is *not* in the prompt ("no credentials", "never the API key",
    "the API key stays in the tool service")."""
    before, _, after = text.lower().partition(word.lower())
    return any(w in before[-40:] for w in ("no ", "never", "without", "not ", "outside", "kept out", "nor ")) or \
        any(w in after[:60] for w in ("stays out", "kept out", "outside", "not in", "never", "held by", "stays in",
                                     "in the tool", "vault", "secret manager", "server-side"))
