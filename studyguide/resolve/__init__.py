"""resolve: TODO."""
