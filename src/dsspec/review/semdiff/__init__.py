"""Semantic diff of two versions of a design: what changed in meaning, and which findings came and went.

``facts`` reduces a spec to comparable facts, ``changes`` judges the
differences (tightened, relaxed, added, removed, changed), ``versions``
compiles the two versions (two files, or a git revision against the working
tree) and pairs their findings by fingerprint. ``dsspec.review.semdiff.report``
prints the result as text, JSON or a pull-request comment.
"""
