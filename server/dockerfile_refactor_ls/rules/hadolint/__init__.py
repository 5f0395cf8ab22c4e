"""Rules; one module per rule."""
