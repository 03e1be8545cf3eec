import pytest
import torch

from sgd_tutorial import ClaimError, claim


def test_a_true_claim_passes():
    claim("two is larger than one", 2 > 1)
    claim("a tensor comparison", torch.tensor(3.0) > 2)


def test_a_false_claim_fails_quoting_the_sentence():
    with pytest.raises(ClaimError, match='claim no longer holds: "the loss falls"'):
        claim("the loss falls", 1.0 < 0.5)


def test_a_false_tensor_claim_fails():
    with pytest.raises(ClaimError):
        claim("all positive", (torch.tensor([1.0, -1.0]) > 0).all())


@pytest.mark.parametrize("holds", [(1, 2), "yes", 1, None, torch.tensor([True, False]), torch.tensor(1.0)])
def test_a_value_that_is_not_a_truth_value_is_refused(holds):
    with pytest.raises(TypeError, match="holds"):
        claim("something", holds)


def test_an_empty_sentence_is_refused():
    with pytest.raises(ValueError, match="sentence"):
        claim("  ", True)
