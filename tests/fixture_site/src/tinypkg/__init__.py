"""A tiny package for the plugin's tests: two modules, one importing the other."""

from .alpha import OFFSET, double
from .beta import quadruple

__all__ = ["OFFSET", "double", "quadruple"]
