"""Each executed page starts from the state of a fresh process (executed_pages/isolation.py)."""

from __future__ import annotations

import os
import random
import sys

import matplotlib
import matplotlib.pyplot as plt
import numpy
import torch

from executed_pages.isolation import fresh_state


def test_what_a_page_changed_is_put_back(tmp_path):
    cwd = os.getcwd()
    before = {
        "torch": str(torch.tensor([1 / 3])),
        "numpy": str(numpy.array([1 / 3])),
        "rc": matplotlib.rcParams["lines.linewidth"],
    }
    try:
        os.chdir(tmp_path)
        torch.set_printoptions(precision=1)
        numpy.set_printoptions(precision=1)
        matplotlib.rcParams["lines.linewidth"] = 9
        torch.manual_seed(5)
        plt.figure()
        sys.modules["fixture_pkg.leftover"] = sys.modules["os"]

        fresh_state(cwd, "fixture_pkg")
        assert os.getcwd() == cwd
        assert str(torch.tensor([1 / 3])) == before["torch"]
        assert str(numpy.array([1 / 3])) == before["numpy"]
        assert matplotlib.rcParams["lines.linewidth"] == before["rc"]
        assert torch.initial_seed() == 0
        assert plt.get_fignums() == []
        assert "fixture_pkg.leftover" not in sys.modules
        first = (random.random(), numpy.random.random(), torch.rand(1).item())
        fresh_state(cwd, "fixture_pkg")
        assert (random.random(), numpy.random.random(), torch.rand(1).item()) == first
    finally:
        os.chdir(cwd)
        sys.modules.pop("fixture_pkg.leftover", None)
