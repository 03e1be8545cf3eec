"""The loss as a surface over two parameters, and the path descent takes across it."""

from __future__ import annotations

import matplotlib.pyplot as plt
import torch
from matplotlib.axes import Axes
from matplotlib.colors import LogNorm

from .checks import check_args

__all__ = ["loss_landscape", "plot_landscape"]


def loss_landscape(
    time: torch.Tensor, speed: torch.Tensor, a: torch.Tensor, b: torch.Tensor, c: float | None = None
) -> torch.Tensor:
    """Mean squared error of ``a*t**2 + b*t + c`` for every pair of ``a`` and ``b`` values.

    With ``c=None``, each point uses the ``c`` that is best for its ``a`` and ``b``
    (the mean of ``speed - a*t**2 - b*t``). That surface is the lowest loss any
    ``c`` can reach there: the three-parameter bowl seen from above, on which a
    path of all three parameters can be drawn honestly.

    Args:
        time: Inputs, shape ``(n,)``.
        speed: Targets, shape ``(n,)``.
        a: Values of ``a``, shape ``(A,)``.
        b: Values of ``b``, shape ``(B,)``.
        c: A value to hold ``c`` at, or None for the best ``c`` at each point.

    Returns:
        Losses of shape ``(B, A)``: row ``i`` is ``b[i]``, column ``j`` is ``a[j]``
        (the layout ``plt.contour(a, b, losses)`` expects).

    Raises:
        TypeError: If ``time``, ``speed``, ``a`` or ``b`` is not a float tensor, or
            ``c`` is not a number or None.
        ValueError: If one of them is empty, not 1-D or not finite, or ``time`` and
            ``speed`` differ in shape.
    """
    check_args(time=time, speed=speed, a=a, b=b, c=c)
    residual = speed - (a[None, :, None] * time**2 + b[:, None, None] * time)
    offset = residual.mean(dim=-1, keepdim=True) if c is None else c
    return ((residual - offset) ** 2).mean(dim=-1)


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

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If ``losses`` is not of shape ``(len(b), len(a))`` or not > 0
            everywhere (the scale is logarithmic), ``path`` is not of shape
            ``(steps, 2)`` or ``(steps, 3)``, or a tensor is empty or not finite.
    """
    check_args(a=a, b=b, losses=losses, path=path, ax=ax, title=title)
    ax = plt.subplots(figsize=(5, 4))[1] if ax is None else ax
    levels = torch.logspace(losses.min().log10(), losses.max().log10(), 12)
    ax.contour(a, b, losses, levels=levels, norm=LogNorm(), cmap="viridis", linewidths=1)
    if path is not None:
        # A dot per step shows the step sizes; past 50 steps the dots would only blur.
        every = max(1, len(path) // 50)
        ax.plot(path[:, 0], path[:, 1], ".-", color="red", markersize=4, linewidth=1, markevery=every)
        ax.plot(path[0, 0], path[0, 1], "o", color="black", label="start")
        ax.legend(loc="upper right", fontsize="small")
    ax.set_xlabel("a")
    ax.set_ylabel("b")
    if title is not None:
        ax.set_title(title)
    return ax
