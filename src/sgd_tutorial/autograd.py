"""Looking inside backpropagation: the graph autograd records, and gradients without autograd."""

from __future__ import annotations

from collections.abc import Callable

import matplotlib.pyplot as plt
import torch
from matplotlib.axes import Axes

from .checks import check_args

__all__ = ["finite_difference_grad", "graph_edges", "plot_graph"]


def graph_edges(output: torch.Tensor) -> list[tuple[str, str]]:
    """The edges of the graph ``backward()`` walks from ``output``, as ``(node, input node)`` names.

    Nodes are the ``grad_fn`` objects reached through ``next_functions``. Names are
    their class names (``MeanBackward0``, ``AccumulateGrad``, ...), numbered
    ``#2``, ``#3`` when one kind appears more than once.

    Args:
        output: A tensor with a ``grad_fn`` (the result of tracked operations).

    Returns:
        Edges in the order a depth-first walk from ``output.grad_fn`` meets them.

    Raises:
        TypeError: If ``output`` is not a tensor.
        ValueError: If ``output`` has no ``grad_fn``.
    """
    check_args(output=output)
    if output.grad_fn is None:
        raise ValueError("output has no grad_fn: it was not computed from tensors that require grad")
    names: dict[int, str] = {}
    counts: dict[str, int] = {}

    def name(fn) -> str:
        if id(fn) not in names:
            kind = type(fn).__name__
            counts[kind] = counts.get(kind, 0) + 1
            names[id(fn)] = kind if counts[kind] == 1 else f"{kind} #{counts[kind]}"
        return names[id(fn)]

    edges, seen = [], set()

    def walk(fn) -> None:
        if id(fn) in seen:
            return
        seen.add(id(fn))
        for child, _ in fn.next_functions:
            if child is not None:
                edges.append((name(fn), name(child)))
                walk(child)

    walk(output.grad_fn)
    return edges


def plot_graph(edges: list[tuple[str, str]], ax: Axes | None = None) -> Axes:
    """Draw a graph from `graph_edges`, the output at the top and the leaves below.

    Args:
        edges: ``(node, input node)`` pairs.
        ax: Axes to draw on; a new figure when omitted.

    Returns:
        The axes drawn on.

    Raises:
        TypeError: If ``edges`` is not a list of pairs of str, or ``ax`` not Axes or None.
        ValueError: If the edges are not in the order `graph_edges` gives them (each
            edge starts from a node that an earlier edge reached).
    """
    check_args(edges=edges, ax=ax)
    depth: dict[str, int] = {edges[0][0]: 0} if edges else {}
    for _ in edges:  # longest distance from the root, so every arrow points down
        for parent, child in edges:
            depth[child] = max(depth.get(child, 0), depth[parent] + 1)
    rows: dict[int, list[str]] = {}
    for node, d in depth.items():
        rows.setdefault(d, []).append(node)
    where = {node: (i - (len(row) - 1) / 2, -d) for d, row in rows.items() for i, node in enumerate(row)}
    ax = plt.subplots(figsize=(7, 1.1 * (len(rows) + 1)))[1] if ax is None else ax
    for parent, child in edges:
        ax.annotate(
            "",
            xy=where[child],
            xytext=where[parent],
            arrowprops=dict(arrowstyle="->", color="#3f51b5", shrinkA=12, shrinkB=12),
        )
    box = dict(boxstyle="round,pad=0.3", facecolor="#e8eaf6", edgecolor="#3f51b5")
    for node, (x, y) in where.items():
        ax.text(x, y, node, ha="center", va="center", fontsize=9, bbox=box)
    widest = max(len(row) for row in rows.values()) if rows else 1
    ax.set_xlim(-widest / 2 - 0.5, widest / 2 + 0.5)
    ax.set_ylim(-len(rows) + 0.4, 0.6)
    ax.axis("off")
    return ax


def finite_difference_grad(
    f: Callable[[torch.Tensor], torch.Tensor], params: torch.Tensor, eps: float = 1e-4
) -> torch.Tensor:
    """The gradient of a scalar function by central differences, without autograd.

    ``(f(p + eps*e_i) - f(p - eps*e_i)) / (2*eps)`` for each parameter ``i``, in
    float64 so that rounding does not swamp the difference.

    Args:
        f: Maps a parameter tensor to a scalar tensor.
        params: Where to take the gradient, a non-empty float tensor of finite values.
        eps: Half the width of each difference, a finite number > 0.

    Returns:
        float64 tensor of ``params``' shape.

    Raises:
        TypeError: If ``f`` is not callable, ``params`` not a float tensor or ``eps``
            not a number.
        ValueError: If ``params`` is empty or not finite, or ``eps`` is not > 0.
    """
    check_args(f=f, params=params, eps=eps)
    p = params.detach().double()
    grad = torch.zeros_like(p)
    with torch.no_grad():
        for i in range(p.numel()):
            step = torch.zeros_like(p).flatten()
            step[i] = eps
            step = step.view_as(p)
            grad.view(-1)[i] = (f(p + step) - f(p - step)) / (2 * eps)
    return grad
