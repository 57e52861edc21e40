"""Emit stage: one module per artefact (DOT/SVG diagram, icon diagram, Markdown documents, JSON)."""
