"""handouts: print products made from a resolved guide or its PDF: flashcards to cut out,
and booklets imposed two pages to a sheet.

May import: model, validate, style, layout, render.
"""
