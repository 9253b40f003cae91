"""The language server (``escape-route lsp``): the story checker and the engine, inside a text editor."""
