"""Loss functions: how far the predictions are from the targets."""

from __future__ import annotations

import torch

__all__ = ["mse"]


def mse(preds: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Mean squared error, ``((preds - targets)**2).mean()``.

    Args:
        preds: Predictions.
        targets: Measured values, the same shape as ``preds``.

    Returns:
        A scalar tensor; it carries a ``grad_fn`` when ``preds`` does.

    Raises:
        ValueError: If the shapes differ. Broadcasting ``(20,)`` against ``(20, 1)``
            would silently compare every prediction with every target and return
            a wrong loss of shape-``(20, 20)`` differences, so it is refused.
    """
    if preds.shape != targets.shape:
        raise ValueError(
            f"preds and targets must have the same shape, got preds {tuple(preds.shape)} "
            f"and targets {tuple(targets.shape)}"
        )
    return ((preds - targets) ** 2).mean()
