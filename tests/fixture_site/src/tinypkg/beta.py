"""Quadrupling, through alpha."""

from .alpha import double


def quadruple(x: int) -> int:
    """Four times x.

    Args:
        x: A number.

    Returns:
        Four times x.
    """
    return double(double(x))
