"""Gradient descent, step by step: the code behind the tutorial pages."""

from .autograd import finite_difference_grad, graph_edges, plot_graph
from .checks import check_args, check_step
from .claims import ClaimError, claim
from .curvature import condition_number, hessian_eigenvalues, loss_hessian, stability_bound
from .data import make_speed_data, true_speed
from .fit import least_squares, rescale
from .landscape import loss_landscape, plot_landscape
from .loss import mse
from .model import init_params, quadratic
from .modules import Quadratic, train_with_optimizer
from .plotting import SITE_RC, plot_function, plot_loop, show_preds, show_steps, to_svg
from .source import source
from .training import DivergenceError, History, apply_step, train, train_sgd

__all__ = [
    "SITE_RC",
    "ClaimError",
    "DivergenceError",
    "History",
    "Quadratic",
    "apply_step",
    "check_args",
    "check_step",
    "claim",
    "condition_number",
    "finite_difference_grad",
    "graph_edges",
    "hessian_eigenvalues",
    "init_params",
    "least_squares",
    "loss_hessian",
    "loss_landscape",
    "make_speed_data",
    "mse",
    "plot_function",
    "plot_graph",
    "plot_landscape",
    "plot_loop",
    "quadratic",
    "rescale",
    "show_preds",
    "show_steps",
    "source",
    "stability_bound",
    "to_svg",
    "train",
    "train_sgd",
    "train_with_optimizer",
    "true_speed",
]
