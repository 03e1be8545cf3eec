import itertools

import pytest
import torch

from sgd_tutorial import (
    DivergenceError,
    apply_step,
    init_params,
    make_speed_data,
    mse,
    quadratic,
    rescale,
    train,
    train_sgd,
)

LR = 1e-5


@pytest.fixture
def data():
    return make_speed_data(seed=42)


def sgd_reference(params, time, speed, lr, steps):
    """The same descent written with torch.optim.SGD."""
    params = params.detach().clone().requires_grad_()
    optimizer = torch.optim.SGD([params], lr=lr)
    losses = []
    for _ in range(steps):
        loss = torch.nn.functional.mse_loss(quadratic(time, params), speed)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return params.detach(), losses


def test_apply_step_equals_one_torch_sgd_step(data):
    time, speed = data
    params = init_params(seed=10)
    expected_params, expected_losses = sgd_reference(params, time, speed, LR, 1)
    before = params.detach().clone()

    preds, loss = apply_step(params, time, speed, LR)

    torch.testing.assert_close(params.detach(), expected_params)
    assert loss == pytest.approx(expected_losses[0], rel=1e-6)
    torch.testing.assert_close(preds, quadratic(time, before))
    assert not preds.requires_grad
    assert params.grad is None
    assert params.is_leaf and params.requires_grad


def test_apply_step_returns_loss_of_params_before_the_step(data):
    time, speed = data
    params = init_params(seed=3)
    expected = mse(quadratic(time, params), speed).item()
    _, loss = apply_step(params, time, speed, LR)
    assert isinstance(loss, float)
    assert loss == pytest.approx(expected)


def test_train_matches_torch_sgd_trajectory(data):
    time, speed = data
    params = init_params(seed=10)
    expected_params, expected_losses = sgd_reference(params, time, speed, LR, 10)
    history = train(params, time, speed, LR, 10)
    assert history.losses == pytest.approx(expected_losses, rel=1e-6)
    torch.testing.assert_close(history.params[-1], expected_params)
    torch.testing.assert_close(params.detach(), expected_params)


def test_train_records_snapshots_before_each_step(data):
    time, speed = data
    params = init_params(seed=10)
    start = params.detach().clone()
    history = train(params, time, speed, LR, 3)
    assert len(history.losses) == 3 and len(history.params) == 4
    torch.testing.assert_close(history.params[0], start)
    for p, loss in zip(history.params, history.losses, strict=False):
        assert loss == pytest.approx(mse(quadratic(time, p), speed).item())


def test_loss_decreases_at_the_notes_learning_rate(data):
    time, speed = data
    losses = train(init_params(seed=10), time, speed, LR, 10).losses
    assert all(b < a for a, b in itertools.pairwise(losses))


def test_train_is_deterministic_for_a_seed(data):
    time, speed = data
    a = train(init_params(seed=4), time, speed, LR, 5)
    b = train(init_params(seed=4), time, speed, LR, 5)
    assert a.losses == b.losses


@pytest.mark.parametrize(
    ("lr", "error"),
    [
        (0, ValueError),
        (-1e-3, ValueError),
        (float("nan"), ValueError),
        (float("inf"), ValueError),
        ("0.1", TypeError),
        (None, TypeError),
        (True, TypeError),
    ],
)
def test_bad_lr_raises_and_leaves_params(data, lr, error):
    time, speed = data
    params = init_params(seed=1)
    before = params.detach().clone()
    with pytest.raises(error, match=r"lr must be a (finite )?number"):
        apply_step(params, time, speed, lr)
    torch.testing.assert_close(params.detach(), before)


def test_params_without_grad_raise_clear_error(data):
    time, speed = data
    with pytest.raises(ValueError, match="requires_grad_"):
        apply_step(torch.zeros(3), time, speed, LR)


def test_divergence_raises_arithmetic_error_with_advice(data):
    time, speed = data
    params = init_params(seed=10)
    with pytest.raises(ArithmeticError, match=r"diverged.*smaller lr") as info:
        train(params, time, speed, lr=1.0, steps=100)
    assert isinstance(info.value, DivergenceError)
    assert "step " in str(info.value)
    assert torch.isfinite(params).all(), "params must not be overwritten with inf or NaN"


def test_bad_steps_raise(data):
    time, speed = data
    with pytest.raises(ValueError, match="steps must be"):
        train(init_params(), time, speed, LR, -1)


def test_zero_steps_records_the_start(data):
    time, speed = data
    history = train(init_params(seed=2), time, speed, LR, 0)
    assert history.losses == [] and len(history.params) == 1


def test_sgd_with_one_batch_of_everything_is_gradient_descent(data):
    time, speed = data
    full = train_sgd(init_params(seed=10), time, speed, LR, epochs=5, batch_size=len(time))
    # The same points in shuffled order: the mean only rounds differently.
    assert full.losses == pytest.approx(train(init_params(seed=10), time, speed, LR, 5).losses, rel=1e-6)


def test_sgd_steps_on_seeded_shuffled_mini_batches(data):
    time, speed = rescale(data[0]), data[1]
    history = train_sgd(init_params(seed=10), time, speed, 0.1, epochs=2, batch_size=8, seed=3)
    assert len(history.losses) == 2 * 3  # batches of 8, 8 and 4
    g = torch.Generator().manual_seed(3)
    params = init_params(seed=10)
    expected = []
    for _ in range(2):
        for batch in torch.randperm(20, generator=g).split(8):
            expected.append(apply_step(params, time[batch], speed[batch], 0.1)[1])
    assert history.losses == expected
    again = train_sgd(init_params(seed=10), time, speed, 0.1, epochs=2, batch_size=8, seed=3)
    assert again.losses == history.losses


@pytest.mark.parametrize(
    ("epochs", "batch_size", "match"), [(-1, 4, "epochs"), (1, 0, "batch_size"), (1, 21, "batch_size")]
)
def test_sgd_rejects_bad_settings(data, epochs, batch_size, match):
    with pytest.raises(ValueError, match=match):
        train_sgd(init_params(), *data, LR, epochs, batch_size)
