import pytest
import torch

from sgd_tutorial import least_squares, make_speed_data, mse, quadratic, rescale


def test_least_squares_recovers_an_exact_quadratic():
    t = torch.arange(10.0)
    true = torch.tensor([0.75, -14.25, 68.6875])
    torch.testing.assert_close(least_squares(t, quadratic(t, true)), true, rtol=1e-5, atol=1e-4)


def test_least_squares_matches_the_normal_equations():
    time, speed = make_speed_data(seed=42)
    x = torch.stack([time**2, time, torch.ones_like(time)], 1).double()
    expected = torch.linalg.solve(x.T @ x, x.T @ speed.double()).float()
    torch.testing.assert_close(least_squares(time, speed), expected, rtol=1e-4, atol=1e-4)


def test_least_squares_is_a_minimum_of_the_loss():
    time, speed = make_speed_data(seed=3)
    best = least_squares(time, speed)
    lowest = mse(quadratic(time, best), speed)
    for i in range(3):
        for nudge in (-1e-2, 1e-2):
            moved = best.clone()
            moved[i] += nudge
            assert mse(quadratic(time, moved), speed) > lowest


@pytest.mark.parametrize(
    ("t", "s", "match"),
    [(torch.zeros(2), torch.zeros(2), "at least 3"), (torch.zeros(5), torch.zeros(4), "same shape")],
)
def test_least_squares_rejects_bad_input(t, s, match):
    with pytest.raises(ValueError, match=match):
        least_squares(t, s)


def test_rescale_maps_the_range_onto_minus_one_to_one():
    scaled = rescale(torch.arange(20.0))
    assert scaled.min().item() == -1.0 and scaled.max().item() == 1.0
    torch.testing.assert_close(scaled, torch.linspace(-1, 1, 20))


def test_rescale_needs_two_distinct_values():
    with pytest.raises(ValueError, match="two distinct"):
        rescale(torch.full((4,), 3.0))
