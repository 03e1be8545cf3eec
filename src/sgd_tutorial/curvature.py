"""The curvature of the loss: what limits the learning rate, and how slowly descent crawls.

The mean squared error of ``a*t**2 + b*t + c`` is a quadratic function of the
parameters, so its Hessian (the matrix of second derivatives) is the same
everywhere: ``2/N * X.T @ X`` with the columns ``X = [t**2, t, 1]``. It depends
on the inputs alone, not on the targets or on where descent starts.
"""

from __future__ import annotations

import torch

from .checks import check_args

__all__ = ["condition_number", "hessian_eigenvalues", "loss_hessian", "stability_bound"]


def loss_hessian(time: torch.Tensor) -> torch.Tensor:
    """The Hessian of the quadratic model's mean squared error in ``(a, b, c)``, by hand.

    ``loss = mean((X @ params - speed)**2)`` with ``X = [t**2, t, 1]``, so the
    gradient is ``2/N * X.T @ (X @ params - speed)`` and its derivative, the
    Hessian, is ``2/N * X.T @ X``: constant, and independent of ``speed``.

    Args:
        time: Inputs, shape ``(n,)`` with ``n >= 1``.

    Returns:
        float64 tensor of shape ``(3, 3)``, symmetric; entry ``(i, j)`` is the
        second derivative of the loss in parameters ``i`` and ``j``.

    Raises:
        TypeError: If ``time`` is not a floating-point tensor.
        ValueError: If ``time`` is not 1-D, is empty or holds a value that is not finite.
    """
    check_args(time=time)
    # float64: for the raw input the entries span five orders of magnitude.
    t = time.double()
    x = torch.stack([t**2, t, torch.ones_like(t)], dim=1)
    return 2 / len(t) * x.T @ x


def hessian_eigenvalues(time: torch.Tensor) -> torch.Tensor:
    """The curvatures of the loss along its principal directions, smallest first.

    Args:
        time: Inputs, shape ``(n,)``.

    Returns:
        float64 tensor of the three eigenvalues of `loss_hessian`, ascending;
        all are >= 0 (up to rounding), since ``X.T @ X`` is positive semi-definite.

    Raises:
        ValueError: As `loss_hessian`.
    """
    return torch.linalg.eigvalsh(loss_hessian(time))


def stability_bound(time: torch.Tensor) -> float:
    """The largest learning rate at which gradient descent on this loss does not diverge.

    Along an eigenvector of the Hessian with eigenvalue ``lam``, one step of
    gradient descent multiplies the distance from the minimum by ``1 - lr * lam``.
    The distance shrinks only if ``|1 - lr * lam| < 1``, that is ``lr < 2 / lam``;
    the largest eigenvalue gives the tightest limit, ``2 / lam_max``.

    Args:
        time: Inputs, shape ``(n,)``.

    Returns:
        ``2 / lam_max``: descent converges for every smaller ``lr`` and diverges for
        every larger one (from a start with any component along that eigenvector).

    Raises:
        ValueError: As `loss_hessian`.
    """
    return 2 / hessian_eigenvalues(time)[-1].item()


def condition_number(time: torch.Tensor) -> float:
    """Largest over smallest curvature: how many times more slowly the flattest direction converges.

    At a learning rate near `stability_bound`, the flattest direction shrinks by
    about ``1 - 2 / condition_number`` per step, so descent needs a number of
    steps of the order of the condition number.

    Args:
        time: Inputs, shape ``(n,)`` with at least three distinct values.

    Returns:
        ``lam_max / lam_min``, at least 1.

    Raises:
        ValueError: As `loss_hessian`, or if ``time`` has fewer than three distinct
            values: then no single quadratic fits best, the smallest curvature is 0
            and the ratio is infinite.
    """
    check_args(time=time)
    distinct = len(torch.unique(time))
    if distinct < 3:
        raise ValueError(
            f"time must hold at least three distinct values for the loss to have one minimum, got {distinct}"
        )
    eigenvalues = hessian_eigenvalues(time)
    return (eigenvalues[-1] / eigenvalues[0]).item()
