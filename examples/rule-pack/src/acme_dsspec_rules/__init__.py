"""Acme's dsspec rule pack: the rules live in ``dsspec.toml`` beside this file.

A project uses it with ``extend = ["pkg:acme_dsspec_rules"]`` in its own
configuration; ``dsspec rules --test`` runs each rule on its own examples.
"""
