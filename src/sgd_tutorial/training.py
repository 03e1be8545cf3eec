"""Gradient descent on the quadratic model: one step, and a loop of steps."""

from __future__ import annotations

from dataclasses import dataclass, field

import torch

from .checks import DivergenceError, check_args, check_step
from .loss import mse
from .model import quadratic

__all__ = ["DivergenceError", "History", "apply_step", "train", "train_sgd"]


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


def apply_step(
    params: torch.Tensor, time: torch.Tensor, speed: torch.Tensor, lr: float
) -> tuple[torch.Tensor, float]:
    """One step of gradient descent: predict, measure the loss, backward, step.

    ``params`` is updated in place (``params -= lr * params.grad``). Its gradient is
    cleared before ``backward()``, which would otherwise add to a gradient left
    there earlier (by a ``loss.backward()`` of your own, say) and take a different
    step; and cleared afterwards, as it belongs to the values before the step.

    Args:
        params: Leaf tensor ``(a, b, c)`` with ``requires_grad=True``.
        time: Inputs of the model, a 1-D float tensor of finite values.
        speed: Targets, the same shape as ``time``.
        lr: Learning rate, a finite number > 0.

    Returns:
        ``(preds, loss)``: the predictions made with the parameters *before* the step
        (detached) and their loss as a float.

    Raises:
        TypeError: If an argument has the wrong type (see `check_args`).
        ValueError: If ``lr`` is not a finite positive number, ``params`` is not a
            leaf tensor of shape ``(3,)`` that requires grad, or ``time`` and ``speed``
            are empty, not finite or of different shapes.
        DivergenceError: If the loss, the gradient or the stepped parameters are NaN
            or infinite; ``params`` are left as they were.
    """
    check_args(params=params, time=time, speed=speed, lr=lr)
    params.grad = None
    preds = quadratic(time, params)
    loss = mse(preds, speed)
    loss.backward()
    check_step(loss, params, lr)
    with torch.no_grad():
        params -= lr * params.grad
    params.grad = None
    return preds.detach(), loss.item()


# train and train_sgd keep their loops written out, though alike: pages show their source for
# readers to copy, so each must read as the notes' loop, with no private helper behind it.
def train(params: torch.Tensor, time: torch.Tensor, speed: torch.Tensor, lr: float, steps: int) -> History:
    """Repeat `apply_step` ``steps`` times, recording the loss and parameters of each step.

    Args:
        params: Leaf tensor ``(a, b, c)`` with ``requires_grad=True``; updated in place.
        time: Inputs of the model, a 1-D float tensor of finite values.
        speed: Targets, the same shape as ``time``.
        lr: Learning rate, a finite number > 0.
        steps: Number of steps, at least 0.

    Returns:
        A `History` with ``steps`` losses and ``steps + 1`` parameter snapshots.

    Raises:
        TypeError: If an argument has the wrong type (see `check_args`).
        ValueError: On a bad ``lr``, ``steps``, ``params``, ``time`` or ``speed`` (see
            `apply_step`), checked before the first step.
        DivergenceError: If a step diverges; the message names the step.
    """
    check_args(params=params, time=time, speed=speed, lr=lr, steps=steps)
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
        seed: Seed of the shuffling, an integer ``torch.manual_seed`` accepts.

    Returns:
        A `History` whose losses are those of each step's mini-batch.

    Raises:
        TypeError: If an argument has the wrong type (see `check_args`).
        ValueError: On a bad ``lr``, ``epochs``, ``batch_size``, ``seed``, ``params``,
            ``time`` or ``speed``, checked before the first step.
        DivergenceError: If a step diverges; the message names the step.
    """
    check_args(params=params, time=time, speed=speed, lr=lr, epochs=epochs, batch_size=batch_size, seed=seed)
    n = len(time)
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
