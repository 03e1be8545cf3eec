"""The loss as a surface over two parameters, and the path descent takes across it."""

from __future__ import annotations

import matplotlib.pyplot as plt
import torch
from matplotlib.axes import Axes
from matplotlib.colors import LogNorm

__all__ = ["loss_landscape", "plot_landscape"]


def loss_landscape(
    time: torch.Tensor, speed: torch.Tensor, a: torch.Tensor, b: torch.Tensor, c: float
) -> torch.Tensor:
    """Mean squared error of ``a*t**2 + b*t + c`` for every pair of ``a`` and ``b`` values.

    Args:
        time: Inputs, shape ``(n,)``.
        speed: Targets, shape ``(n,)``.
        a: Values of ``a``, shape ``(A,)``.
        b: Values of ``b``, shape ``(B,)``.
        c: The value ``c`` is held at.

    Returns:
        Losses of shape ``(B, A)``: row ``i`` is ``b[i]``, column ``j`` is ``a[j]``
        (the layout ``plt.contour(a, b, losses)`` expects).
    """
    preds = a[None, :, None] * time**2 + b[:, None, None] * time + c
    return ((preds - speed) ** 2).mean(dim=-1)


def plot_landscape(
    a: torch.Tensor,
    b: torch.Tensor,
    losses: torch.Tensor,
    path: torch.Tensor | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Contours of the loss on a log scale, and optionally a path of ``(a, b)`` points.

    Args:
        a: Values of ``a`` (x axis).
        b: Values of ``b`` (y axis).
        losses: Output of `loss_landscape`, shape ``(len(b), len(a))``.
        path: Parameter snapshots, shape ``(steps, 3)`` or ``(steps, 2)``; the first
            two columns are drawn, with the start marked.
        ax: Axes to draw on; a new figure when omitted.
        title: Title of the plot.

    Returns:
        The axes drawn on.
    """
    ax = plt.subplots(figsize=(5, 4))[1] if ax is None else ax
    levels = torch.logspace(losses.min().log10(), losses.max().log10(), 15)
    ax.contour(a, b, losses, levels=levels, norm=LogNorm(), cmap="viridis", linewidths=1)
    if path is not None:
        ax.plot(path[:, 0], path[:, 1], ".-", color="red", markersize=4, linewidth=1)
        ax.plot(path[0, 0], path[0, 1], "o", color="black", label="start")
        ax.legend(loc="upper right", fontsize="small")
    ax.set_xlabel("a")
    ax.set_ylabel("b")
    if title is not None:
        ax.set_title(title)
    return ax
