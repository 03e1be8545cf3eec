"""Checks of the package's arguments, by name: one call at the top of each function.

Every argument name in the package means one thing (``time`` is a 1-D series of
finite floats, ``lr`` a finite number > 0, ...), so one function can check any of
them: ``check_args(params=params, time=time, speed=speed, lr=lr, steps=steps)``.
The messages name the argument, say what it got, and how to fix it. A wrong
answer computed silently (a broadcast, a NaN blamed on the learning rate) is
worse than an error, so what the package cannot compute correctly is refused
here, before any work starts.

`check_step` is the other check: whether a step of gradient descent diverged,
the same way in every training function.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from torch import nn

__all__ = ["DivergenceError", "check_args", "check_step"]

# Past 2**24, float32 cannot tell consecutive whole numbers apart: time = arange(n) would repeat.
MAX_POINTS = 16_777_216
# The seeds torch.Generator.manual_seed accepts: -2**63 to 2**64 - 1.
SEED_RANGE = (-9_223_372_036_854_775_808, 18_446_744_073_709_551_615)


class DivergenceError(ArithmeticError):
    """The loss or the gradient stopped being a finite number: the steps overshoot."""


def _describe(value: object) -> str:
    if isinstance(value, torch.Tensor):
        return f"a {value.dtype} tensor of shape {tuple(value.shape)}"
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 40 else text[:37] + '...'}"


def _all_finite(*tensors: torch.Tensor) -> bool:
    """Whether every value of the tensors is finite: one reduction per tensor, checked on every step."""
    # A sum is finite only if every value is: an inf or a NaN anywhere makes it inf or NaN, in any
    # order of summation. Only when the sum is not finite (finite values can also overflow it) is
    # each value tested. One reduction and one .item() cost about a third of isfinite().all().
    return all(math.isfinite(t.detach().sum().item()) or bool(torch.isfinite(t).all()) for t in tensors)


def _tensor(name: str, value: object, finite: bool = True, empty: bool = False) -> torch.Tensor:
    if not isinstance(value, torch.Tensor):
        raise TypeError(
            f"{name} must be a torch.Tensor, got {_describe(value)}; make one with torch.tensor()"
        )
    if not value.is_floating_point():
        raise TypeError(
            f"{name} must hold floating-point numbers, got {_describe(value)}; convert it with .float()"
        )
    if not empty and value.numel() == 0:
        raise ValueError(f"{name} must not be empty, got {_describe(value)}")
    if finite and not _all_finite(value):
        bad = value[~torch.isfinite(value)][0].item()
        raise ValueError(
            f"{name} must hold finite numbers, got {bad} in {_describe(value)}; "
            f"remove or replace the non-finite values (torch.isfinite({name}) marks the good ones)"
        )
    return value


def _series(name: str, value: object) -> None:
    _tensor(name, value)
    if value.dim() != 1:
        raise ValueError(f"{name} must be 1-D, one value per point, got {_describe(value)}; try .flatten()")


def _number(
    name: str, value: object, low: float | None = None, above: bool = False, high: float | None = None
) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        hint = "; take its value with .item()" if isinstance(value, torch.Tensor) else ""
        raise TypeError(f"{name} must be a number, got {_describe(value)}{hint}")
    wanted = "a finite number" + ("" if low is None else f" {'>' if above else '>='} {low}")
    if not math.isfinite(value) or (low is not None and (value <= low if above else value < low)):
        raise ValueError(f"{name} must be {wanted}, got {value!r}")
    if high is not None and value > high:
        raise ValueError(f"{name} must be at most {high:g}, got {value!r}; larger values overflow float32")


def _integer(name: str, value: object, low: int, high: int | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an integer, got {_describe(value)}")
    if value < low or (high is not None and value > high):
        span = f">= {low}" if high is None else f"from {low} to {high}"
        raise ValueError(f"{name} must be an integer {span}, got {value!r}")


def _optional(kind: type | tuple[type, ...], what: str) -> Callable[[str, object], None]:
    def check(name: str, value: object) -> None:
        if value is not None and not isinstance(value, kind):
            raise TypeError(f"{name} must be {what} or None, got {_describe(value)}")

    return check


def _params(name: str, value: object) -> None:
    # A sequence of snapshots, as in History.params (a list of numbers is a tensor not yet made).
    if isinstance(value, (list, tuple)) and (not value or any(isinstance(p, torch.Tensor) for p in value)):
        if not value:
            raise ValueError(f"{name} must hold at least one parameter tensor, got an empty sequence")
        for i, p in enumerate(value):
            _tensor(f"{name}[{i}]", p)
        return
    _tensor(name, value)


def _losses(name: str, value: object) -> None:
    if value is None:
        return
    if isinstance(value, torch.Tensor):  # a loss surface, drawn on a log scale
        _tensor(name, value)
        if not (value > 0).all():
            raise ValueError(
                f"{name} must be > 0 everywhere to be drawn on a log scale, got a minimum of {value.min()}"
            )
        if value.min() == value.max():
            raise ValueError(f"{name} must not all be equal, or there are no contours; got all {value.max()}")
        return
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise TypeError(f"{name} must be a list of floats or a tensor, got {_describe(value)}")
    for i, loss in enumerate(value):
        _number(f"{name}[{i}]", loss)


def _model(name: str, value: object) -> None:
    if not isinstance(value, nn.Module):
        raise TypeError(f"{name} must be a torch.nn.Module, got {_describe(value)}; e.g. Quadratic(params)")
    params = list(value.parameters())
    if not params:
        raise ValueError(f"{name} has no parameters to train: give it an nn.Parameter")
    for i, p in enumerate(params):
        _tensor(f"{name}'s parameter {i}", p)


def _path(name: str, value: object) -> None:
    if value is None:
        return
    _tensor(name, value)
    if value.dim() != 2 or value.shape[1] < 2:
        raise ValueError(
            f"{name} must have shape (steps, 2) or (steps, 3), got {_describe(value)}; "
            "stack the snapshots: torch.stack(history.params)"
        )


def _edges(name: str, value: object) -> None:
    if not isinstance(value, list) or not all(
        isinstance(e, tuple) and len(e) == 2 and all(isinstance(n, str) for n in e) for e in value
    ):
        raise TypeError(f"{name} must be a list of (node, input node) pairs of str, got {_describe(value)}")
    reached = {value[0][0]} if value else set()
    for i, (parent, child) in enumerate(value):
        if parent not in reached:
            raise ValueError(
                f"{name}[{i}] starts from {parent!r}, which no earlier edge reaches: "
                "edges must come in the order graph_edges gives them, from the output down"
            )
        reached.add(child)


def _callable(name: str, value: object) -> None:
    if not callable(value):
        raise TypeError(f"{name} must be a function, got {_describe(value)}")


def _text(name: str, value: object) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {_describe(value)}")
    if not value.strip():
        raise ValueError(f"{name} must not be blank: say in words what the figure shows")


def _instance(kind: type, what: str) -> Callable[[str, object], None]:
    def check(name: str, value: object) -> None:
        if not isinstance(value, kind):
            raise TypeError(f"{name} must be {what}, got {_describe(value)}")

    return check


def _axes_list(name: str, value: object) -> None:
    # A list, or the numpy array plt.subplots returns; a 2-D grid of them needs flattening.
    if value is not None and not (
        hasattr(value, "__len__") and not isinstance(value, str) and all(isinstance(ax, Axes) for ax in value)
    ):
        raise TypeError(
            f"{name} must be a sequence of matplotlib Axes or None, got {_describe(value)}; "
            f"flatten a grid of them: list({name}.flat)"
        )


def _rule(name: str) -> Callable[[str, object], None]:
    """What each argument name means in the package; a name is checked the same way wherever it is used."""
    match name:
        # data: finite floats; time, speed, a and b are 1-D series of points
        case "time" | "speed" | "a" | "b":
            return _series
        case "targets":
            return _tensor
        case "t":
            return lambda name, value: _tensor(name, value, empty=True)
        # predictions may be inf or NaN: the loss then is too, which is how training sees divergence
        case "preds":
            return lambda name, value: value is None or _tensor(name, value, finite=False)
        case "output":
            return _instance(torch.Tensor, "a torch.Tensor")
        # parameters, models, and what training records
        case "params":
            return _params
        case "model":
            return _model
        case "path":
            return _path
        case "losses":
            return _losses
        # numbers
        case "lr" | "eps":
            return lambda name, value: _number(name, value, low=0, above=True)
        case "noise":  # noise * randn must stay inside float32 (max 3.4e38) for every draw
            return lambda name, value: _number(name, value, low=0, high=1e37)
        case "centre" | "xmin" | "xmax":
            return _number
        case "c":
            return lambda name, value: value is None or _number(name, value)
        case "steps" | "epochs":
            return lambda name, value: _integer(name, value, 0)
        case "batch_size" | "size":
            return lambda name, value: _integer(name, value, 1)
        case "n":
            return lambda name, value: _integer(name, value, 1, MAX_POINTS)
        case "seed":
            return lambda name, value: _integer(name, value, *SEED_RANGE)
        # functions and figures
        case "f":
            return _callable
        case "edges":
            return _edges
        case "ax":
            return _optional(Axes, "a matplotlib Axes")
        case "axs":
            return _axes_list
        case "fig":
            return _instance(Figure, "a matplotlib Figure")
        case "alt":
            return _text
        case "close":
            return _instance(bool, "True or False")
        case "title" | "tx" | "ty":
            return _optional(str, "a str")
    raise KeyError(f"check_args has no rule for an argument named {name!r}")


def check_args(**args: object) -> None:
    """Check arguments by their names, and how they fit together.

    Each name has one rule (see ``_rule``): ``time``, ``speed``, ``a`` and ``b`` are
    non-empty 1-D float tensors of finite values; ``targets`` and ``t`` are float
    tensors of finite values (``t`` may be empty); ``preds`` may hold inf or NaN;
    ``lr`` and ``eps`` are finite numbers > 0; ``steps`` and ``epochs`` integers
    >= 0; ``seed`` an integer ``torch.manual_seed`` accepts; and so on. Then the
    relations between them:

    - ``time``, ``speed`` and ``preds``, or ``preds`` and ``targets``, have one shape
      (broadcasting ``(20,)`` against ``(20, 1)`` would compare every prediction
      with every target and give a wrong loss);
    - ``params`` are the quadratic's ``(a, b, c)``, shape ``(3,)`` (unless given with
      ``f``, the function `finite_difference_grad` differentiates); given with ``lr``
      they are to be trained, so a leaf tensor that requires grad;
    - ``batch_size`` is at most the number of points; ``xmin < xmax``;
    - ``losses`` as a tensor has shape ``(len(b), len(a))``; as a list, at least one
      loss per snapshot in ``params``.

    Args:
        **args: The arguments to check, by the names the package uses for them.

    Raises:
        TypeError: An argument has the wrong type (a list for a tensor, an int
            tensor for a float one, a float for an integer, ...).
        ValueError: An argument has a bad value or shape, or two do not fit together.
        KeyError: A name has no rule (a mistake in the package, not in the call).
    """
    for name, value in args.items():
        _rule(name)(name, value)
    _relations(args)


def _relations(args: dict[str, object]) -> None:
    shaped = [(k, args[k]) for k in ("time", "speed", "preds", "targets") if args.get(k) is not None]
    for name, value in shaped[1:]:
        if value.shape != shaped[0][1].shape:
            first, shape = shaped[0][0], tuple(shaped[0][1].shape)
            raise ValueError(
                f"{first} and {name} must have the same shape, got {first} {shape} and {name} "
                f"{tuple(value.shape)}; broadcasting them would pair every value with every other"
            )
    params = args.get("params")
    # The quadratic's (a, b, c), unless params are a point where f is differentiated.
    if "params" in args and "f" not in args:
        for name, p in [("params", params)] if isinstance(params, torch.Tensor) else enumerate(params):
            if p.shape != (3,):
                name = name if name == "params" else f"params[{name}]"
                raise ValueError(f"{name} must have shape (3,) for (a, b, c), got {tuple(p.shape)}")
    if isinstance(params, torch.Tensor) and "lr" in args and not (params.requires_grad and params.is_leaf):
        raise ValueError("params must be a leaf tensor that requires grad: call params.requires_grad_()")
    if "batch_size" in args and "time" in args and args["batch_size"] > len(args["time"]):
        n = len(args["time"])
        raise ValueError(f"batch_size must be an integer from 1 to {n}, got {args['batch_size']!r}")
    if "xmin" in args and "xmax" in args and not args["xmin"] < args["xmax"]:
        raise ValueError(f"xmin must be less than xmax, got xmin={args['xmin']!r} and xmax={args['xmax']!r}")
    losses = args.get("losses")
    if isinstance(losses, torch.Tensor) and "a" in args and "b" in args:
        expected = (len(args["b"]), len(args["a"]))
        if losses.shape != expected:
            raise ValueError(
                f"losses must have shape (len(b), len(a)) = {expected}, got {tuple(losses.shape)}; "
                "compute them with loss_landscape(time, speed, a, b)"
            )
    if isinstance(losses, Sequence) and isinstance(params, (list, tuple)) and len(losses) < len(params):
        raise ValueError(f"losses must hold a loss for each of the {len(params)} params, got {len(losses)}")


def check_step(
    loss: torch.Tensor, params: torch.Tensor | Iterable[torch.Tensor], lr: float, step: int | None = None
) -> None:
    """Refuse a step of gradient descent that would leave the finite numbers.

    Call it after ``loss.backward()`` and before the parameters change: if the
    loss, a gradient, or a parameter after the step ``p - lr * p.grad`` is inf or
    NaN, the step is refused and the parameters stay as they were.

    Args:
        loss: The loss before the step.
        params: The tensor, or the tensors, about to be stepped; each has a ``grad``.
        lr: The learning rate of the step.
        step: The step's number in a loop, to start the message with.

    Raises:
        DivergenceError: If the loss, a gradient or a stepped parameter is not finite.
    """
    params = [params] if isinstance(params, torch.Tensor) else list(params)
    grads = [p.grad if p.grad is not None else torch.zeros_like(p) for p in params]
    stepped = [p.detach() - lr * g for p, g in zip(params, grads, strict=True)]
    if not _all_finite(loss, *grads, *stepped):
        grad = torch.cat([g.detach().flatten() for g in grads])
        where = "" if step is None else f"step {step}: "
        raise DivergenceError(
            f"{where}the step diverged: loss is {loss.item()} and the gradient is {grad.tolist()}; "
            f"lr={lr} is too large for this problem, try a smaller lr"
        )
