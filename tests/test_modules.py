import pytest
import torch

from sgd_tutorial import (
    Quadratic,
    init_params,
    make_speed_data,
    quadratic,
    rescale,
    train,
    train_with_optimizer,
)


def test_the_module_computes_the_quadratic_and_copies_its_start():
    start = init_params(seed=1)
    model = Quadratic(start)
    t = torch.arange(5.0)
    torch.testing.assert_close(model(t), quadratic(t, start))
    assert [p.shape for p in model.parameters()] == [(3,)]
    assert model.params is not start


@pytest.mark.parametrize(("rescaled", "lr"), [(False, 1e-5), (True, 0.5)])
def test_optimizer_trajectory_equals_the_hand_written_loop(rescaled, lr):
    time, speed = make_speed_data(seed=42)
    if rescaled:
        time = rescale(time)
    by_hand = train(init_params(seed=10), time, speed, lr, 50)
    with_tools = train_with_optimizer(Quadratic(init_params(seed=10)), time, speed, lr, 50)
    assert with_tools.losses == pytest.approx(by_hand.losses, rel=1e-6)
    for a, b in zip(with_tools.params, by_hand.params, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-6, atol=1e-6)
