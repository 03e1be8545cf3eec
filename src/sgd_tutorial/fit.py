"""The best quadratic, found directly: the reference that gradient descent is measured against."""

from __future__ import annotations

import torch

__all__ = ["least_squares", "rescale"]


def least_squares(time: torch.Tensor, speed: torch.Tensor) -> torch.Tensor:
    """The ``(a, b, c)`` with the lowest mean squared error, by linear least squares.

    The quadratic is linear in its parameters, so the minimum of the loss can be
    solved for instead of searched for: ``torch.linalg.lstsq`` on the columns
    ``t**2, t, 1``, in float64 so that the reference is more precise than what it
    is compared with.

    Args:
        time: Inputs, shape ``(n,)`` with ``n >= 3`` distinct values.
        speed: Targets, shape ``(n,)``.

    Returns:
        float32 tensor ``(a, b, c)``.

    Raises:
        ValueError: On mismatched shapes or fewer than three points.
    """
    if time.shape != speed.shape or time.dim() != 1:
        raise ValueError(
            f"time and speed must be 1-D of one shape, got {tuple(time.shape)} and {tuple(speed.shape)}"
        )
    if len(time) < 3:
        raise ValueError(f"a quadratic needs at least 3 points, got {len(time)}")
    t = time.double()
    columns = torch.stack([t**2, t, torch.ones_like(t)], dim=1)
    solution = torch.linalg.lstsq(columns, speed.double().unsqueeze(1)).solution
    return solution.squeeze(1).float()


def rescale(time: torch.Tensor) -> torch.Tensor:
    """Map ``time`` linearly onto ``[-1, 1]``.

    With inputs near 1 in size, ``t**2``, ``t`` and ``1`` are of one size too, so
    one learning rate suits all three parameters.

    Args:
        time: Inputs, at least two distinct values.

    Returns:
        ``(time - mid) / half``, where ``mid`` and ``half`` are the middle and half the
        width of the range of ``time``.

    Raises:
        ValueError: If all values are equal.
    """
    low, high = time.min(), time.max()
    if high == low:
        raise ValueError("time must hold at least two distinct values")
    return (time - (high + low) / 2) / ((high - low) / 2)
