"""Hotspot maps and their downloads."""
