"""load: read YAML files into plain data that remembers where every node came from, and
follow an outline's includes into one Project.

May import: model. The only stage that imports PyYAML.
"""
