"""Shipping quotes by weight band."""
