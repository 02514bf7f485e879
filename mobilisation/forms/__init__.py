"""Forms of the mobilisation pages, one module per workflow: shape only."""
