"""output: TODO."""
