"""style: TODO."""
