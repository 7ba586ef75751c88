"""commands: the command line (click): build, cards, watch, validate, check, audiences
and init, each calling the pipeline or the API.

May import: everything. The only package that imports click.
"""
