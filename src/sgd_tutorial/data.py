"""Synthetic rollercoaster data: speed over time, with a known true curve."""

from __future__ import annotations

import math

import torch

__all__ = ["make_speed_data", "true_speed"]


def true_speed(time: torch.Tensor, centre: float) -> torch.Tensor:
    """The noise-free speed curve that `make_speed_data` samples from.

    ``0.75 * (time - centre)**2 + 1``: fast on the approach, slowest at the top of
    the hill (``time == centre``), fast again on the way down.

    Args:
        time: Time points.
        centre: The time at which the coaster is slowest.

    Returns:
        The speed at each time point, same shape as ``time``.
    """
    return 0.75 * (time - centre) ** 2 + 1


def make_speed_data(n: int = 20, noise: float = 3.0, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Noisy speed measurements of a rollercoaster going over a hill.

    ``time = arange(n)`` and ``speed = randn(n) * noise + 0.75 * (time - centre)**2 + 1``
    with ``centre = (n - 1) / 2`` (9.5 for ``n = 20``), so the top of the hill is in
    the middle of the recording. The noise is drawn from a ``torch.Generator`` seeded
    with ``seed``; the global random state is left untouched, so the same seed always
    gives the same data wherever it is called.

    Args:
        n: Number of time points, at least 1.
        noise: Standard deviation of the Gaussian noise added to each speed, at least 0.
        seed: Seed of the generator that draws the noise.

    Returns:
        ``(time, speed)``, two float32 tensors of shape ``(n,)``.

    Raises:
        ValueError: If ``n`` is not a positive integer or ``noise`` is negative or not finite.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    if not math.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    generator = torch.Generator().manual_seed(seed)
    time = torch.arange(n).float()
    speed = torch.randn(n, generator=generator) * noise + true_speed(time, (n - 1) / 2)
    return time, speed
