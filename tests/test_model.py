import pytest
import torch

from sgd_tutorial import init_params, quadratic


def test_quadratic_values():
    t = torch.tensor([0.0, 1.0, 2.0, -3.0])
    params = torch.tensor([2.0, -1.0, 0.5])
    torch.testing.assert_close(quadratic(t, params), 2 * t**2 - t + 0.5)


def test_quadratic_gradient_matches_analytic_derivative():
    t = torch.linspace(-2, 3, 7)
    params = torch.tensor([0.3, -1.2, 2.0], requires_grad=True)
    quadratic(t, params).sum().backward()
    # d/da = t**2, d/db = t, d/dc = 1, summed over the points
    expected = torch.stack([(t**2).sum(), t.sum(), torch.tensor(float(len(t)))])
    torch.testing.assert_close(params.grad, expected)


def test_quadratic_matches_torch_polyval_formulation():
    t = torch.randn(11, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    params = torch.tensor([0.7, 0.1, -4.0], dtype=torch.float64)
    powers = torch.stack([t**2, t, torch.ones_like(t)], dim=-1)
    torch.testing.assert_close(quadratic(t, params), powers @ params)


@pytest.mark.parametrize("shape", [(2,), (4,), (3, 1)])
def test_quadratic_rejects_wrong_number_of_params(shape):
    with pytest.raises(ValueError, match=r"params must have shape \(3,\)"):
        quadratic(torch.arange(5.0), torch.zeros(shape))


def test_init_params_seeded_leaf_with_grad():
    params = init_params(seed=10)
    assert params.shape == (3,)
    assert params.requires_grad and params.is_leaf
    torch.testing.assert_close(params, init_params(seed=10))
    expected = torch.randn(3, generator=torch.Generator().manual_seed(10))
    torch.testing.assert_close(params.detach(), expected)


def test_init_params_leaves_global_rng_alone():
    torch.manual_seed(5)
    expected_next = torch.rand(1)
    torch.manual_seed(5)
    init_params(seed=1)
    torch.testing.assert_close(torch.rand(1), expected_next)
