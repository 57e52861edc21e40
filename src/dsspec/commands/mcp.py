"""``dsspec mcp``: run the MCP server over standard input and output."""

from __future__ import annotations

from dsspec.commands import EXIT_OK, UsageError

HELP = "run the MCP server (stdio) for coding assistants; needs `pip install 'dsspec[mcp]'`"
DESCRIPTION = ("Serve the Model Context Protocol over standard input and output, with tools to check a spec "
               "or a text, explain a rule, list the rules, build a view and scaffold a design, so a coding "
               "assistant can write and fix designs with dsspec's judgement.")


def add_arguments(p) -> None:
    pass


def run(args) -> int:
    try:
        from dsspec.mcp_server import main
    except ImportError as err:
        package = (err.name or "a package").split(".")[0]
        raise UsageError(f"the MCP server needs {package}: pip install 'dsspec[mcp]'") from None
    main()
    return EXIT_OK
