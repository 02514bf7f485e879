"""Forms of the people pages, one module per workflow: they validate shape only, services hold the rules."""
