"""Printable study guides: a YAML outline becomes a print-ready PDF."""

__version__ = "0.1.0"
