import inspect

from sgd_tutorial import History, mse, source, train


def test_source_is_the_installed_definition():
    assert source(mse) == inspect.getsource(mse)
    assert source(mse).startswith("def mse(")


def test_source_without_docstring_still_defines_the_same_function():
    text = source(mse, docstring=False)
    assert '"""' not in text and "Mean squared error" not in text
    namespace = {}
    exec("import torch\nfrom sgd_tutorial.checks import check_args\n" + text, namespace)  # still runs
    import torch

    x, y = torch.arange(3.0), torch.ones(3)
    torch.testing.assert_close(namespace["mse"](x, y), mse(x, y))


def test_source_without_docstring_keeps_code_that_follows_it():
    text = source(train, docstring=False)
    assert "history = History()" in text and "Repeat `apply_step`" not in text


def test_source_of_a_class():
    assert source(History, docstring=False).startswith("@dataclass\nclass History:")
