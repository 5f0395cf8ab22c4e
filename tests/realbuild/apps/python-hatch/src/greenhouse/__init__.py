"""Greenhouse sensor report."""
