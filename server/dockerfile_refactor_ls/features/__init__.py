"""LSP features. Each module defines ``register(server)`` and maps requests to the engine."""
