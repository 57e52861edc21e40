"""The MCP server's tools, called through the SDK's own client connected in process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

mcp = pytest.importorskip("mcp")  # in the test extra
from mcp import Client  # noqa: E402

from dsspec.integrations import mcp as mcp_server  # noqa: E402
from dsspec.integrations.mcp import server  # noqa: E402

pytestmark = pytest.mark.anyio
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def anyio_backend():
    return "asyncio"


async def call(tool: str, **arguments):
    async with Client(server) as client:
        result = await client.call_tool(tool, arguments)
    assert not result.is_error, result.content
    return _data(tool, result)


async def fails(tool: str, **arguments) -> str:
    """Call a tool that must answer with a tool error (``isError``); return its message."""
    async with Client(server) as client:
        result = await client.call_tool(tool, arguments)
    assert result.is_error, result.content
    text = result.content[0].text
    assert text.startswith(f"Error executing tool {tool}: ")  # the SDK's prefix of a ToolError's message
    return text.removeprefix(f"Error executing tool {tool}: ")


def _data(tool: str, result):
    if result.structured_content is not None:
        data = result.structured_content
        return data.get("result", data) if isinstance(data, dict) and set(data) == {"result"} else data
    text = result.content[0].text
    return json.loads(text) if tool in ("check", "list_rules") else text


async def test_tools_are_listed_with_their_documentation():
    async with Client(server) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
    assert set(tools) == {"check", "explain_rule", "list_rules", "build_view", "scaffold"}
    assert "finding" in tools["check"].description
    assert "`view` is one of: `system`" in tools["build_view"].description


async def test_check_a_file_and_a_text():
    clean = await call("check", path=str(ROOT / "specs" / "search_ranking.dsspec"))
    assert clean["summary"]["errors"] == 0
    broken = await call("check", text="operator {\n  latncy p99 <= 80ms\n}\n")
    typo = next(f for f in broken["findings"] if f["rule"] == "unknown-statement")
    assert typo["line"] == 2 and "did you mean `latency`" in typo["message"]
    assert "error[DS010]" in broken["report"]
    assert await fails("check", path="no/such.dsspec") == "no such file: `no/such.dsspec`"


async def test_explain_and_list_rules():
    doc = await call("explain_rule", rule="DS401")
    assert doc.startswith("# DS401 baseline-missing") and "## Use instead" in doc
    assert "did you mean `baseline-missing`" in await fails("explain_rule", rule="baseline-mising")
    rules = await call("list_rules")
    assert {"code": "DS401", "name": "baseline-missing"}.items() <= next(r for r in rules if r["code"] == "DS401").items()


async def test_build_a_view_and_scaffold_a_design(tmp_path: Path, monkeypatch):
    spec = str(ROOT / "specs" / "search_ranking.dsspec")
    dot = await call("build_view", path=spec, view="system", format="dot")
    assert dot.startswith("digraph") and "ndcg" in dot
    svg = await call("build_view", path=spec, format="svg")
    assert svg.lstrip().startswith("<?xml") or "<svg" in svg
    assert (await call("build_view", path=spec, format="md")).startswith("# ")
    assert "unknown view `nope`" in await fails("build_view", path=spec, view="nope")
    skeleton = await call("scaffold", name="churn_outreach")
    assert "product churn_outreach {" in skeleton
    monkeypatch.setattr(mcp_server, "ROOT", tmp_path.resolve())  # the server started in that folder
    (tmp_path / "dsspec.toml").write_text("")
    (tmp_path / "churn_outreach.dsspec").write_text(skeleton)
    checked = await call("check", path=str(tmp_path / "churn_outreach.dsspec"))
    assert not any(f["rule"] in ("syntax-error", "unknown-statement") for f in checked["findings"])
    assert checked["findings"]   # a skeleton is not a finished design
    assert json.dumps(checked)   # plain data all the way down


async def test_the_command_serves_over_stdio():
    import sys

    from mcp import StdioServerParameters

    params = StdioServerParameters(command=sys.executable, args=["-m", "dsspec", "mcp"])
    async with Client(params) as client:
        result = await client.call_tool("explain_rule", {"rule": "baseline-missing"})
    assert result.content[0].text.startswith("# DS401 baseline-missing")


async def test_paths_are_confined_to_spec_files_in_the_server_folder(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(mcp_server, "ROOT", tmp_path.resolve())
    (tmp_path / "secret.txt").write_text("password = hunter2\n")
    (tmp_path / "a.dsspec").write_text('include "secret.txt"\n\nproduct a {\n  owner x\n}\n')
    (tmp_path / "dir.dsspec").mkdir()
    for path in ("/etc/passwd", str(tmp_path / "secret.txt"), "../outside.dsspec", "/dev/zero"):
        said = await fails("check", path=path)
        assert said.startswith(f"refused `{path}`: this server reads only .dsspec files inside"), said
        assert "refused" in await fails("build_view", path=path)
    assert await fails("check", path="dir.dsspec") == "`dir.dsspec` is not a regular file"
    assert "refused" in await fails("check", path="/etc/x.dsspec", text="product x {}\n")
    checked = json.dumps(await call("check", path=str(tmp_path / "a.dsspec")))
    assert "hunter2" not in checked and "password" not in checked
