"""The best quadratic, found directly: the reference that gradient descent is measured against."""

from __future__ import annotations

import torch

from .checks import check_args

__all__ = ["least_squares", "rescale"]


def least_squares(time: torch.Tensor, speed: torch.Tensor) -> torch.Tensor:
    """The ``(a, b, c)`` with the lowest mean squared error, by linear least squares.

    The quadratic is linear in its parameters, so the minimum of the loss can be
    solved for instead of searched for: ``torch.linalg.lstsq`` on the columns
    ``t**2, t, 1``, in float64 so that the reference is more precise than what it
    is compared with.

    Args:
        time: Inputs, a 1-D float tensor of finite values, at least 3 of them distinct.
        speed: Targets, finite, the same shape as ``time``.

    Returns:
        float32 tensor ``(a, b, c)``.

    Raises:
        TypeError: If ``time`` or ``speed`` is not a float tensor.
        ValueError: On mismatched shapes, inf or NaN, or fewer than three distinct values
            in ``time``, or times on a scale where rounding makes ``t**2``, ``t`` and ``1``
            dependent or the fit overflows float32 (`rescale` them).
    """
    check_args(time=time, speed=speed)
    t = time.double()
    columns = torch.stack([t**2, t, torch.ones_like(t)], dim=1)
    fit = torch.linalg.lstsq(columns, speed.double().unsqueeze(1))
    solution = fit.solution.squeeze(1).float()
    # Fewer than 3 distinct times, or times on a scale where rounding makes t**2, t and 1
    # dependent (1e9 + arange(20)) or (a, b, c) overflow float32: no single best fit to return.
    if fit.rank < 3 or not torch.isfinite(solution).all():
        raise ValueError(
            f"time must hold at least 3 distinct values on a scale where t**2, t and 1 stay apart, got "
            f"{len(time.unique())} distinct from {time.min()} to {time.max()}: try rescale(time)"
        )
    return solution


def rescale(time: torch.Tensor) -> torch.Tensor:
    """Map ``time`` linearly onto ``[-1, 1]``.

    With inputs near 1 in size, ``t**2``, ``t`` and ``1`` are of one size too, so
    one learning rate suits all three parameters.

    Args:
        time: Inputs, a 1-D float tensor of finite values, at least two of them distinct.

    Returns:
        ``(time - mid) / half``, where ``mid`` and ``half`` are the middle and half the
        width of the range of ``time``.

    Raises:
        TypeError: If ``time`` is not a float tensor.
        ValueError: If ``time`` is empty, not 1-D or not finite, or all its values are equal,
            or its range overflows float32.
    """
    check_args(time=time)
    low, high = time.min(), time.max()
    if not 0 < high - low < torch.inf:  # all equal, or a range past float32's limit
        raise ValueError(f"time must hold two distinct values less than 3.4e38 apart, got {low} and {high}")
    return (time - (high + low) / 2) / ((high - low) / 2)
