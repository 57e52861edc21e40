"""The language server (``dsspec lsp``): the pipeline's findings and model, served to editors.

``analysis`` compiles an open document and indexes its names; ``features``
answers the editor's questions (hover, completion, code actions ...) from an
analysis; ``server`` speaks the protocol (pygls, stdio). Only ``server``
imports pygls, which comes with ``pip install 'dsspec[lsp]'``.
"""
