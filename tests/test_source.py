import inspect

import pytest
import torch

import sgd_tutorial
from sgd_tutorial import History, Quadratic, mse, plot_loop, source, train

PUBLIC = [
    getattr(sgd_tutorial, name)
    for name in sgd_tutorial.__all__
    if inspect.isfunction(getattr(sgd_tutorial, name)) or inspect.isclass(getattr(sgd_tutorial, name))
]


def test_source_without_imports_is_the_installed_definition():
    assert source(mse, imports=False) == inspect.getsource(mse)
    assert source(mse, imports=False).startswith("def mse(")


def test_source_ends_with_the_installed_definition_after_its_imports():
    text = source(mse)
    assert text.endswith(inspect.getsource(mse))
    assert text.startswith("import torch\nfrom sgd_tutorial.checks import check_args\n\n\ndef mse(")


def test_source_without_docstring_still_defines_the_same_function():
    text = source(mse, docstring=False)
    assert '"""' not in text and "Mean squared error" not in text
    namespace = {}
    exec(text, namespace)  # the shortened definition runs, with the imports it shows
    x, y = torch.arange(3.0), torch.ones(3)
    torch.testing.assert_close(namespace["mse"](x, y), mse(x, y))


def test_source_without_docstring_keeps_code_that_follows_it():
    text = source(train, docstring=False)
    assert "history = History()" in text and "Repeat `apply_step`" not in text


def test_source_of_a_class():
    assert source(History, docstring=False, imports=False).startswith("@dataclass\nclass History:")
    assert "from dataclasses import dataclass, field\n" in source(History)


def test_relative_imports_are_written_from_the_package():
    text = source(Quadratic)
    assert "from sgd_tutorial.model import quadratic\n" in text
    assert "from ." not in text
    assert "from torch import nn\n" in text


def test_helpers_of_the_same_module_are_imported_from_it():
    assert "from sgd_tutorial.plotting import _axes, _LOOP\n" in source(plot_loop)
    assert "from sgd_tutorial.training import History, apply_step\n" in source(train)


def test_future_imports_are_left_out():
    # `from __future__` must open a file; pasted further down it is a SyntaxError.
    assert all("__future__" not in source(obj) for obj in PUBLIC)


@pytest.mark.parametrize("obj", PUBLIC, ids=[obj.__name__ for obj in PUBLIC])
def test_every_shown_definition_runs_on_its_own(obj):
    """Pasted into a fresh namespace, each definition runs: its imports are all there."""
    namespace = {}
    exec(compile(source(obj, docstring=False), f"<source of {obj.__name__}>", "exec"), namespace)
    assert namespace[obj.__name__].__name__ == obj.__name__


def test_source_refuses_what_is_not_a_definition():
    with pytest.raises(TypeError, match="function or class"):
        source(42)
