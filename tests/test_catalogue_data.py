"""The catalogues' generated JSON: made from the TOML people edit, never stale, never read when it disagrees."""

from __future__ import annotations

import pytest

from dsspec.compiler.lint import catalogue as cat

TOMLS = sorted(cat.DATA.glob("*.toml"))


@pytest.mark.parametrize("toml", TOMLS, ids=lambda p: p.stem)
def test_each_catalogue_json_is_generated_from_its_toml(toml):
    made = toml.with_suffix(".json")
    assert made.exists(), f"regenerate with: python -m dsspec.compiler.lint.catalogue ({made.name} is missing)"
    assert made.read_text("utf-8") == cat.generated(toml), \
        f"{toml.name} changed: regenerate with python -m dsspec.compiler.lint.catalogue"


def test_there_are_the_five_catalogues():
    assert [p.stem for p in TOMLS] == ["families", "hardware", "metrics", "questions", "references"]


def test_a_json_made_from_other_bytes_is_ignored_and_the_toml_is_read(tmp_path):
    toml = tmp_path / "metrics.toml"
    toml.write_text('[recall]\nbetter = "higher"\n', encoding="utf-8")
    toml.with_suffix(".json").write_text(cat.generated(toml), encoding="utf-8")
    assert cat.load(toml) == {"recall": {"better": "higher"}}
    toml.write_text('[recall]\nbetter = "lower"\n', encoding="utf-8")   # edited, JSON not regenerated
    assert cat.load(toml) == {"recall": {"better": "lower"}}
    toml.with_suffix(".json").write_text("{not json", encoding="utf-8")
    assert cat.load(toml) == {"recall": {"better": "lower"}}
    toml.with_suffix(".json").unlink()
    assert cat.load(toml) == {"recall": {"better": "lower"}}


def test_the_json_gives_what_the_toml_gives():
    import tomllib

    for toml in TOMLS:
        assert cat.load(toml) == tomllib.loads(toml.read_text("utf-8"))
