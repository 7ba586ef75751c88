"""resolve: validated documents become one Guide through named passes (includes,
audiences, inline markup, glossary, citations, numbering, questions, back matter).

May import: model, load, validate, citations.
"""
