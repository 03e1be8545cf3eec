import pytest
import torch

from sgd_tutorial import make_speed_data, true_speed


def test_shapes_and_time_axis():
    time, speed = make_speed_data(n=20)
    assert time.shape == speed.shape == (20,)
    assert time.dtype == speed.dtype == torch.float32
    torch.testing.assert_close(time, torch.arange(20).float())


def test_follows_the_notes_recipe_with_centre_9_5():
    time, speed = make_speed_data(n=20, noise=3.0, seed=7)
    noise = torch.randn(20, generator=torch.Generator().manual_seed(7)) * 3.0
    torch.testing.assert_close(speed, noise + 0.75 * (time - 9.5) ** 2 + 1)


def test_without_noise_is_the_true_curve_lowest_in_the_middle():
    time, speed = make_speed_data(n=21, noise=0.0)
    torch.testing.assert_close(speed, true_speed(time, 10.0))
    assert speed.argmin().item() == 10


def test_same_seed_same_data_and_global_rng_untouched():
    torch.manual_seed(123)
    expected_next = torch.rand(1)
    torch.manual_seed(123)
    a = make_speed_data(seed=3)
    b = make_speed_data(seed=3)
    torch.testing.assert_close(a, b)
    torch.testing.assert_close(torch.rand(1), expected_next)


def test_different_seeds_differ():
    assert not torch.equal(make_speed_data(seed=1)[1], make_speed_data(seed=2)[1])


@pytest.mark.parametrize(
    ("n", "error"),
    [(0, ValueError), (-3, ValueError), (2**24 + 1, ValueError), (2.5, TypeError), (True, TypeError)],
)
def test_bad_n_raises(n, error):
    with pytest.raises(error, match="n must be an integer"):
        make_speed_data(n=n)


@pytest.mark.parametrize("noise", [-1.0, float("nan"), float("inf")])
def test_bad_noise_raises(noise):
    with pytest.raises(ValueError, match="noise must be"):
        make_speed_data(noise=noise)
