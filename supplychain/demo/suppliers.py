"""Demo records: being written (issue 8)."""


def seed_demo(alliance) -> None:
    return None
