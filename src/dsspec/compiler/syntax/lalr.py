"""A small LALR(1) driver over the tables Lark generated from the grammar.

It builds the tree the way Lark would with an embedded transformer: tokens
the grammar filters out (``_NL``, ``;``, ``,``, ``..``) are dropped, rules
named ``_x`` (and Lark's ``__x_star_n`` repetitions) are spliced into their
parent, ``?rule`` alternatives with one child pass the child through, and
every other rule calls the builder's method named after the rule or its
alias. The loop is iterative: nesting depth never reaches Python's stack.
"""

from __future__ import annotations

from dsspec.compiler.syntax.lexer import Token


class _Splice(list):
    """Children of an inlined rule, to be spliced into the parent's."""


class ParseError(Exception):
    """No action for ``token`` in the current state; ``expected`` lists what would fit."""

    def __init__(self, token: Token, expected: list[str]):
        super().__init__(token)
        self.token, self.expected = token, expected


class Parser:
    def __init__(self, table: dict):
        self.states = [table["states"][str(i)] for i in range(len(table["states"]))]
        inlined = {r["origin"] for r in table["rules"] if r["inline"]}
        # per rule: None when every child is kept as is (the common case), else which to drop (0),
        # keep (1) or splice (2); symbols come from the rule's expansion, recorded as `symbols`
        self.rules = []
        for r in table["rules"]:
            modes = tuple(0 if not kept else 2 if sym in inlined else 1 for sym, kept in zip(r["symbols"], r["keep"]))
            plan = None if all(m == 1 for m in modes) else modes
            self.rules.append((r["origin"], r["size"], plan, r["inline"], r["expand1"], r["callback"]))
        self.start = table["start"]
        self.end = table["end"]
        # the loop's form of the tables: per state, terminal or rule name -> an int, the next state for a
        # shift or a goto (>= 0), or ~rule for a reduce (< 0); one dict look-up and one comparison per step
        self.actions = [{k: (a[1] if a[0] == 0 else ~a[1]) for k, a in state.items()} for state in self.states]

    def parse(self, tokens, builder, on_error):
        """Return the builder's result for the token stream.

        ``on_error(ParseError)`` is called for a token no rule accepts; the
        token is then skipped (returning False stops the parse). A stop or
        an unexpected end returns ``None``.
        """
        actions = self.actions
        # per rule: (origin, size, plan, inline, expand1, the builder's method) bound once per parse
        rules = [(origin, size, plan, inline, expand1, None if inline else getattr(builder, callback, None))
                 for origin, size, plan, inline, expand1, callback in self.rules]
        end = self.end
        stack = [self.start]
        push_state = stack.append
        values: list = []
        push_value = values.append
        state = actions[self.start]
        for tok in tokens:
            kind = tok.type
            while True:
                action = state.get(kind)
                if action is None:
                    expected = [k for k in self.states[stack[-1]] if k.isupper() or k == "$END" or
                                k.startswith("_") and k[1:].isupper()]
                    if not on_error(ParseError(tok, expected)) or kind == "$END":
                        return None
                    break
                if action >= 0:  # shift
                    push_state(action)
                    push_value(tok)
                    state = actions[action]
                    break
                origin, size, plan, inline, expand1, fn = rules[~action]
                if size:
                    kids = values[-size:]
                    del values[-size:]
                    del stack[-size:]
                else:
                    kids = []
                if plan is not None:
                    children, kids = kids, []
                    for i, (child, mode) in enumerate(zip(children, plan)):
                        if mode == 1:
                            kids.append(child)
                        elif mode == 2:
                            if i == 0 and inline:
                                # a left-recursive repetition (`items: items item`): grow the list in
                                # place; copying it at every item made long lists quadratic
                                kids = child
                            else:
                                kids.extend(child)
                if inline:
                    value = kids if type(kids) is _Splice else _Splice(kids)
                elif expand1 and len(kids) == 1:
                    value = kids[0]
                else:
                    value = fn(kids)
                goto = actions[stack[-1]][origin]
                if goto == end and kind == "$END":
                    return value
                push_state(goto)
                push_value(value)
                state = actions[goto]
        return None
