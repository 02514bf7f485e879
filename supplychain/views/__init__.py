"""HTML pages of the supply chain, one module per workflow."""
