"""Gradient descent on the quadratic model: one step, and a loop of steps."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch

from .loss import mse
from .model import quadratic

__all__ = ["DivergenceError", "History", "apply_step", "train", "train_sgd"]


class DivergenceError(ArithmeticError):
    """The loss or the gradient stopped being a finite number: the steps overshoot."""


@dataclass
class History:
    """What a run of `train` recorded.

    Attributes:
        losses: ``losses[i]`` is the loss before step ``i``, as a float.
        params: ``params[i]`` are the parameters before step ``i`` (detached copies);
            the last entry holds the parameters after the final step, so there is one
            more entry than there are losses.
    """

    losses: list[float] = field(default_factory=list)
    params: list[torch.Tensor] = field(default_factory=list)


def _check_lr(lr: float) -> None:
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not math.isfinite(lr) or lr <= 0:
        raise ValueError(f"lr must be a finite number > 0, got {lr!r}")


def apply_step(
    params: torch.Tensor, time: torch.Tensor, speed: torch.Tensor, lr: float
) -> tuple[torch.Tensor, float]:
    """One step of gradient descent: predict, measure the loss, backward, step.

    ``params`` is updated in place (``params -= lr * params.grad``) and its gradient
    is cleared afterwards, because the next call computes a fresh one for the new
    values and ``backward()`` would otherwise add to the old one.

    Args:
        params: Leaf tensor ``(a, b, c)`` with ``requires_grad=True``.
        time: Inputs of the model.
        speed: Targets, the same shape as ``time``.
        lr: Learning rate, a finite number > 0.

    Returns:
        ``(preds, loss)``: the predictions made with the parameters *before* the step
        (detached) and their loss as a float.

    Raises:
        ValueError: If ``lr`` is not a finite positive number, or ``params`` does not
            track gradients.
        DivergenceError: If the loss or the gradient is NaN or infinite; ``params``
            are left as they were.
    """
    _check_lr(lr)
    if not params.requires_grad or not params.is_leaf:
        raise ValueError("params must be a leaf tensor that requires grad: call params.requires_grad_()")
    preds = quadratic(time, params)
    loss = mse(preds, speed)
    loss.backward()
    grad = params.grad
    if not (torch.isfinite(loss) and torch.isfinite(grad).all()):
        params.grad = None
        raise DivergenceError(
            f"the step diverged: loss is {loss.item()} and the gradient is {grad.tolist()}; "
            f"lr={lr} is too large for this problem, try a smaller lr"
        )
    with torch.no_grad():
        params -= lr * grad
    params.grad = None
    return preds.detach(), loss.item()


# train and train_sgd keep their loops written out, though alike: pages show their source for
# readers to copy, so each must read as the notes' loop, with no private helper behind it.
def train(params: torch.Tensor, time: torch.Tensor, speed: torch.Tensor, lr: float, steps: int) -> History:
    """Repeat `apply_step` ``steps`` times, recording the loss and parameters of each step.

    Args:
        params: Leaf tensor ``(a, b, c)`` with ``requires_grad=True``; updated in place.
        time: Inputs of the model.
        speed: Targets, the same shape as ``time``.
        lr: Learning rate, a finite number > 0.
        steps: Number of steps, at least 0.

    Returns:
        A `History` with ``steps`` losses and ``steps + 1`` parameter snapshots.

    Raises:
        ValueError: On a bad ``lr``, ``steps`` or ``params`` (see `apply_step`).
        DivergenceError: If a step diverges; the message names the step.
    """
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise ValueError(f"steps must be an integer >= 0, got {steps!r}")
    history = History()
    for step in range(steps):
        history.params.append(params.detach().clone())
        try:
            _, loss = apply_step(params, time, speed, lr)
        except DivergenceError as error:
            raise DivergenceError(f"step {step}: {error}") from None
        history.losses.append(loss)
    history.params.append(params.detach().clone())
    return history


def train_sgd(
    params: torch.Tensor,
    time: torch.Tensor,
    speed: torch.Tensor,
    lr: float,
    epochs: int,
    batch_size: int,
    seed: int = 0,
) -> History:
    """Stochastic gradient descent: each step uses a random mini-batch of the points.

    Every epoch shuffles the points with a ``torch.Generator`` seeded once with
    ``seed``, then steps once per batch of ``batch_size`` points (the last batch
    may be smaller). With ``batch_size`` equal to the number of points this is
    plain gradient descent, `train`.

    Args:
        params: Leaf tensor ``(a, b, c)`` with ``requires_grad=True``; updated in place.
        time: Inputs of the model, shape ``(n,)``.
        speed: Targets, shape ``(n,)``.
        lr: Learning rate, a finite number > 0.
        epochs: Passes over the data, at least 0.
        batch_size: Points per step, from 1 to ``n``.
        seed: Seed of the shuffling.

    Returns:
        A `History` whose losses are those of each step's mini-batch.

    Raises:
        ValueError: On a bad ``lr``, ``epochs``, ``batch_size`` or ``params``.
        DivergenceError: If a step diverges; the message names the step.
    """
    n = len(time)
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
        raise ValueError(f"epochs must be an integer >= 0, got {epochs!r}")
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or not 1 <= batch_size <= n:
        raise ValueError(f"batch_size must be an integer from 1 to {n}, got {batch_size!r}")
    generator = torch.Generator().manual_seed(seed)
    history = History()
    step = 0
    for _ in range(epochs):
        for batch in torch.randperm(n, generator=generator).split(batch_size):
            history.params.append(params.detach().clone())
            try:
                _, loss = apply_step(params, time[batch], speed[batch], lr)
            except DivergenceError as error:
                raise DivergenceError(f"step {step}: {error}") from None
            history.losses.append(loss)
            step += 1
    history.params.append(params.detach().clone())
    return history
