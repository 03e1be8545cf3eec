"""The same model and loop written with PyTorch's own building blocks."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .checks import check_args, check_step
from .model import quadratic
from .training import History

__all__ = ["Quadratic", "train_with_optimizer"]


class Quadratic(nn.Module):
    """``a*t**2 + b*t + c`` as an ``nn.Module`` whose one parameter is ``(a, b, c)``.

    Args:
        params: Starting values ``(a, b, c)``, finite floats; copied, so the caller's
            tensor is untouched.

    Raises:
        TypeError: If ``params`` is not a float tensor.
        ValueError: If ``params`` is not of shape ``(3,)`` or not finite.
    """

    def __init__(self, params: torch.Tensor) -> None:
        check_args(params=params)
        super().__init__()
        self.params = nn.Parameter(params.detach().clone())

    def forward(self, t: torch.Tensor) -> torch.Tensor:
        return quadratic(t, self.params)


def train_with_optimizer(
    model: nn.Module, time: torch.Tensor, speed: torch.Tensor, lr: float, steps: int
) -> History:
    """The training loop with ``torch.optim.SGD`` and ``F.mse_loss`` in place of the hand-written step.

    Like `apply_step`, it clears old gradients before ``backward()`` (that is what
    ``optimizer.zero_grad()`` is for) and refuses a step that diverges.

    Args:
        model: Any module mapping ``time`` to predictions of ``speed``'s shape.
        time: Inputs, a 1-D float tensor of finite values.
        speed: Targets, the same shape as ``time``.
        lr: Learning rate, a finite number > 0.
        steps: Number of steps, at least 0.

    Returns:
        A `History` like `train`'s: the loss before each step, and the model's
        parameters (flattened into one tensor) before each step and after the last.

    Raises:
        TypeError: If an argument has the wrong type (see `check_args`).
        ValueError: On a bad ``lr``, ``steps``, ``time`` or ``speed``, a model without
            parameters or with non-finite ones, or predictions of a shape other
            than ``speed``'s.
        DivergenceError: If a step diverges; the message names the step, and the
            model keeps the parameters it had before that step.
    """
    check_args(model=model, time=time, speed=speed, lr=lr, steps=steps)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    history = History()

    def snapshot() -> torch.Tensor:
        return torch.cat([p.detach().flatten() for p in model.parameters()]).clone()

    for step in range(steps):
        history.params.append(snapshot())
        preds = model(time)
        check_args(speed=speed, preds=preds)  # F.mse_loss would broadcast other shapes
        loss = F.mse_loss(preds, speed)
        optimizer.zero_grad()
        loss.backward()
        check_step(loss, model.parameters(), lr, step)
        optimizer.step()
        history.losses.append(loss.item())
    history.params.append(snapshot())
    return history
