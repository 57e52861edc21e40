"""Model stage: typed nodes (and their pydantic face, `typed`), the schema, the builder and reference resolution."""
