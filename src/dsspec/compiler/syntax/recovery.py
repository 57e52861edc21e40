"""Recovery that needs the lexer's state: lists without brackets, lists and blocks left open, stray braces.

``Recovery`` is mixed into the lexer's scan (``dsspec.compiler.syntax.lexer._Scan``):
its methods read and edit the tokens produced so far (``self.out``) to put
back what a newcomer left out — the brackets of ``fields a, b``, the ``;``
of ``{ a 1, b 2 }``, the ``]`` of a list that ended with its line, the ``{``
of a statement whose ``}`` arrives alone — reporting each once.
"""

from __future__ import annotations

import re

from dsspec.base.span import Span
from dsspec.compiler.syntax.fix import short
from dsspec.compiler.syntax.mistakes import STATEMENTS_NAMED, TEXT_STATEMENTS, comma_in_statement, unquoted_text
from dsspec.compiler.syntax.tokens import Token

_AHEAD = re.compile(r"(?:[ \t\f\r\n]|#[^\n]*)*")
_ITEMS_LINE = re.compile(r"[^\n{}#]*[,\]][ \t]*(?:#[^\n]*)?(?:\n|$)")
_NEXT_STATEMENT = re.compile(r"\s*[A-Za-z_]\w*(?:\s*(?:[;}]|$)|\s+[^\s,;}])")
_FIRST_STRING = re.compile(r'\s*("[^"]*"?)')
_BARE_LIST = re.compile(r"\s*(?:\w+|\"[^\"]*\")(?:\s*,\s*(?:\w+|\"[^\"]*\"))*\s*,?\s*")


class Recovery:
    """Methods of the lexer's scan that repair structure; see the module docstring."""

    def comma(self, tok: Token) -> int:
        """Handle a `,` outside a list; return where to go on.

        A trailing one is dropped; between statements on one line it stands
        for `;`; after a statement's only value it starts a list written
        without brackets, which the end of the line closes.
        """
        text = self.text
        eol = text.find("\n", tok.end_pos)
        rest = text[tok.end_pos:len(text) if eol < 0 else eol].split("#")[0]
        statement = self.statement()
        if not rest.strip() or rest.strip().startswith("}"):
            self.error(tok.start_pos, tok.end_pos, "remove the `,`: a statement ends at the end of its line",
                       "statements are separated by new lines or `;`")
            return tok.end_pos
        texts = '"' in rest or any(t.type == "STRING" for t in statement[1:])
        # a statement that takes text (`fallback previous_model, "why"`, `protected none, "why"`): the comma goes;
        # a list statement with a quoted item (`metrics precision, "recall"`) is still told its brackets
        takes_text = bool(statement) and (statement[0].value in TEXT_STATEMENTS
                                          or statement[0].value not in STATEMENTS_NAMED
                                          or len(statement) >= 2 and statement[1].value == "none")
        if len(statement) >= 2 and texts and takes_text and statement[0].type == "NAME":
            if statement[-1].type == "STRING" and rest.lstrip().startswith('"'):  # `non_goal "a", "b"`
                self.error(tok.start_pos, tok.end_pos, f"write `{statement[0].value} {short(_FIRST_STRING.match(rest).group(1))}` on a "
                           f"line of its own: `{statement[0].value}` takes one text, and a list holds names, "
                           "not text", "statements are separated by new lines or `;`")
                self.push(self.token("SEMICOLON", ";", tok.start_pos, tok.end_pos))
                self.push(self.token("NAME", statement[0].value, tok.start_pos, tok.end_pos))
                return tok.end_pos
            self.error(tok.start_pos, tok.end_pos, "remove the `,`: the values of a statement are separated by "
                       "spaces", None)  # `fallback previous_model, "why"`: a name, then its text
            return tok.end_pos
        if len(statement) == 2 and statement[1].type in ("NAME", "STRING") and \
                _BARE_LIST.fullmatch(rest.split("}")[0]) is not None:
            first = statement[1]
            written = text[first.start_pos:tok.end_pos] + rest.split("}")[0].rstrip()
            self.error(first.start_pos, tok.end_pos + len(rest.split("}")[0].rstrip()),
                       f"write `{statement[0].value} [{short(written)}]`: a list is written in square brackets", None)
            self.out.insert(len(self.out) - 1, Token("LSQB", "[", first.start_pos, first.line, first.column,
                                                     first.line, first.column, first.start_pos))
            self.depth, self.list_open, self.bare = 1, self.out[-2], True
            self.push(tok)
            return tok.end_pos
        dropped = comma_in_statement(text, tok.start_pos, statement)
        if dropped is not None:
            return self.apply(dropped)
        texty = len(statement) >= 3 or len(statement) == 2 and statement[1].value[:1].isupper()
        if not texty and len(statement) >= 2 and _NEXT_STATEMENT.match(rest):
            self.error(tok.start_pos, tok.end_pos, "write `;` instead of `,`: statements on one line are separated "
                       "by `;`", None)
            self.push(self.token("SEMICOLON", ";", tok.start_pos, tok.end_pos))
            return tok.end_pos
        fix = unquoted_text(text, tok.start_pos, statement)
        if fix is not None:
            return self.apply(fix)
        self.push(tok)
        return tok.end_pos

    def newline(self, tok: Token) -> None:
        """Push the end of a line, unless a list goes on over it; end what the line left unfinished."""
        out = self.out
        if self.bare:
            self.close_bare()
        if self.depth:
            if not self.yaml_list and (out[-1].type in ("COMMA", "LSQB") or self.depth > 1):
                return
            ahead = _AHEAD.match(self.text, tok.end_pos, tok.end_pos + 256).end()
            following = self.text[ahead:ahead + 1]
            if self.yaml_list:
                if following == "-":
                    return
                self.close_bare()
                self.yaml_list = False
            elif following in ("]", ",") or _ITEMS_LINE.match(self.text, ahead):
                return  # the list goes on (its next line holds items, so a `,` is what is missing)
            else:  # `reads [account` and the next line is a statement: the list ended with its line
                self.errors.append((Span.of_token(self.list_open), f"unclosed `[`: add `]` at the end of line "
                                    f"{out[-1].end_line}", "a list is written `[a, b]`"))
                self.close_bare()
        if out and out[-1].type in ("CMP", "_DOTDOT"):
            last = out.pop()
            refused = self.errors and self.errors[-1][0].line == last.line and \
                (self.errors[-1][0].line, self.errors[-1][0].column) > (last.line, last.column)
            if not refused:  # a value written after it but refused (`<= 1e1000`) has its own finding
                self.errors.append((Span.of_token(last), "add the end date after `..`" if last.type == "_DOTDOT"
                                    else f"add a value after `{last.value}`: a comparison is an operator and a "
                                    "value, e.g. `<= 80ms`", None))
        self.push(tok)

    def close_bare(self) -> None:
        """Close a list written without brackets, at the end of its line."""
        last = self.out[-1]
        self.out.append(Token("RSQB", "]", last.end_pos, last.end_line, last.end_column, last.end_line,
                              last.end_column, last.end_pos))
        self.depth, self.bare = 0, False

    def missing_open(self, tok: Token) -> bool:
        """Handle a `}` with no block open; return whether to keep it.

        When it starts its line and a statement above at its indentation,
        followed by deeper lines, has no `{`, that `{` is what is missing: it
        is added there. Otherwise the `}` is reported and dropped.
        """
        out = self.out
        header = None
        if out and out[-1].type == "_NL":
            indent = tok.column - 1
            for i in range(len(out) - 1, max(-1, len(out) - 1 - 300), -1):  # a block is not that long
                if out[i].type != "_NL" and (i == 0 or out[i - 1].type == "_NL") and out[i].column - 1 <= indent:
                    header = i if out[i].column - 1 == indent and out[i].type == "NAME" else None
                    break
        if header is not None:
            end = next(j for j in range(header, len(out)) if out[j].type == "_NL")
            if end < len(out) - 1 and not any(t.type in ("LBRACE", "RBRACE") for t in out[header:end]):
                last = out[end - 1]
                brace = Token("LBRACE", "{", last.end_pos, last.end_line, last.end_column, last.end_line,
                              last.end_column, last.end_pos)
                out.insert(end, brace)
                self.errors.append((Span.point(last.end_line, last.end_column, last.end_pos, 0),
                                    f"add `{{` at the end of line {last.end_line}: "
                                    f"`{line_text(self.text, last.end_pos)} {{`", "a block opens on the line of "
                                    "its statement with `{` and ends with `}`"))
                return True
        self.errors.append((Span.of_token(tok), "remove this `}`: no block is open here", None))
        return False


def line_text(text: str, pos: int) -> str:
    """Return the line holding offset ``pos``, stripped, without its comment (shortened past 50 characters)."""
    start = text.rfind("\n", 0, pos) + 1
    stop = text.find("\n", pos)
    line = text[start:len(text) if stop < 0 else stop].split("#")[0].strip()
    return line if len(line) <= 50 else line[:47] + "..."
