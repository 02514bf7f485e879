"""Being written (issue 8)."""

__all__: list[str] = []
