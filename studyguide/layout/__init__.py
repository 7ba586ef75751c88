"""layout: a resolved Guide and a Style become ReportLab flowables: one function per
block type (story.BLOCKS), the page state that running heads and page numbers use.

May import: model, style (and, for constants, validate). Imports ReportLab.
"""
