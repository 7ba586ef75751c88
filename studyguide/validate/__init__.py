"""validate: check loaded files against the JSON Schema and the rules a schema cannot
say (answers, objective ids, audience names), reporting every problem at once; and the
readability report that `check` prints for a resolved guide.

May import: model, load.
"""
