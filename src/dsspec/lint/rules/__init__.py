"""One module per design rule; the table in ``dsspec.lint.registry`` lists them."""
