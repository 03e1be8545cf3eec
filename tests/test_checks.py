"""Divergence is detected the same way in every training function, and old gradients never change a step."""

from __future__ import annotations

import re

import pytest
import torch
import torch.nn.functional as F

from sgd_tutorial import (
    DivergenceError,
    Quadratic,
    apply_step,
    check_args,
    check_step,
    init_params,
    make_speed_data,
    mse,
    quadratic,
    train,
    train_sgd,
    train_with_optimizer,
)

TIME, SPEED = make_speed_data(seed=42)
STALE = torch.tensor([1e3, -1e3, 1e3])  # a gradient left over from some earlier backward()


def torch_reference(lr: float, steps: int) -> tuple[list[float], torch.Tensor, int | None]:
    """torch.optim.SGD from init_params(seed=10), stopping before a step that leaves the finite numbers.

    Returns the losses, the parameters reached, and the number of the step that
    would diverge (None if none does).
    """
    params = init_params(seed=10).detach().clone().requires_grad_()
    optimizer = torch.optim.SGD([params], lr=lr)
    losses = []
    for step in range(steps):
        loss = F.mse_loss(quadratic(TIME, params), SPEED)
        optimizer.zero_grad()
        loss.backward()
        stepped = params.detach() - lr * params.grad
        if not (torch.isfinite(loss) and torch.isfinite(params.grad).all() and torch.isfinite(stepped).all()):
            return losses, params.detach(), step
        optimizer.step()
        losses.append(loss.item())
    return losses, params.detach(), None


def by_hand(lr: float, steps: int) -> torch.Tensor:
    params = init_params(seed=10)
    train(params, TIME, SPEED, lr, steps)
    return params.detach()


def with_sgd(lr: float, steps: int) -> torch.Tensor:
    params = init_params(seed=10)
    train_sgd(params, TIME, SPEED, lr, epochs=steps, batch_size=len(TIME))
    return params.detach()


def with_optimizer(lr: float, steps: int) -> torch.Tensor:
    model = Quadratic(init_params(seed=10))
    train_with_optimizer(model, TIME, SPEED, lr, steps)
    return model.params.detach()


TRAINERS = [by_hand, with_sgd, with_optimizer]


def run_until_divergence(trainer, lr, steps):
    """Run ``trainer``; return the DivergenceError and the parameters it left."""
    params = init_params(seed=10)
    model = Quadratic(init_params(seed=10))
    with pytest.raises(DivergenceError) as info:
        if trainer is by_hand:
            train(params, TIME, SPEED, lr, steps)
        elif trainer is with_sgd:
            train_sgd(params, TIME, SPEED, lr, epochs=steps, batch_size=len(TIME))
        else:
            train_with_optimizer(model, TIME, SPEED, lr, steps)
    left = model.params.detach() if trainer is with_optimizer else params.detach()
    return info.value, left


@pytest.mark.parametrize("trainer", TRAINERS, ids=lambda t: t.__name__)
@pytest.mark.parametrize("lr", [1e-3, 1e-2, 1e30])
def test_every_training_function_stops_where_torch_would_leave_the_finite_numbers(trainer, lr):
    _, reached, diverging_step = torch_reference(lr, 200)
    assert diverging_step is not None
    error, left = run_until_divergence(trainer, lr, 200)
    message = str(error)
    assert re.match(rf"step {diverging_step}: the step diverged: loss is", message), message
    assert f"lr={lr} is too large" in message and "try a smaller lr" in message
    assert torch.isfinite(left).all(), "parameters must be those before the step that diverged"
    # Full-batch train_sgd sums the points in shuffled order: the same descent up to rounding.
    torch.testing.assert_close(left, reached, rtol=1e-4, atol=0)


def test_train_with_optimizer_no_longer_returns_nan_params():
    # It used to run the 100 steps to the end, returning params of NaN without a word.
    model = Quadratic(init_params(seed=10))
    with pytest.raises(DivergenceError, match=r"^step \d+: the step diverged"):
        train_with_optimizer(model, TIME, SPEED, lr=1e-3, steps=100)
    assert torch.isfinite(model.params).all()


@pytest.mark.parametrize("lr", [1e-6, 1e-5, 2e-5])
def test_converging_runs_match_torch_in_every_training_function(lr):
    losses, reached, diverging_step = torch_reference(lr, 50)
    assert diverging_step is None
    for trainer in TRAINERS:
        torch.testing.assert_close(trainer(lr, 50), reached, rtol=1e-5, atol=1e-6)
    assert train(init_params(seed=10), TIME, SPEED, lr, 50).losses == pytest.approx(losses, rel=1e-6)


def test_a_step_that_would_overflow_the_params_is_refused_though_loss_and_gradient_are_finite():
    params = init_params(seed=10)
    loss = mse(quadratic(TIME, params), SPEED)
    loss.backward()
    assert torch.isfinite(loss) and torch.isfinite(params.grad).all()
    with pytest.raises(DivergenceError, match=r"lr=1e\+38"):
        check_step(loss, params, 1e38)
    check_step(loss, params, 1e-5)  # a finite step passes


def test_check_step_names_the_step_and_sees_every_parameter_of_a_model():
    model = torch.nn.Linear(1, 1)
    loss = model(torch.ones(1, 1)).sum() * float("inf")
    loss.backward()
    with pytest.raises(DivergenceError, match=r"^step 7: the step diverged: loss is -?inf"):
        check_step(loss, model.parameters(), 0.1, step=7)


def test_mse_lets_non_finite_preds_through_as_torch_does():
    # The loss of a diverged model is inf or NaN, not an error about the data: training relies on it.
    preds = SPEED.clone()
    preds[0] = float("inf")
    assert mse(preds, SPEED).item() == F.mse_loss(preds, SPEED).item() == float("inf")


# A gradient already in params.grad must not change a step: each function clears it before backward().


def test_apply_step_ignores_a_stale_gradient():
    clean, stale = init_params(seed=10), init_params(seed=10)
    stale.grad = STALE.clone()
    expected_preds, expected_loss = apply_step(clean, TIME, SPEED, 1e-5)
    preds, loss = apply_step(stale, TIME, SPEED, 1e-5)
    assert loss == expected_loss
    torch.testing.assert_close(preds, expected_preds, rtol=0, atol=0)
    torch.testing.assert_close(stale.detach(), clean.detach(), rtol=0, atol=0)
    assert stale.grad is None
    _, reached, _ = torch_reference(1e-5, 1)
    torch.testing.assert_close(stale.detach(), reached)


@pytest.mark.parametrize("run", ["train", "train_sgd"])
def test_training_loops_ignore_a_stale_gradient(run):
    clean, stale = init_params(seed=10), init_params(seed=10)
    stale.grad = STALE.clone()
    for params in (clean, stale):
        if run == "train":
            train(params, TIME, SPEED, 1e-5, 5)
        else:
            train_sgd(params, TIME, SPEED, 1e-5, epochs=5, batch_size=len(TIME))
    torch.testing.assert_close(stale.detach(), clean.detach(), rtol=0, atol=0)
    _, reached, _ = torch_reference(1e-5, 5)
    torch.testing.assert_close(stale.detach(), reached, rtol=1e-6, atol=1e-6)


def test_train_with_optimizer_ignores_a_stale_gradient():
    clean, stale = Quadratic(init_params(seed=10)), Quadratic(init_params(seed=10))
    stale.params.grad = STALE.clone()
    a = train_with_optimizer(clean, TIME, SPEED, 1e-5, 5)
    b = train_with_optimizer(stale, TIME, SPEED, 1e-5, 5)
    assert a.losses == b.losses
    torch.testing.assert_close(stale.params.detach(), clean.params.detach(), rtol=0, atol=0)


# The finiteness test sums each tensor first: finite values whose sum overflows must still pass,
# and an inf or NaN must be found whatever the other values are.


def test_finite_values_whose_sum_overflows_are_accepted():
    huge = torch.full((3,), 3e38)
    assert not torch.isfinite(huge.sum())
    check_args(time=huge, speed=huge)
    params = torch.tensor([3e38, 3e38, 0.0], requires_grad=True)
    params.grad = torch.tensor([-1.0, -1.0, 0.0])
    check_step(torch.tensor(1.0), params, 1.0)  # stepped values stay finite, their sum does not


INF, NAN = float("inf"), float("nan")


@pytest.mark.parametrize("bad", [[INF], [NAN], [INF, -INF], [3e38, -INF]])
def test_non_finite_values_are_refused_whatever_their_sum(bad):
    values = torch.tensor([1.0, *bad, -2.0])
    with pytest.raises(ValueError, match="time must hold finite numbers"):
        check_args(time=values)
    params = torch.zeros(len(values), requires_grad=True)
    params.grad = values
    with pytest.raises(DivergenceError):
        check_step(torch.tensor(1.0), params, 0.1)
