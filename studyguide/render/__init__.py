"""render: TODO."""
