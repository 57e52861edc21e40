"""``dsspec lsp``: run the language server over standard input and output."""

from __future__ import annotations

from dsspec.commands import EXIT_OK, EXIT_USAGE, from_extra

HELP = "run the language server (stdio) for editors; needs `pip install 'dsspec[lsp]'`"
DESCRIPTION = ("Serve the Language Server Protocol over standard input and output: findings as you type, "
               "hover, go to definition, references, rename, completion, quick fixes, formatting and the "
               "outline. Editors start it; see editors/vscode for VS Code.")


def add_arguments(p) -> None:
    pass


def run(args) -> int:
    main = from_extra("dsspec.integrations.lsp.server", "main", "the language server", "lsp")
    error = main()
    import os
    import sys

    sys.stdout = open(os.devnull, "w")  # the server closed stdout on exit; the CLI's final flush must not fail
    return EXIT_OK if error is None else EXIT_USAGE
