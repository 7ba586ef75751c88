"""validate: TODO."""
