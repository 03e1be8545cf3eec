"""The build's analysis of which package modules a page uses (executed_pages/deps.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from executed_pages.deps import Package
from helpers import ROOT

INIT = "from .a import alpha\nfrom .b import beta\nfrom .c import gamma\n"


@pytest.fixture
def package(tmp_path) -> Package:
    root = tmp_path / "pkg"
    root.mkdir()
    (root / "__init__.py").write_text(INIT)
    (root / "a.py").write_text("def alpha(): ...\n")
    (root / "b.py").write_text("from .a import alpha\n\ndef beta(): return alpha()\n")
    (root / "c.py").write_text("def gamma(): ...\n")
    return Package(root)


def test_a_name_counts_its_module_and_what_that_module_imports(package):
    assert package.used_by(["from pkg import beta"]) == {"__init__", "b", "a"}
    assert package.used_by(["from pkg import alpha", "x = 1"]) == {"__init__", "a"}


def test_init_counts_but_not_every_module_it_imports(package):
    assert package.used_by(["print(1)"]) == {"__init__"}


def test_submodule_imports_count_that_module(package):
    assert package.used_by(["from pkg.c import gamma"]) == {"__init__", "c"}
    assert package.used_by(["import pkg.c as c"]) == {"__init__", "c"}
    assert package.used_by(["from pkg import c"]) == {"__init__", "c"}


@pytest.mark.parametrize(
    "code",
    [
        "import pkg",
        "import pkg as p",
        "from pkg import *",
        "from pkg import unknown",
        "import importlib\nimportlib.import_module('pkg.c')",
        "def broken(:",
    ],
    ids=["package", "package as", "star", "unknown name", "name in a string", "syntax error"],
)
def test_what_cannot_be_followed_counts_the_whole_package(package, code):
    assert package.used_by([code]) == {"__init__", "a", "b", "c"}


def test_indented_blocks_and_ipython_lines_are_read(package):
    assert package.used_by(["    from pkg import gamma\n    gamma()"]) == {"__init__", "c"}
    assert package.used_by(["%matplotlib inline\nfrom pkg import alpha"]) == {"__init__", "a"}


def test_documented_modules_count(package):
    assert package.used_by([], "# API\n\n::: pkg.b\n") == {"__init__", "b", "a"}
    assert package.used_by([], "::: pkg\n") == {"__init__", "a", "b", "c"}
    assert package.used_by([], "::: other.module\n") == {"__init__"}


def test_other_packages_do_not_count(package):
    assert package.used_by(["import torch\nfrom torch import nn\nfrom . import x"]) == {"__init__"}


def test_a_module_that_imports_the_whole_package_depends_on_all(tmp_path):
    root = tmp_path / "pkg"
    root.mkdir()
    (root / "__init__.py").write_text("from .a import alpha\n")
    (root / "a.py").write_text("import pkg\n\ndef alpha(): ...\n")
    (root / "b.py").write_text("def beta(): ...\n")
    assert Package(root).used_by(["from pkg import alpha"]) == {"__init__", "a", "b"}


def test_the_real_package_modules_only_define_things_at_import():
    # A module with effects at import would rerun every page when it changes;
    # the package is written so that none has any.
    assert Package(ROOT / "src" / "sgd_tutorial").effects == set()


def test_the_real_pages_use_what_they_import():
    package = Package(ROOT / "src" / "sgd_tutorial")
    assert package.used_by(["from sgd_tutorial import graph_edges"]) == {"__init__", "autograd", "checks"}
    train_uses = {"__init__", "training", "loss", "model", "checks"}
    assert package.used_by(["from sgd_tutorial import train"]) == train_uses
    assert package.everything == {path.stem for path in Path(ROOT / "src" / "sgd_tutorial").glob("*.py")}


@pytest.mark.parametrize(
    "statement",
    [
        "import matplotlib as mpl\nmpl.rcParams['font.size'] = 8",
        "import torch\ntorch.set_printoptions(precision=2)",
        "print('imported')",
        "CACHE = {}\nCACHE['x'] = 1",
        "if True:\n    X = 1",
        "SIZE = compute()",
        "COUNT += 1",
    ],
    ids=["rcParams", "call", "print", "subscript", "if", "name from a call", "augmented"],
)
def test_a_module_that_may_change_state_at_import_counts_for_every_page(tmp_path, statement):
    root = tmp_path / "pkg"
    root.mkdir()
    (root / "__init__.py").write_text("from .a import alpha\nfrom .b import beta\n")
    (root / "a.py").write_text("def alpha(): ...\n")
    (root / "b.py").write_text(f"{statement}\n\ndef beta(): ...\n")
    package = Package(root)
    assert package.effects == {"b"}
    assert package.used_by(["from pkg import alpha"]) == {"__init__", "a", "b"}


def test_names_given_literals_docstrings_and_annotations_are_no_effect(package):
    (package.root / "c.py").write_text(
        '"""Doc."""\n\nfrom __future__ import annotations\n\nRC = {"a": 1}\n__all__ = ["gamma"]\n'
        "LIMIT: int = 3\nNAME: str\n\ndef gamma(): ...\n"
    )
    assert Package(package.root).effects == set()
