"""Doubling."""

OFFSET = 0


def double(x: int) -> int:
    """Twice x, plus OFFSET."""
    return 2 * x + OFFSET
