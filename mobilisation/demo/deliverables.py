"""Demo records: being written (issue 9)."""


def seed_demo(alliance) -> None:
    return None
