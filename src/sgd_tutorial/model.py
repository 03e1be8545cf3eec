"""The model: a quadratic in time, and a seeded way to start its parameters."""

from __future__ import annotations

import torch

__all__ = ["init_params", "quadratic"]


def quadratic(t: torch.Tensor, params: torch.Tensor) -> torch.Tensor:
    """Evaluate ``a * t**2 + b * t + c`` for ``params = (a, b, c)``.

    The times ``t`` are data and stay fixed; ``params`` are what training adjusts.
    They come as separate arguments so that gradients can be taken with respect
    to ``params`` alone.

    Args:
        t: Input values, any shape.
        params: A tensor of exactly three values ``(a, b, c)``.

    Returns:
        A tensor of the same shape as ``t``.

    Raises:
        ValueError: If ``params`` does not hold exactly three values.
    """
    if params.shape != (3,):
        raise ValueError(f"params must have shape (3,) for (a, b, c), got {tuple(params.shape)}")
    a, b, c = params
    return a * t**2 + b * t + c


def init_params(size: int = 3, seed: int = 0) -> torch.Tensor:
    """Random starting parameters, drawn from a standard normal and tracking gradients.

    Args:
        size: How many parameters (3 for ``quadratic``).
        seed: Seed of the ``torch.Generator`` that draws them; the global random state
            is left untouched.

    Returns:
        A leaf tensor of shape ``(size,)`` with ``requires_grad=True``.
    """
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(size, generator=generator).requires_grad_()
