"""Printable study guides: a YAML outline becomes a print-ready PDF.

The subpackages are the stages, in the order a build runs them:

    load -> validate -> resolve (with citations) -> layout (with style) -> render -> output

model holds the data they pass on; handouts makes cards and booklets; pipeline.py
runs a build from BuildOptions; batch.py runs many in processes; api.py is the
small public surface; commands is the command line. docs/architecture.md draws it.
"""

__version__ = "0.1.0"
