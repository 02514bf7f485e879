"""Being written (issue 9)."""

__all__: list[str] = []
