"""REST API of mobilisation under /api/mobilisation/, one module per workflow."""
