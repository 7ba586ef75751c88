"""citations: TODO."""
