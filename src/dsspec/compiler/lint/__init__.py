"""Lint stage: design rules, their registry, engine and configuration."""
