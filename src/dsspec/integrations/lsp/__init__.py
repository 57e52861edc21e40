"""The language server (``dsspec lsp``): the pipeline's findings and model, served to editors.

``analysis`` compiles an open document and indexes its names; ``hover``,
``complete``, ``actions`` and ``symbols`` answer the editor's questions from an
analysis; ``positions`` converts between the pipeline's positions and the
protocol's; ``server`` speaks the protocol (pygls, stdio). Only ``server``,
``positions`` and ``symbols`` import the protocol's packages, which come with
``pip install 'dsspec[lsp]'``.
"""
