"""style: style sheets found, their `extends:` chains merged, and their values read into
a typed Style (lengths in points, colours, fonts).

May import: model, load, validate. No ReportLab: fonts are only found and checked here.
"""
