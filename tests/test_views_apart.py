"""Diagrams draw every source and input with the section that uses it, and every levels table alike.

A source only an evaluation reads (a grader's labels), an input kept for
fairness slices or watched for drift: each gets an edge to that section, so no
box looks unused. A levels table inside a ladder's box belongs to that ladder.
"""

from __future__ import annotations

from conftest import compile_text

from dsspec.compiler.emit.dot import to_dot
from dsspec.compiler.emit.views import build_view

DESIGN = """
product p { owner "a@b.c" }
ecosystem { user app "Shows the answer" }
operator { success auc { optimal >= 0.9; acceptable >= 0.85; worst <= 0.8 } }
source events { kind stream }
source grades { kind labels; label_delay 7d }
source people { kind table; protected [age] }
input request { from events; fields [amount, country] }
input demographics { from events; fields [sex] }
output score { type probability; to app }
model m {
  task binary_classification
  reads request
  writes score
  ladder {
    baseline logistic_regression { auc 0.84 }
    step lightgbm { auc 0.88; chosen }
  }
}
training m { from events }
evaluation m { from [events, grades]; metrics [auc]; slices [sex, age, country] }
monitoring m { drift [sex, amount]; track auc; alert "on-call" }
"""


def view(tmp_path, text, name="system"):
    result = compile_text(tmp_path, text)
    assert not [d for d in result.diagnostics if d.rule == "unknown-reference"]
    return build_view(result.resolved, result.diagnostics, name)


def edges(v) -> set[tuple[str, str, str]]:
    return {(e.tail, e.head, e.label) for e in v.edges}


def test_a_source_or_input_used_only_by_evaluation_or_monitoring_is_linked_to_it(tmp_path):
    got = edges(view(tmp_path, DESIGN))
    assert ("source_grades", "evaluation_m", "tested on") in got          # a grader's labels
    assert ("input_demographics", "evaluation_m", "slices") in got        # kept for fairness slices
    assert ("input_demographics", "monitoring_m", "drift") in got
    assert ("source_people", "evaluation_m", "slices") in got             # its protected name, sliced directly
    # what feeds something already gets no second edge: the evaluation's other source, the model's own input
    assert ("source_events", "evaluation_m", "tested on") not in got
    assert not [e for e in got if e[0] == "input_request" and e[1] != "model_m"]


def test_the_training_stands_by_its_model_not_by_its_sources(tmp_path):
    v = view(tmp_path, DESIGN)
    (feed,) = [e for e in v.edges if e.head == "training_m"]
    (trains,) = [e for e in v.edges if e.tail == "training_m"]
    assert not feed.constraint and trains.constraint
    assert "constraint=false" in to_dot(v)


def test_the_products_levels_stand_in_the_one_ladder_read_against_them(tmp_path):
    v = view(tmp_path, DESIGN, "ladder")
    (group,) = v.groups
    assert "levels" in group.members
    two = DESIGN.replace("model m {", """model n {
  task binary_classification
  reads request
  ladder { baseline logistic_regression { auc 0.8 } }
}
model m {""")
    v = view(tmp_path, two, "ladder")
    assert "levels" in v.elements and len(v.groups) == 2
    assert not any("levels" in g.members for g in v.groups)   # shared by both ladders: outside, beside the first
