"""Model stage: typed pydantic nodes, the schema, the builder and reference resolution."""
