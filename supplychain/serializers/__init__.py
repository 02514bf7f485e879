"""Serializers of the supply chain API, one module per workflow: shape only."""
