"""layout: TODO."""
