"""Figures for the pages. Each helper draws on an optional ``ax`` and returns it."""

from __future__ import annotations

import html
import io
from collections.abc import Callable, Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .checks import check_args
from .model import quadratic

__all__ = ["SITE_RC", "plot_function", "plot_loop", "show_preds", "show_steps", "to_svg"]

SITE_RC = {
    # The same bytes on every build: no random ids for clip paths...
    "svg.hashsalt": "sgd-tutorial",
    # ...and text as text: smaller files, and it scales with the page.
    "svg.fonttype": "none",
    # An opaque white background keeps black text readable in a dark palette.
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
}
"""Matplotlib settings for the site's figures, used by `to_svg` and by the notebook pages."""


def _axes(ax: Axes | None, figsize: tuple[float, float] = (6, 4)) -> Axes:
    return plt.subplots(figsize=figsize)[1] if ax is None else ax


def plot_function(
    f: Callable[[torch.Tensor], torch.Tensor],
    tx: str | None = None,
    ty: str | None = None,
    title: str | None = None,
    xmin: float = -2.0,
    xmax: float = 2.0,
    ax: Axes | None = None,
) -> Axes:
    """Plot ``f`` over ``[xmin, xmax]``.

    Args:
        f: A function of one tensor, applied element-wise (like ``lambda x: x**2``).
        tx: Label of the x axis.
        ty: Label of the y axis.
        title: Title of the plot.
        xmin: Left end of the range.
        xmax: Right end of the range.
        ax: Axes to draw on; a new figure when omitted.

    Returns:
        The axes drawn on.

    Raises:
        TypeError: If ``f`` is not callable, or another argument has the wrong type.
        ValueError: If ``xmin`` or ``xmax`` is not finite, or ``xmin >= xmax``.
    """
    check_args(f=f, tx=tx, ty=ty, title=title, xmin=xmin, xmax=xmax, ax=ax)
    ax = _axes(ax)
    x = torch.linspace(xmin, xmax, 100)
    ax.plot(x, f(x))
    if tx is not None:
        ax.set_xlabel(tx)
    if ty is not None:
        ax.set_ylabel(ty)
    if title is not None:
        ax.set_title(title)
    return ax


def show_preds(
    time: torch.Tensor,
    speed: torch.Tensor,
    preds: torch.Tensor | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Scatter the measured speeds, and the predictions in red when given.

    Args:
        time: Time points.
        speed: Measured speeds.
        preds: Predicted speeds at the same time points (may track gradients).
        ax: Axes to draw on; a new figure when omitted.
        title: Title of the plot.

    Returns:
        The axes drawn on.

    Raises:
        TypeError: If ``time``, ``speed`` or ``preds`` is not a float tensor, or
            another argument has the wrong type.
        ValueError: If ``time`` and ``speed`` are empty, not 1-D or not finite, or
            ``time``, ``speed`` and ``preds`` differ in shape.
    """
    check_args(time=time, speed=speed, preds=preds, ax=ax, title=title)
    ax = _axes(ax)
    ax.scatter(time, speed, label="measured")
    if preds is not None:
        ax.scatter(time, preds.detach(), color="red", label="predicted")
        ax.legend(loc="best", fontsize="small")
    ax.set_xlabel("time")
    ax.set_ylabel("speed")
    if title is not None:
        ax.set_title(title)
    return ax


def show_steps(
    time: torch.Tensor,
    speed: torch.Tensor,
    params: Sequence[torch.Tensor],
    losses: Sequence[float] | None = None,
    axs: Sequence[Axes] | None = None,
) -> Figure:
    """One panel per parameter snapshot: the data and that snapshot's predictions.

    Args:
        time: Time points.
        speed: Measured speeds.
        params: Successive parameter tensors ``(a, b, c)``, e.g. ``History.params``.
        losses: Loss of each snapshot, shown in the panel titles.
        axs: One axes per snapshot; a new row of panels when omitted.

    Returns:
        The figure holding the panels.

    Raises:
        TypeError: If an argument has the wrong type (``params`` must be a list or
            tuple of tensors).
        ValueError: On bad ``time`` or ``speed`` (see `show_preds`), no snapshots, a
            snapshot not of shape ``(3,)``, fewer ``losses`` than snapshots, or a
            number of ``axs`` other than of snapshots.
    """
    check_args(time=time, speed=speed, params=params, losses=losses, axs=axs)
    if axs is None:
        fig, axs = plt.subplots(1, len(params), figsize=(3 * len(params), 3), sharey=True)
        axs = [axs] if len(params) == 1 else list(axs)
    if len(axs) != len(params):
        raise ValueError(f"got {len(axs)} axes for {len(params)} parameter snapshots")
    for i, (ax, p) in enumerate(zip(axs, params, strict=True)):
        title = f"step {i}" if losses is None else f"step {i}: loss {losses[i]:.0f}"
        show_preds(time, speed, quadratic(time, p), ax=ax, title=title)
        if i:
            ax.set_ylabel("")
    fig = axs[0].figure
    fig.tight_layout()
    return fig


_LOOP = ("initialise", "predict", "loss", "gradient", "step", "stop")


def plot_loop(ax: Axes | None = None) -> Axes:
    """Draw the gradient-descent loop: initialise, predict, loss, gradient, step, stop.

    An arrow from *step* back to *predict* marks the repeat.

    Args:
        ax: Axes to draw on; a new figure when omitted.

    Returns:
        The axes drawn on.

    Raises:
        TypeError: If ``ax`` is neither Axes nor None.
    """
    check_args(ax=ax)
    ax = _axes(ax, figsize=(9, 2.2))
    box = dict(boxstyle="round,pad=0.4", facecolor="#e8eaf6", edgecolor="#3f51b5")
    arrow = dict(arrowstyle="->", color="#3f51b5", lw=1.5)
    for i, name in enumerate(_LOOP):
        ax.text(i, 0, name, ha="center", va="center", fontsize=11, bbox=box)
        if i:
            ax.annotate("", xy=(i - 0.42, 0), xytext=(i - 0.58, 0), arrowprops=arrow)
    repeat = _LOOP.index("step"), _LOOP.index("predict")
    ax.annotate(
        "",
        xy=(repeat[1], 0.25),
        xytext=(repeat[0], 0.25),
        arrowprops=dict(arrow, connectionstyle="arc3,rad=0.35"),
    )
    ax.text(sum(repeat) / 2, 0.75, "repeat", ha="center", va="center", color="#3f51b5")
    ax.set_xlim(-0.6, len(_LOOP) - 0.4)
    ax.set_ylim(-0.5, 1.0)
    ax.axis("off")
    return ax


def to_svg(fig: Figure, alt: str, close: bool = True) -> str:
    """Render a figure as an SVG string that is the same on every run.

    Matplotlib otherwise writes the date into the file and draws random ids for
    clip paths, so two builds of one page would differ byte for byte.

    Args:
        fig: The figure to render.
        alt: What the figure shows, in words, for readers who cannot see it; becomes
            the SVG's ``aria-label``.
        close: Close the figure afterwards, so pages that draw many do not pile
            up open figures.

    Returns:
        The SVG document, without the XML prologue, ready to put inside HTML.

    Raises:
        TypeError: If ``fig`` is not a Figure, ``alt`` not a str or ``close`` not a bool.
        ValueError: If ``alt`` is blank.
    """
    check_args(fig=fig, alt=alt, close=close)
    buffer = io.StringIO()
    with mpl.rc_context(SITE_RC):
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    if close:
        plt.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    label = html.escape(alt, quote=True)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
