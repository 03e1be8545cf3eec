"""The model: a quadratic in time, and a seeded way to start its parameters."""

from __future__ import annotations

import torch

from .checks import check_args

__all__ = ["init_params", "quadratic"]


def quadratic(t: torch.Tensor, params: torch.Tensor) -> torch.Tensor:
    """Evaluate ``a * t**2 + b * t + c`` for ``params = (a, b, c)``.

    The times ``t`` are data and stay fixed; ``params`` are what training adjusts.
    They come as separate arguments so that gradients can be taken with respect
    to ``params`` alone.

    Args:
        t: Input values, a float tensor of finite values, any shape.
        params: A float tensor of exactly three finite values ``(a, b, c)``.

    Returns:
        A tensor of the same shape as ``t``.

    Raises:
        TypeError: If ``t`` or ``params`` is not a float tensor.
        ValueError: If ``params`` does not hold exactly three values, or ``t`` or
            ``params`` holds inf or NaN.
    """
    check_args(t=t, params=params)
    a, b, c = params
    return a * t**2 + b * t + c


def init_params(size: int = 3, seed: int = 0) -> torch.Tensor:
    """Random starting parameters, drawn from a standard normal and tracking gradients.

    Args:
        size: How many parameters (3 for ``quadratic``), at least 1.
        seed: Seed of the ``torch.Generator`` that draws them, an integer
            ``torch.manual_seed`` accepts; the global random state is left untouched.

    Returns:
        A leaf tensor of shape ``(size,)`` with ``requires_grad=True``.

    Raises:
        TypeError: If ``size`` or ``seed`` is not an integer.
        ValueError: If ``size`` is less than 1 or ``seed`` is out of range.
    """
    check_args(size=size, seed=seed)
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(size, generator=generator).requires_grad_()
