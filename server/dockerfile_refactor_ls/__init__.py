"""dockerfile-refactor-ls: a Dockerfile language server with multi-stage refactorings."""

__version__ = "0.1.0"
