"""Loss functions: how far the predictions are from the targets."""

from __future__ import annotations

import torch

from .checks import check_args

__all__ = ["mse"]


def mse(preds: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Mean squared error, ``((preds - targets)**2).mean()``.

    Args:
        preds: Predictions, a non-empty float tensor. They may be inf or NaN: the
            loss then is too, as with ``F.mse_loss``, which is how training notices
            that it diverged.
        targets: Measured values, finite floats of the same shape as ``preds``.

    Returns:
        A scalar tensor; it carries a ``grad_fn`` when ``preds`` does.

    Raises:
        TypeError: If ``preds`` or ``targets`` is not a float tensor.
        ValueError: If the shapes differ (broadcasting ``(20,)`` against ``(20, 1)``
            would silently compare every prediction with every target and return a
            wrong loss of shape-``(20, 20)`` differences), if they are empty, or if
            ``targets`` holds inf or NaN.
    """
    check_args(preds=preds, targets=targets)
    return ((preds - targets) ** 2).mean()
