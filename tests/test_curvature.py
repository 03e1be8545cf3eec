import pytest
import torch

from sgd_tutorial import (
    DivergenceError,
    condition_number,
    hessian_eigenvalues,
    init_params,
    least_squares,
    loss_hessian,
    make_speed_data,
    mse,
    quadratic,
    rescale,
    stability_bound,
    train,
)


@pytest.mark.parametrize("seed", [0, 42])
def test_hessian_by_hand_matches_autograd(seed):
    time, speed = make_speed_data(seed=seed)
    time, speed = time.double(), speed.double()
    for t in (time, rescale(time)):
        at = init_params(seed=seed).detach().double()
        expected = torch.autograd.functional.hessian(lambda p, t=t: mse(quadratic(t, p), speed), at)
        torch.testing.assert_close(loss_hessian(t), expected)


def test_hessian_does_not_depend_on_where_it_is_taken():
    time, speed = make_speed_data(seed=1)
    time, speed = time.double(), speed.double()
    generator = torch.Generator().manual_seed(0)
    for _ in range(3):
        at = torch.randn(3, generator=generator).double() * 10
        hessian = torch.autograd.functional.hessian(lambda p: mse(quadratic(time, p), speed), at)
        torch.testing.assert_close(hessian, loss_hessian(time))


def test_eigenvalues_match_torch_linalg_and_are_ascending():
    time, _ = make_speed_data()
    eigenvalues = hessian_eigenvalues(time)
    expected = torch.linalg.eigvals(loss_hessian(time)).real.sort().values
    torch.testing.assert_close(eigenvalues, expected)
    assert (eigenvalues[1:] >= eigenvalues[:-1]).all() and eigenvalues[0] > 0


def test_condition_number_is_largest_over_smallest_eigenvalue():
    time = rescale(torch.arange(20.0))
    eigenvalues = hessian_eigenvalues(time)
    assert condition_number(time) == pytest.approx((eigenvalues[-1] / eigenvalues[0]).item())
    assert condition_number(time) < condition_number(torch.arange(20.0))


def _diverges(time, speed, lr, steps):
    try:
        train(init_params(seed=0), time, speed, lr, steps)
    except DivergenceError:
        return True
    return False


@pytest.mark.parametrize("scale", [1.0, 0.1])
def test_descent_diverges_just_above_the_bound_and_not_just_below(scale):
    time, speed = make_speed_data(n=8, seed=0)
    time = time * scale
    bound = stability_bound(time)
    assert not _diverges(time, speed, 0.9 * bound, steps=2000)
    assert _diverges(time, speed, 1.1 * bound, steps=2000)


def test_descent_converges_below_the_bound():
    time, speed = make_speed_data(n=8, seed=0)
    time = rescale(time)
    history = train(init_params(seed=0), time, speed, 0.9 * stability_bound(time), steps=500)
    torch.testing.assert_close(history.params[-1], least_squares(time, speed), rtol=1e-3, atol=1e-3)


@pytest.mark.parametrize("time", [torch.tensor([]), torch.ones(2, 3), torch.tensor([0.0, float("nan"), 1.0])])
def test_bad_inputs_are_refused(time):
    with pytest.raises(ValueError):
        loss_hessian(time)


def test_condition_number_needs_three_distinct_times():
    with pytest.raises(ValueError, match="three distinct"):
        condition_number(torch.tensor([0.0, 1.0, 1.0, 0.0]))
