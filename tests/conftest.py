"""Fixtures shared by the tests; the helpers they use are in ``helpers.py``."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest

from helpers import ROOT, copy_project, mkdocs_build

# Headless, and before any test imports pyplot.
matplotlib.use("Agg")


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real project, built once for the session (from its own cache when it has one)."""
    site_dir = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT, site_dir)
    assert result.returncode == 0, result.stderr[-3000:]
    return site_dir


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A copy of the real project and its cache, to change or break without touching the real one."""
    return copy_project(ROOT, tmp_path / "project", cache=True)
