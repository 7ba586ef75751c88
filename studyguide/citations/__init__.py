"""citations: bibliography files read into CSL-JSON works, and the citations pass that
formats Pandoc citations and the reference list in a CSL style.

May import: model, load, validate.
"""
