"""``dsspec mcp``: run the MCP server over standard input and output."""

from __future__ import annotations

from dsspec.commands import EXIT_OK, from_extra

HELP = "run the MCP server (stdio) for coding assistants; needs `pip install 'dsspec[mcp]'`"
DESCRIPTION = ("Serve the Model Context Protocol over standard input and output, with tools to check a spec "
               "or a text, explain a rule, list the rules, build a view and scaffold a design, so a coding "
               "assistant can write and fix designs with dsspec's judgement.")


def add_arguments(p) -> None:
    pass


def run(args) -> int:
    main = from_extra("dsspec.integrations.mcp", "main", "the MCP server", "mcp")
    main()
    return EXIT_OK
