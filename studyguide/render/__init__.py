"""render: lay the story out once and produce the PDF bytes in memory: fonts registered,
glyphs checked, the document template and its canvas.

May import: model, style, layout. Imports ReportLab.
"""
