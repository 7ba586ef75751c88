"""model: the plain data every stage passes on: the document nodes (frozen data classes,
each with its position in the user's file), diagnostics, and walks over them.

May import: nothing of this package; no third-party library.
"""
