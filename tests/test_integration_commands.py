"""The integration commands on a core install: a missing extra is a usage error that names it."""

from __future__ import annotations

import subprocess
import sys

import pytest

BLOCK = "import sys; sys.modules[{module!r}] = None; from dsspec.cli import main; sys.exit(main({argv!r}))"


@pytest.mark.parametrize("argv, module, extra", [
    (["lsp"], "pygls", "lsp"),
    (["mcp"], "mcp", "mcp"),
    (["preview", "specs/search_ranking.dsspec", "--port", "0"], "watchfiles", "preview"),
])
def test_missing_extra_is_a_usage_error(argv, module, extra):
    done = subprocess.run([sys.executable, "-c", BLOCK.format(module=module, argv=argv)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert done.stderr == f"dsspec: error: the {'language server' if extra == 'lsp' else 'MCP server' if extra == 'mcp' else 'preview'} needs {module}: pip install 'dsspec[{extra}]'\n"


def test_preview_of_a_missing_file_is_a_usage_error():
    done = subprocess.run([sys.executable, "-m", "dsspec", "preview", "no/such.dsspec"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stderr == "dsspec: error: no such file: `no/such.dsspec`\n"
