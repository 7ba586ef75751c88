"""handouts: TODO."""
