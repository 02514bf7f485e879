"""Serializers of the mobilisation API, one module per workflow: shape only."""
