"""HTML pages of mobilisation and maturity, one module per workflow."""
