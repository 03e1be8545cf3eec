"""The same model and loop written with PyTorch's own building blocks."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .model import quadratic
from .training import History

__all__ = ["Quadratic", "train_with_optimizer"]


class Quadratic(nn.Module):
    """``a*t**2 + b*t + c`` as an ``nn.Module`` whose one parameter is ``(a, b, c)``.

    Args:
        params: Starting values ``(a, b, c)``; copied, so the caller's tensor is untouched.
    """

    def __init__(self, params: torch.Tensor) -> None:
        super().__init__()
        self.params = nn.Parameter(params.detach().clone())

    def forward(self, t: torch.Tensor) -> torch.Tensor:
        return quadratic(t, self.params)


def train_with_optimizer(
    model: nn.Module, time: torch.Tensor, speed: torch.Tensor, lr: float, steps: int
) -> History:
    """The training loop with ``torch.optim.SGD`` and ``F.mse_loss`` in place of the hand-written step.

    Args:
        model: Any module mapping ``time`` to predictions of ``speed``'s shape.
        time: Inputs.
        speed: Targets.
        lr: Learning rate.
        steps: Number of steps.

    Returns:
        A `History` like `train`'s: the loss before each step, and the model's
        parameters (flattened into one tensor) before each step and after the last.
    """
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    history = History()

    def snapshot() -> torch.Tensor:
        return torch.cat([p.detach().flatten() for p in model.parameters()]).clone()

    for _ in range(steps):
        history.params.append(snapshot())
        loss = F.mse_loss(model(time), speed)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        history.losses.append(loss.item())
    history.params.append(snapshot())
    return history
