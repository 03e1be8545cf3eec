import pytest
import torch
import torch.nn.functional as F

from sgd_tutorial import mse


def test_mse_matches_torch_value_and_gradient():
    g = torch.Generator().manual_seed(0)
    preds = torch.randn(20, generator=g, requires_grad=True)
    targets = torch.randn(20, generator=g)
    ref = preds.detach().clone().requires_grad_()

    loss = mse(preds, targets)
    expected = F.mse_loss(ref, targets)
    loss.backward()
    expected.backward()

    torch.testing.assert_close(loss, expected)
    torch.testing.assert_close(preds.grad, ref.grad)


def test_mse_is_zero_for_perfect_predictions():
    x = torch.arange(5.0)
    assert mse(x, x.clone()).item() == 0.0


def test_mse_refuses_to_broadcast_and_names_both_shapes():
    with pytest.raises(ValueError, match=r"preds \(20,\) and targets \(20, 1\)"):
        mse(torch.zeros(20), torch.zeros(20, 1))


def test_mse_refuses_length_mismatch():
    with pytest.raises(ValueError, match="same shape"):
        mse(torch.zeros(3), torch.zeros(4))
