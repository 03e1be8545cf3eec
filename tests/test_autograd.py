import matplotlib.pyplot as plt
import pytest
import torch

from sgd_tutorial import (
    finite_difference_grad,
    graph_edges,
    init_params,
    make_speed_data,
    mse,
    plot_graph,
    quadratic,
)


def test_graph_of_the_loss_goes_from_the_mean_back_to_the_parameters():
    time, speed = make_speed_data()
    edges = graph_edges(mse(quadratic(time, init_params()), speed))
    assert edges[0] == ("MeanBackward0", "PowBackward0")
    assert ("PowBackward0", "SubBackward0") in edges
    children = {child for _, child in edges}
    assert "AccumulateGrad" in children  # where params.grad is filled
    assert sum(child == "AccumulateGrad" for _, child in edges) == 1  # one leaf: params


def test_graph_edges_needs_a_grad_fn():
    with pytest.raises(ValueError, match="no grad_fn"):
        graph_edges(torch.ones(3))


def test_plot_graph_draws_one_box_per_node():
    edges = [("MeanBackward0", "PowBackward0"), ("PowBackward0", "AccumulateGrad")]
    ax = plot_graph(edges)
    labels = {t.get_text() for t in ax.texts} - {""}  # arrows are empty annotations
    assert labels == {"MeanBackward0", "PowBackward0", "AccumulateGrad"}
    plt.close("all")


def test_finite_differences_agree_with_autograd_and_the_analytic_gradient():
    time, speed = make_speed_data(seed=42)
    params = init_params(seed=10).double().detach().requires_grad_()

    def loss(p):
        return mse(quadratic(time.double(), p), speed.double())

    loss(params).backward()
    err = quadratic(time.double(), params.detach()) - speed.double()
    analytic = torch.stack([(2 * err * time**2).mean(), (2 * err * time).mean(), (2 * err).mean()])
    numeric = finite_difference_grad(loss, params)
    torch.testing.assert_close(params.grad, analytic)
    torch.testing.assert_close(numeric, analytic, rtol=1e-6, atol=1e-6)
