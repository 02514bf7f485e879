"""Forms of the supply chain pages, one module per workflow: shape only, rules are in services."""
