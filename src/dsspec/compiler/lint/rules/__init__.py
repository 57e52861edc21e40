"""One module per design rule; the table in ``dsspec.compiler.lint.registry`` lists them."""
