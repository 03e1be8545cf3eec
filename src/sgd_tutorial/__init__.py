"""Gradient descent, step by step: the code behind the tutorial pages."""

from .data import make_speed_data, true_speed
from .loss import mse
from .model import init_params, quadratic
from .plotting import SITE_RC, plot_function, plot_loop, show_preds, show_steps, to_svg
from .source import source
from .training import DivergenceError, History, apply_step, train

__all__ = [
    "SITE_RC",
    "DivergenceError",
    "History",
    "apply_step",
    "init_params",
    "make_speed_data",
    "mse",
    "plot_function",
    "plot_loop",
    "quadratic",
    "show_preds",
    "show_steps",
    "source",
    "to_svg",
    "train",
    "true_speed",
]
