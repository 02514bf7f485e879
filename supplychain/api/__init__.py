"""REST API of the supply chain under /api/supplychain/, one module per workflow."""
