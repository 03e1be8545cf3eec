"""Synthetic rollercoaster data: speed over time, with a known true curve."""

from __future__ import annotations

import torch

from .checks import check_args

__all__ = ["make_speed_data", "true_speed"]


def true_speed(time: torch.Tensor, centre: float) -> torch.Tensor:
    """The noise-free speed curve that `make_speed_data` samples from.

    ``0.75 * (time - centre)**2 + 1``: fast on the approach, slowest at the top of
    the hill (``time == centre``), fast again on the way down.

    Args:
        time: Time points, a 1-D float tensor of finite values.
        centre: The time at which the coaster is slowest, a finite number.

    Returns:
        The speed at each time point, same shape as ``time``.

    Raises:
        TypeError: If ``time`` is not a float tensor or ``centre`` not a number.
        ValueError: If ``time`` is empty, not 1-D or not finite, or ``centre`` is not finite.
    """
    check_args(time=time, centre=centre)
    return 0.75 * (time - centre) ** 2 + 1


def make_speed_data(n: int = 20, noise: float = 3.0, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Noisy speed measurements of a rollercoaster going over a hill.

    ``time = arange(n)`` and ``speed = randn(n) * noise + 0.75 * (time - centre)**2 + 1``
    with ``centre = (n - 1) / 2`` (9.5 for ``n = 20``), so the top of the hill is in
    the middle of the recording. The noise is drawn from a ``torch.Generator`` seeded
    with ``seed``; the global random state is left untouched, so the same seed always
    gives the same data wherever it is called.

    Args:
        n: Number of time points, from 1 to ``2**24`` (past that, float32 times would repeat).
        noise: Standard deviation of the Gaussian noise added to each speed, a number
            from 0 to ``1e37`` (more would overflow float32).
        seed: Seed of the generator that draws the noise, an integer ``torch.manual_seed`` accepts.

    Returns:
        ``(time, speed)``, two float32 tensors of shape ``(n,)``.

    Raises:
        TypeError: If ``n`` or ``seed`` is not an integer, or ``noise`` not a number.
        ValueError: If ``n``, ``noise`` or ``seed`` is out of range.
    """
    check_args(n=n, noise=noise, seed=seed)
    generator = torch.Generator().manual_seed(seed)
    time = torch.arange(n).float()
    speed = torch.randn(n, generator=generator) * noise + true_speed(time, (n - 1) / 2)
    return time, speed
