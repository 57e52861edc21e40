"""dsspec: design-as-code for data-science and ML products.

The pipeline (see ``dsspec.compiler.pipeline``, the only place the stages are chained)::

    text --parse--> syntax tree --build--> typed model --resolve--> resolved spec --lint--> findings
                                                               \\--emit--> DOT / SVG / Markdown / JSON
    findings --report--> text / json / sarif / github
"""

__version__ = "0.1.0"
