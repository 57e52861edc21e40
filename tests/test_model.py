"""The model stage: schema findings, normalised values, references and includes."""

from __future__ import annotations

from dsspec.base.paths import project_root

from conftest import rules_of

CORE = {"syntax-error", "unknown-statement", "invalid-value", "missing-value", "duplicate-statement",
        "unknown-reference", "duplicate-declaration", "include-error", "encoding-error", "nesting-too-deep",
        "input-too-large"}


def core(result):
    return [(line, rule) for line, rule in rules_of(result) if rule in CORE]


def messages(result, rule):
    return [d.message for d in result.diagnostics if d.rule == rule]


def test_misspelt_attribute_suggests_the_right_one(check):
    r = check("""\
        operator {
          latncy p99 <= 80ms
        }
        """)
    assert core(r) == [(2, "unknown-statement")]
    assert messages(r, "unknown-statement") == ["unknown attribute `latncy` in `operator`; did you mean `latency`?"]


def test_misspelt_section_suggests_the_right_one(check):
    r = check("evalaution {\n  split time\n}\n")
    assert messages(r, "unknown-statement") == ["unknown section `evalaution`; did you mean `evaluation`?"]


def test_value_of_the_wrong_kind(check):
    r = check("operator {\n  latency p99 <= 80\n  budget 6000\n}\n")
    assert core(r) == [(2, "invalid-value"), (3, "invalid-value")]
    latency, budget = messages(r, "invalid-value")
    assert "duration" in latency and "number `80`" in latency
    assert "an amount of money" in budget


def test_enum_value_lists_the_allowed_ones_and_suggests(check):
    r = check("source s {\n  kind strem\n}\n")
    (d,) = [d for d in r.diagnostics if d.rule == "invalid-value"]
    assert "`stream`" in d.message and "`table`" in d.message
    assert d.message.endswith("found `strem`; did you mean `stream`?")
    assert d.help == "write `stream`"
    assert (d.span.line, d.span.column) == (2, 8)


def test_missing_value_and_missing_section_name(check):
    r = check("source {\n}\noperator {\n  budget\n}\n")
    assert core(r) == [(1, "missing-value"), (4, "missing-value")]


def test_duplicate_statement_keeps_the_first(check):
    r = check('product p {\n  owner "a"\n  owner "b"\n}\n')
    assert core(r) == [(3, "duplicate-statement")]
    assert r.spec.product.owner.value == "a"


def test_values_are_normalised_with_their_units(check):
    r = check("""\
        operator {
          latency p99 <= 80ms
          load    30M/month peak 120/s
          budget  $6k/month
          timeout 1.5min
        }
        source s {
          kind stream
          minority_share 0.25%
        }
        """)
    op = r.spec.operator
    assert op.latency.target.operand.value == 0.08
    assert op.load.rate.value == 30e6 / (30 * 86400)
    assert op.load.peak.value == 120
    assert op.budget.per_month == 6000
    assert op.timeout.value == 90
    assert r.spec.sources[0].minority_share.value == 0.0025


def test_weekly_money_converts_to_monthly(check):
    r = check("serving {\n  cost $700/week\n}\n")
    assert r.spec.serving[0].cost.per_month == 700 * 30 / 7


def test_unknown_reference_with_suggestion(check):
    r = check("""\
        product p { owner "a" }
        source payments { kind stream }
        input payment { from paymnts; fields [amount] }
        """)
    assert ("unknown-reference") in {d.rule for d in r.diagnostics}
    assert messages(r, "unknown-reference") == ["unknown source `paymnts`; did you mean `payments`?"]


def test_references_are_order_free(check):
    r = check("""\
        product p { owner "a" }
        input payment { from payments; fields [amount] }
        source payments { kind stream }
        """)
    assert "unknown-reference" not in {d.rule for d in r.diagnostics}


def test_slices_must_be_input_fields(check):
    r = check("""\
        product p { owner "a" }
        input i { fields [amount, language] }
        evaluation { slices [amount, langauge] }
        """)
    assert messages(r, "unknown-reference") == ["unknown field `langauge` in `slices`; did you mean `language`?"]


def test_duplicate_declaration_points_at_the_first(check):
    r = check("source s { kind stream }\nsource s { kind table }\n")
    (d,) = [d for d in r.diagnostics if d.rule == "duplicate-declaration"]
    assert d.span.line == 2 and d.related[0].span.line == 1


def test_library_file_gets_no_design_findings_only_a_note_that_they_did_not_run(check):
    r = check("source s {\n  kind stream\n}\n")
    assert [(d.rule, d.severity.value, d.message) for d in r.diagnostics] == [
        ("library-file", "info", "library file: design rules not run (no `product`)")]


def test_library_included_by_a_checked_product_gets_no_note(tmp_path, capsys):
    from dsspec.cli import main

    (tmp_path / "dsspec.toml").touch()
    (tmp_path / "lib.dsspec").write_text("source s {\n  kind stream\n}\n")
    (tmp_path / "p.dsspec").write_text('product p { owner "a" }\ninclude "lib.dsspec"\n')
    main(["check", "--format", "concise", str(tmp_path / "lib.dsspec"), str(tmp_path / "p.dsspec")])
    both = capsys.readouterr().out
    main(["check", "--format", "concise", str(tmp_path / "lib.dsspec")])
    alone = capsys.readouterr().out
    assert "library-file" not in both and "library-file" in alone


def test_include_brings_declarations(tmp_path, check):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "sources.dsspec").write_text("source payments {\n  kind stream\n}\n")
    r = check('product p { owner "a" }\ninclude "lib/sources.dsspec"\ninput i { from payments; fields [a] }\n')
    assert "unknown-reference" not in {d.rule for d in r.diagnostics}
    assert r.resolved.sources["payments"].name.name == "payments"


def test_include_outside_the_root_is_refused(tmp_path):
    from conftest import compile_text

    project = tmp_path / "project"
    project.mkdir()
    (tmp_path / "outside.dsspec").write_text("source s { kind stream }\n")
    r = compile_text(project, 'product p { owner "a" }\ninclude "../outside.dsspec"\n')
    (d,) = [d for d in r.diagnostics if d.rule == "include-error"]
    assert d.span.line == 2 and "outside the project root" in d.message


def test_include_cycle_is_reported(tmp_path, check):
    (tmp_path / "a.dsspec").write_text('include "b.dsspec"\n')
    (tmp_path / "b.dsspec").write_text('include "a.dsspec"\n')
    r = check('product p { owner "x" }\ninclude "a.dsspec"\n')
    cycle = [d for d in r.diagnostics if d.rule == "include-error"]
    assert cycle and "include cycle" in cycle[0].message


def test_missing_include_is_reported(check):
    r = check('include "nope.dsspec"\n')
    assert messages(r, "include-error") == ["included file `nope.dsspec` does not exist"]


def test_project_root_is_the_nearest_marker(tmp_path):
    (tmp_path / "pyproject.toml").touch()
    (tmp_path / "a" / "b").mkdir(parents=True)
    assert project_root(tmp_path / "a" / "b" / "x.dsspec") == tmp_path.resolve()


def test_model_round_trips_through_pydantic_validation(check):
    from dsspec.compiler.model.typed import Spec, typed

    r = check('product p { owner "a" }\noperator { latency p99 <= 80ms; budget $6k/month }\n')
    again = Spec.model_validate(typed(r.spec).model_dump(by_alias=True))
    assert again.operator.latency.target.operand.value == 0.08


def test_a_broken_product_is_not_called_a_library(check):
    r = check('product {\n  owner "a"\n}\nsource s { kind table }\n')
    assert [d.rule for d in r.diagnostics] == ["missing-value"]
