"""Command line: parse arguments, run the chosen command, return its exit code.

Exit codes: 0 no finding at or above the fail level, 1 findings at or above
it, 2 usage errors (unknown flag, missing file) and internal errors. Each
command lives in ``dsspec.commands.<name>`` (its arguments and its run
function); heavy modules are imported inside the commands, so ``dsspec
--help`` starts fast.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys

from dsspec import __version__
from dsspec.commands import EXIT_OK, EXIT_USAGE, UsageError
from dsspec.base.streams import Output, clip

COMMANDS = ("check", "build", "fmt", "diff", "init", "schema", "rules", "explain", "questions", "lsp", "preview", "mcp")
"""Command names; each is the module ``dsspec.commands.<name>`` with ``HELP``, ``add_arguments`` and ``run``."""


def _chosen(argv: list[str]) -> str | None:
    """Return the command ``argv`` names: its first word that is a command's name (after top-level options, as
    in ``dsspec --bogus check --help``, whose command still parses its own options first), else ``None``."""
    for word in argv:
        if word in COMMANDS:
            return word
        if word == "--":
            break
    return None


def _parser(only: str | None = None) -> tuple[argparse.ArgumentParser, dict]:
    """Return the argument parser and the command modules it loaded.

    With ``only``, that command's parser is whole (a command module is imported with its parser), which is all
    a run needs. Without it (``dsspec --help``, no command, a mistyped one) each command is a name, its one-line
    help and the rest of the words: building every command's options would load the diagram emitters for
    ``build``'s choices, and ``main`` builds the whole parser of a command found there instead.
    """
    p = argparse.ArgumentParser(
        prog="dsspec", formatter_class=_Formatter,
        description="Design-as-code for data-science and ML products: check .dsspec designs against "
                    "senior-DS design rules, and build diagrams and design documents from them.",
        epilog="Run `dsspec COMMAND --help` for a command's options. Docs: docs/ in the repository.")
    p.add_argument("--version", action="version", version=f"dsspec {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    modules = {}
    for name in COMMANDS if only is None else (only,):
        mod = importlib.import_module(f"dsspec.commands.{name}")
        cmd = sub.add_parser(name, help=mod.HELP, description=getattr(mod, "DESCRIPTION", mod.HELP),
                             formatter_class=_Formatter, add_help=only is not None)
        if only is None:
            cmd.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
        else:
            mod.add_arguments(cmd)
        modules[name] = mod
    return p, modules


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter, told the terminal's width: left to find it, argparse imports shutil (and its
    compression modules) on every run, for a width only help and usage errors print."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None):
        if width is None:
            width = _columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)


def _columns() -> int:
    """Return the terminal's width as ``shutil.get_terminal_size`` finds it: ``COLUMNS``, else stdout's, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def tune_collector() -> None:
    """Set Python's cycle collector for a compiler's workload (``main`` calls it once per process).

    Compiling allocates many small objects that are nearly all acyclic
    (tokens, spans, nodes), so the default thresholds start collections
    every few hundred allocations, and each pass over older generations grows
    with everything built so far: parse time grew 20x for 10x the lines.
    Freezing what the imports made and raising the thresholds keeps cycle
    collection, only far rarer: a spec compiles ~25% faster and a large one
    scales linearly.
    """
    if _TUNED:
        return  # once: frozen objects are never collected, so freezing again on each in-process run
        # (tests, the fuzz campaign, a tool calling ``main`` in a loop) kept every run's garbage for good
    _TUNED.append(True)
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)


_TUNED: list[bool] = []


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    words = sys.argv[1:] if argv is None else list(argv)
    if words[:1] == ["--version"]:
        try:
            print(f"dsspec {__version__}")
        except OSError:  # stdout closed or full: nothing to say it on, as argparse's version action
            pass
        return EXIT_OK
    parser, modules = _parser(_chosen(words))
    args = parser.parse_args(words)
    if getattr(args, "rest", None) is not None:  # a command the light parser found where ``_chosen`` did not look
        # (after ``--``, which argparse in newer Pythons reads on past): parse again with the command's options
        parser, modules = _parser(args.command)
        args = parser.parse_args(words)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    tune_collector()
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = Output(saved[0]), Output(saved[1], quiet=True)
    try:
        code = modules[args.command].run(args)
        sys.stdout.flush()
        return code
    except UsageError as err:
        print(f"dsspec: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as err:  # a bug in dsspec, not a user's mistake: the guard of every command
        if os.environ.get("DSSPEC_RAISE_INTERNAL") == "1":  # the test suite: fail on the bug itself
            raise
        import shlex
        import traceback

        command = shlex.join(["dsspec", *(clip(a, 60) for a in (sys.argv[1:] if argv is None else argv))])
        print(f"dsspec: internal error in `{clip(command, 300)}`: {type(err).__name__}: {clip(str(err), 300)}\n"
              "this is a bug in dsspec; please report it with the input that caused it", file=sys.stderr)
        if os.environ.get("DSSPEC_DEBUG"):
            traceback.print_exc()
        return EXIT_USAGE
    finally:
        sys.stdout, sys.stderr = saved


def run() -> None:
    """Console entry point: run ``main``, flush, and leave without tearing the heap down.

    Freeing every object of a large run one by one at interpreter exit took
    longer than checking a few hundred specs; the operating system reclaims
    the memory at once. Output is flushed first, so nothing is lost.
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # said already, or nowhere left to say it (ValueError: closed by pygls)
            pass
    os._exit(code)
