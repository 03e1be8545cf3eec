"""Every public function refuses what it cannot compute, naming the argument: one table per function.

Each row is ``(call, error, name, shows)``: calling ``call()`` raises ``error`` whose
message names the argument ``name`` and, where given, shows the bad value or shape
``shows``.
"""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import pytest
import torch
from torch import nn

from sgd_tutorial import (
    DivergenceError,
    Quadratic,
    apply_step,
    check_args,
    claim,
    condition_number,
    finite_difference_grad,
    graph_edges,
    hessian_eigenvalues,
    init_params,
    least_squares,
    loss_hessian,
    loss_landscape,
    make_speed_data,
    mse,
    plot_function,
    plot_graph,
    plot_landscape,
    plot_loop,
    quadratic,
    rescale,
    show_preds,
    show_steps,
    stability_bound,
    to_svg,
    train,
    train_sgd,
    train_with_optimizer,
    true_speed,
)

TIME, SPEED = make_speed_data(seed=42)
NAN, INF = float("nan"), float("inf")


def with_value(tensor: torch.Tensor, value: float, at: int = 3) -> torch.Tensor:
    """A copy of ``tensor`` with one bad value."""
    bad = tensor.clone()
    bad[at] = value
    return bad


def params(**kwargs) -> torch.Tensor:
    return init_params(seed=10, **kwargs)


def leaf(*values: float) -> torch.Tensor:
    return torch.tensor(values).requires_grad_()


def figure():
    return plt.subplots()[0]


def axes():
    return plt.subplots()[1]


def no_params_module() -> nn.Module:
    return nn.Identity()


class Column(nn.Module):
    """Predicts with the right values in the wrong shape, (n, 1): the broadcast trap."""

    def __init__(self) -> None:
        super().__init__()
        self.params = nn.Parameter(init_params(seed=10).detach())

    def forward(self, t: torch.Tensor) -> torch.Tensor:
        return quadratic(t, self.params).unsqueeze(1)


EMPTY = torch.zeros(0)
LANDSCAPE_A, LANDSCAPE_B = torch.linspace(0, 1, 4), torch.linspace(-1, 1, 5)
LOSSES = loss_landscape(TIME, SPEED, LANDSCAPE_A, LANDSCAPE_B)

TABLES = {
    "mse": [
        (lambda: mse(SPEED.tolist(), SPEED), TypeError, "preds", "list"),
        (lambda: mse(SPEED, SPEED.tolist()), TypeError, "targets", "list"),
        (lambda: mse(SPEED.long(), SPEED.long()), TypeError, "preds", "int64"),
        (lambda: mse(SPEED, SPEED.to(torch.complex64)), TypeError, "targets", "complex64"),
        (lambda: mse(SPEED, SPEED.unsqueeze(1)), ValueError, "targets", "(20, 1)"),
        (lambda: mse(SPEED.unsqueeze(1), SPEED), ValueError, "preds", "(20, 1)"),
        (lambda: mse(EMPTY, EMPTY), ValueError, "preds", "(0,)"),
        (lambda: mse(SPEED, with_value(SPEED, NAN)), ValueError, "targets", "nan"),
        (lambda: mse(SPEED, with_value(SPEED, -INF)), ValueError, "targets", "-inf"),
    ],
    "quadratic": [
        (lambda: quadratic([1.0, 2.0], params()), TypeError, "t", "list"),
        (lambda: quadratic(torch.arange(5), params()), TypeError, "t", "int64"),
        (lambda: quadratic(with_value(TIME, NAN), params()), ValueError, "t", "nan"),
        (lambda: quadratic(TIME, params(size=4)), ValueError, "params", "(4,)"),
        (lambda: quadratic(TIME, torch.zeros(3, 1)), ValueError, "params", "(3, 1)"),
        (lambda: quadratic(TIME, [1.0, 2.0, 3.0]), TypeError, "params", "list"),
        (lambda: quadratic(TIME, torch.tensor([1, 2, 3])), TypeError, "params", "int64"),
        (lambda: quadratic(TIME, torch.tensor([1.0, INF, 3.0])), ValueError, "params", "inf"),
    ],
    "Quadratic": [
        (lambda: Quadratic([1.0, 2.0, 3.0]), TypeError, "params", "list"),
        (lambda: Quadratic(torch.zeros(4)), ValueError, "params", "(4,)"),
        (lambda: Quadratic(torch.tensor([NAN, 1.0, 1.0])), ValueError, "params", "nan"),
    ],
    "init_params": [
        (lambda: init_params(0), ValueError, "size", "0"),
        (lambda: init_params(2.5), TypeError, "size", "2.5"),
        (lambda: init_params(True), TypeError, "size", "True"),
        (lambda: init_params(seed=1.5), TypeError, "seed", "1.5"),
        (lambda: init_params(seed="0"), TypeError, "seed", "'0'"),
        (lambda: init_params(seed=2**64), ValueError, "seed", str(2**64)),
    ],
    "make_speed_data": [
        (lambda: make_speed_data(n=0), ValueError, "n", "0"),
        (lambda: make_speed_data(n=2**24 + 1), ValueError, "n", str(2**24 + 1)),
        (lambda: make_speed_data(n=20.0), TypeError, "n", "20.0"),
        (lambda: make_speed_data(noise=-1.0), ValueError, "noise", "-1.0"),
        (lambda: make_speed_data(noise=NAN), ValueError, "noise", "nan"),
        (lambda: make_speed_data(noise=1e39), ValueError, "noise", "1e+39"),
        (lambda: make_speed_data(noise="3"), TypeError, "noise", "'3'"),
        (lambda: make_speed_data(seed=None), TypeError, "seed", "None"),
        (lambda: make_speed_data(seed=-(2**63) - 1), ValueError, "seed", str(-(2**63) - 1)),
    ],
    "true_speed": [
        (lambda: true_speed(TIME.tolist(), 9.5), TypeError, "time", "list"),
        (lambda: true_speed(with_value(TIME, INF), 9.5), ValueError, "time", "inf"),
        (lambda: true_speed(EMPTY, 9.5), ValueError, "time", "(0,)"),
        (lambda: true_speed(TIME.view(4, 5), 9.5), ValueError, "time", "(4, 5)"),
        (lambda: true_speed(TIME, NAN), ValueError, "centre", "nan"),
        (lambda: true_speed(TIME, "9.5"), TypeError, "centre", "'9.5'"),
    ],
    "least_squares": [
        (lambda: least_squares(with_value(TIME, NAN), SPEED), ValueError, "time", "nan"),
        (lambda: least_squares(TIME, with_value(SPEED, INF)), ValueError, "speed", "inf"),
        (lambda: least_squares(EMPTY, EMPTY), ValueError, "time", "(0,)"),
        (lambda: least_squares(TIME, SPEED[:-1]), ValueError, "speed", "(19,)"),
        (lambda: least_squares(TIME, SPEED.unsqueeze(1)), ValueError, "speed", "(20, 1)"),
        (lambda: least_squares(TIME.view(4, 5), SPEED.view(4, 5)), ValueError, "time", "(4, 5)"),
        (lambda: least_squares(torch.arange(20), SPEED), TypeError, "time", "int64"),
        (lambda: least_squares(TIME.tolist(), SPEED), TypeError, "time", "list"),
        (lambda: least_squares(torch.tensor([1.0, 1.0, 2.0, 2.0]), SPEED[:4]), ValueError, "time", "2"),
        # Times 1e-20 apart: the t**2 column is lost in rounding, and the best a, ~1e40, is past float32.
        (lambda: least_squares(TIME * 1e-20, SPEED), ValueError, "time", "rescale"),
        # Times 1e9 apart from 0 but 1 from each other: t**2, t and 1 are nearly parallel.
        (lambda: least_squares(TIME + 1e9, SPEED), ValueError, "time", "rescale"),
    ],
    "rescale": [
        (lambda: rescale(TIME.tolist()), TypeError, "time", "list"),
        (lambda: rescale(torch.arange(20)), TypeError, "time", "int64"),
        (lambda: rescale(with_value(TIME, NAN)), ValueError, "time", "nan"),
        (lambda: rescale(EMPTY), ValueError, "time", "(0,)"),
        (lambda: rescale(torch.full((4,), 3.0)), ValueError, "time", "3.0"),
        (lambda: rescale(torch.tensor([-3e38, 3e38])), ValueError, "time", "e+38"),
    ],
    "apply_step": [
        (lambda: apply_step_(params=params().detach()), ValueError, "params", "requires_grad_"),
        (lambda: apply_step_(params=params() * 1), ValueError, "params", "leaf"),
        (lambda: apply_step_(params=leaf(NAN, 1.0, 1.0)), ValueError, "params", "nan"),
        (lambda: apply_step_(params=params(size=4)), ValueError, "params", "(4,)"),
        (lambda: apply_step_(time=with_value(TIME, NAN)), ValueError, "time", "nan"),
        (lambda: apply_step_(speed=with_value(SPEED, INF)), ValueError, "speed", "inf"),
        (lambda: apply_step_(time=EMPTY, speed=EMPTY), ValueError, "time", "(0,)"),
        (lambda: apply_step_(speed=SPEED.unsqueeze(1)), ValueError, "speed", "(20, 1)"),
        (lambda: apply_step_(speed=SPEED[:10]), ValueError, "speed", "(10,)"),
        (lambda: apply_step_(time=torch.arange(20)), TypeError, "time", "int64"),
        (lambda: apply_step_(time=TIME.tolist()), TypeError, "time", "list"),
        (lambda: apply_step_(lr=0), ValueError, "lr", "0"),
        (lambda: apply_step_(lr=INF), ValueError, "lr", "inf"),
        (lambda: apply_step_(lr="1e-5"), TypeError, "lr", "'1e-5'"),
        (lambda: apply_step_(lr=torch.tensor(1e-5)), TypeError, "lr", ".item()"),
        (lambda: apply_step_(lr=1e300), DivergenceError, "lr", "lr=1e+300 is too large"),
    ],
    "train": [
        (lambda: train(params(), TIME, SPEED, 1e-5, -1), ValueError, "steps", "-1"),
        (lambda: train(params(), TIME, SPEED, 1e-5, 10.0), TypeError, "steps", "10.0"),
        (lambda: train(params(), with_value(TIME, NAN), SPEED, 1e-5, 10), ValueError, "time", "nan"),
        (lambda: train(params(), TIME, with_value(SPEED, INF), 1e-5, 10), ValueError, "speed", "inf"),
        (lambda: train(params(), EMPTY, EMPTY, 1e-5, 10), ValueError, "time", "(0,)"),
        (lambda: train(params(), TIME, SPEED.unsqueeze(1), 1e-5, 10), ValueError, "speed", "(20, 1)"),
        (lambda: train(params(), TIME, SPEED, -1e-5, 10), ValueError, "lr", "-1e-05"),
        (lambda: train(params(size=2), TIME, SPEED, 1e-5, 0), ValueError, "params", "(2,)"),
        (lambda: train([0.0, 0.0, 0.0], TIME, SPEED, 1e-5, 10), TypeError, "params", "list"),
    ],
    "train_sgd": [
        (lambda: train_sgd(params(), TIME, SPEED, 0.1, -1, 4), ValueError, "epochs", "-1"),
        (lambda: train_sgd(params(), TIME, SPEED, 0.1, 1.5, 4), TypeError, "epochs", "1.5"),
        (lambda: train_sgd(params(), TIME, SPEED, 0.1, 1, 0), ValueError, "batch_size", "0"),
        (lambda: train_sgd(params(), TIME, SPEED, 0.1, 1, 21), ValueError, "batch_size", "21"),
        (lambda: train_sgd(params(), TIME, SPEED, 0.1, 1, 4.0), TypeError, "batch_size", "4.0"),
        (lambda: train_sgd(params(), TIME, SPEED, 0.1, 1, 4, seed=0.5), TypeError, "seed", "0.5"),
        (lambda: train_sgd(params(), TIME, SPEED, 0.1, 1, 4, seed=2**64), ValueError, "seed", str(2**64)),
        (lambda: train_sgd(params(), TIME, with_value(SPEED, NAN), 0.1, 1, 4), ValueError, "speed", "nan"),
        (
            lambda: train_sgd(params(), TIME.view(4, 5), SPEED.view(4, 5), 0.1, 1, 2),
            ValueError,
            "time",
            "(4, 5)",
        ),
        (lambda: train_sgd(params(), EMPTY, EMPTY, 0.1, 1, 1), ValueError, "time", "(0,)"),
        (lambda: train_sgd(params(), TIME, SPEED, NAN, 1, 4), ValueError, "lr", "nan"),
    ],
    "train_with_optimizer": [
        (
            lambda: train_with_optimizer(params(), TIME, SPEED, 1e-5, 1),
            TypeError,
            "model",
            "tensor of shape (3,)",
        ),
        (lambda: train_with_optimizer(no_params_module(), TIME, SPEED, 1e-5, 1), ValueError, "model", None),
        (
            lambda: train_with_optimizer(Quadratic(params()), TIME, SPEED.unsqueeze(1), 1e-5, 1),
            ValueError,
            "speed",
            "(20, 1)",
        ),
        (lambda: train_with_optimizer(Column(), TIME, SPEED, 1e-5, 1), ValueError, "preds", "(20, 1)"),
        (
            lambda: train_with_optimizer(Quadratic(params()), with_value(TIME, NAN), SPEED, 1e-5, 1),
            ValueError,
            "time",
            "nan",
        ),
        (
            lambda: train_with_optimizer(Quadratic(params()), TIME, with_value(SPEED, INF), 1e-5, 1),
            ValueError,
            "speed",
            "inf",
        ),
        (
            lambda: train_with_optimizer(Quadratic(params()), EMPTY, EMPTY, 1e-5, 1),
            ValueError,
            "time",
            "(0,)",
        ),
        (lambda: train_with_optimizer(Quadratic(params()), TIME, SPEED, 0.0, 1), ValueError, "lr", "0.0"),
        (lambda: train_with_optimizer(Quadratic(params()), TIME, SPEED, 1e-5, -2), ValueError, "steps", "-2"),
    ],
    "loss_landscape": [
        (
            lambda: loss_landscape(with_value(TIME, NAN), SPEED, LANDSCAPE_A, LANDSCAPE_B),
            ValueError,
            "time",
            "nan",
        ),
        (lambda: loss_landscape(TIME, SPEED[:5], LANDSCAPE_A, LANDSCAPE_B), ValueError, "speed", "(5,)"),
        (lambda: loss_landscape(TIME, SPEED, LANDSCAPE_A.view(2, 2), LANDSCAPE_B), ValueError, "a", "(2, 2)"),
        (lambda: loss_landscape(TIME, SPEED, LANDSCAPE_A, EMPTY), ValueError, "b", "(0,)"),
        (lambda: loss_landscape(TIME, SPEED, [0.0, 1.0], LANDSCAPE_B), TypeError, "a", "list"),
        (lambda: loss_landscape(TIME, SPEED, LANDSCAPE_A, LANDSCAPE_B, c="1"), TypeError, "c", "'1'"),
        (lambda: loss_landscape(TIME, SPEED, LANDSCAPE_A, LANDSCAPE_B, c=INF), ValueError, "c", "inf"),
    ],
    "plot_landscape": [
        (lambda: plot_landscape(LANDSCAPE_A, LANDSCAPE_B, LOSSES.T), ValueError, "losses", "(4, 5)"),
        (lambda: plot_landscape(LANDSCAPE_A, LANDSCAPE_B, LOSSES * 0), ValueError, "losses", "0.0"),
        (lambda: plot_landscape(LANDSCAPE_A, LANDSCAPE_B, torch.ones(5, 4)), ValueError, "losses", "1.0"),
        (
            lambda: plot_landscape(LANDSCAPE_A, LANDSCAPE_B, LOSSES.clone().fill_(NAN)),
            ValueError,
            "losses",
            "nan",
        ),
        (lambda: plot_landscape(LANDSCAPE_A.tolist(), LANDSCAPE_B, LOSSES), TypeError, "a", "list"),
        (
            lambda: plot_landscape(LANDSCAPE_A, LANDSCAPE_B, LOSSES, path=torch.zeros(5, 1)),
            ValueError,
            "path",
            "(5, 1)",
        ),
        (
            lambda: plot_landscape(LANDSCAPE_A, LANDSCAPE_B, LOSSES, path=torch.full((5, 3), NAN)),
            ValueError,
            "path",
            "nan",
        ),
        (lambda: plot_landscape(LANDSCAPE_A, LANDSCAPE_B, LOSSES, ax="left"), TypeError, "ax", "'left'"),
        (lambda: plot_landscape(LANDSCAPE_A, LANDSCAPE_B, LOSSES, title=3), TypeError, "title", "3"),
    ],
    "show_preds": [
        (lambda: show_preds(TIME.tolist(), SPEED), TypeError, "time", "list"),
        (lambda: show_preds(TIME, with_value(SPEED, NAN)), ValueError, "speed", "nan"),
        (lambda: show_preds(TIME, SPEED, SPEED[:5]), ValueError, "preds", "(5,)"),
        (lambda: show_preds(TIME, SPEED, SPEED.tolist()), TypeError, "preds", "list"),
        (lambda: show_preds(TIME, SPEED, ax=figure()), TypeError, "ax", "Figure"),
    ],
    "show_steps": [
        (lambda: show_steps(TIME, SPEED, []), ValueError, "params", "empty"),
        (lambda: show_steps(TIME, SPEED, [torch.zeros(4)]), ValueError, r"params\[0\]", "(4,)"),
        (lambda: show_steps(TIME, SPEED, [torch.zeros(3), [0, 0, 0]]), TypeError, r"params\[1\]", "list"),
        (lambda: show_steps(TIME, SPEED, torch.zeros(2, 3)), ValueError, "params", "(2, 3)"),
        (lambda: show_steps(TIME, SPEED, [torch.zeros(3)] * 3, losses=[1.0]), ValueError, "losses", "1"),
        (
            lambda: show_steps(TIME, SPEED, [torch.zeros(3)], losses=["big"]),
            TypeError,
            r"losses\[0\]",
            "'big'",
        ),
        (lambda: show_steps(TIME, SPEED, [torch.zeros(3)], axs=[figure()]), TypeError, "axs", "list"),
        (lambda: show_steps(TIME, SPEED.unsqueeze(1), [torch.zeros(3)]), ValueError, "speed", "(20, 1)"),
    ],
    "plot_function": [
        (lambda: plot_function("x**2"), TypeError, "f", "'x\\*\\*2'"),
        (lambda: plot_function(torch.square, xmin=2.0, xmax=-2.0), ValueError, "xmin", "2.0"),
        (lambda: plot_function(torch.square, xmin=NAN), ValueError, "xmin", "nan"),
        (lambda: plot_function(torch.square, xmax="2"), TypeError, "xmax", "'2'"),
        (lambda: plot_function(torch.square, tx=1), TypeError, "tx", "1"),
        (lambda: plot_function(torch.square, ax=[axes()]), TypeError, "ax", "list"),
    ],
    "plot_loop": [
        (lambda: plot_loop(ax=figure()), TypeError, "ax", "Figure"),
    ],
    "to_svg": [
        (lambda: to_svg(axes(), "a plot"), TypeError, "fig", "Axes"),
        (lambda: to_svg(figure(), ""), ValueError, "alt", None),
        (lambda: to_svg(figure(), None), TypeError, "alt", "None"),
        (lambda: to_svg(figure(), "a plot", close="yes"), TypeError, "close", "'yes'"),
    ],
    "graph_edges": [
        (lambda: graph_edges(3.0), TypeError, "output", "float"),
        (lambda: graph_edges(torch.ones(2)), ValueError, "output", "grad_fn"),
    ],
    "plot_graph": [
        (lambda: plot_graph("ab"), TypeError, "edges", "'ab'"),
        (lambda: plot_graph([("a", "b"), ("c", "d")]), ValueError, r"edges\[1\]", "'c'"),
        (lambda: plot_graph([("a", 1)]), TypeError, "edges", "list"),
        (lambda: plot_graph([("a", "b")], ax="top"), TypeError, "ax", "'top'"),
    ],
    "finite_difference_grad": [
        (lambda: finite_difference_grad(None, torch.zeros(3)), TypeError, "f", "None"),
        (lambda: finite_difference_grad(torch.sum, [0.0, 1.0]), TypeError, "params", "list"),
        (lambda: finite_difference_grad(torch.sum, EMPTY), ValueError, "params", "(0,)"),
        (lambda: finite_difference_grad(torch.sum, torch.tensor([0.0, NAN])), ValueError, "params", "nan"),
        (lambda: finite_difference_grad(torch.sum, torch.zeros(3), eps=0.0), ValueError, "eps", "0.0"),
        (lambda: finite_difference_grad(torch.sum, torch.zeros(3), eps="1e-4"), TypeError, "eps", "'1e-4'"),
    ],
    **{
        name: [
            (lambda f=f: f(TIME.tolist()), TypeError, "time", "list"),
            (lambda f=f: f(torch.arange(20)), TypeError, "time", "int64"),
            (lambda f=f: f(with_value(TIME, NAN)), ValueError, "time", "nan"),
            (lambda f=f: f(with_value(TIME, INF)), ValueError, "time", "inf"),
            (lambda f=f: f(EMPTY), ValueError, "time", "(0,)"),
            (lambda f=f: f(TIME.view(4, 5)), ValueError, "time", "(4, 5)"),
        ]
        for name, f in [
            ("loss_hessian", loss_hessian),
            ("hessian_eigenvalues", hessian_eigenvalues),
            ("stability_bound", stability_bound),
            ("condition_number", condition_number),
        ]
    },
    "claim": [
        (lambda: claim("", True), ValueError, "sentence", None),
        (lambda: claim("a is b", 1), TypeError, "holds", "int"),
        (lambda: claim("a is b", torch.tensor([True, False])), TypeError, "holds", r"\(2,\)"),
    ],
}


def apply_step_(params=None, time=TIME, speed=SPEED, lr=1e-5):
    """`apply_step` with good arguments except those given."""
    return apply_step(init_params(seed=10) if params is None else params, time, speed, lr)


CASES = [
    pytest.param(call, error, name, shows, id=f"{function}-{i}-{name}")
    for function, rows in TABLES.items()
    for i, (call, error, name, shows) in enumerate(rows)
]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize(("call", "error", "name", "shows"), CASES)
def test_bad_input_is_refused_naming_the_argument(call, error, name, shows):
    with pytest.raises(error) as info:
        call()
    message = str(info.value)
    # Exactly this type: bad data raising DivergenceError would blame the learning rate.
    assert type(info.value) is error, f"{type(info.value).__name__}: {message}"
    assert re.search(rf"(?<![\w.]){name}(?!\w)", message), f"message does not name {name!r}: {message}"
    if shows is not None:
        assert re.search(shows if "\\" in shows else re.escape(shows), message), (
            f"{shows!r} not in: {message}"
        )
    assert "INTERNAL ASSERT" not in message


def test_every_public_function_has_a_table():
    import sgd_tutorial

    not_functions = {"SITE_RC", "ClaimError", "DivergenceError", "History"}
    # source() only wraps inspect.getsource, whose TypeError names what it expected;
    # check_args and check_step are the checks themselves, tested in test_checks.py.
    covered_elsewhere = {"source", "check_args", "check_step"}
    assert set(sgd_tutorial.__all__) - not_functions - covered_elsewhere == set(TABLES)


def test_check_args_has_no_rule_for_an_unknown_name():
    with pytest.raises(KeyError, match="no rule for an argument named 'speeed'"):
        check_args(speeed=SPEED)
