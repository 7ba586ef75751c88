"""output: put bytes at a path atomically, so a failed build never leaves half a file.

May import: model.
"""
