"""The JSON Schema of [tool.dsspec] agrees with the configuration loader, and docs/dsspec.schema.json is current."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

from dsspec.compiler.lint import config as configuration
from dsspec.compiler.lint.config_schema import render, schema

ROOT = Path(__file__).resolve().parents[1]
jsonschema = pytest.importorskip("jsonschema")


def test_committed_schema_is_current():
    assert (ROOT / "docs" / "dsspec.schema.json").read_text() == render(), \
        "regenerate with: dsspec schema --config > docs/dsspec.schema.json"


def test_the_documented_example_is_valid():
    doc = (ROOT / "docs" / "configuration.md").read_text()
    example = re.search(r"```toml\n(\[tool\.dsspec\].*?)```", doc, re.S).group(1)
    table = tomllib.loads(example)["tool"]["dsspec"]
    jsonschema.validate(table, schema())


BAD = [
    'selct = ["DS1"]',
    '[severity]\nowner-missing = "fatal"',
    '[thresholds]\nrealtime-latency = "fast"',
    '[thresholds]\nrealtme-latency = "1s"',
    '[thresholds]\nrealtime-latency = 5',
    'select = ["no-such-rule"]',
    '[metrics]\nuplift = { better = "up" }',
    '[hardware]\ngpu_hour_price = -1',
    '[families.x]\ntier = 7\nparams = 1\nlatency_ms = { cpu = [1, 1] }',
]


@pytest.mark.parametrize("text", BAD)
def test_what_the_loader_rejects_the_schema_rejects(text, tmp_path):
    path = tmp_path / "dsspec.toml"
    path.write_text(text + "\n")
    assert configuration.load(path).diagnostics, "the loader accepts it"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(tomllib.loads(text), schema())


def test_schema_command(capsys):
    from dsspec.cli import main

    assert main(["schema", "--config"]) == 0
    assert json.loads(capsys.readouterr().out)["title"].startswith("dsspec configuration")
