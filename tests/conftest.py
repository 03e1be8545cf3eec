"""Fixtures shared by the tests; the helpers they use are in ``helpers.py``."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest

from helpers import FIXTURE_SITE, ROOT, Build, build, copy_project, mkdocs_build

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


@pytest.fixture(scope="session")
def cold(tmp_path_factory) -> tuple[Path, Build]:
    """The fixture site built once from nothing: its project folder (with a warm cache) and the build."""
    project = copy_project(FIXTURE_SITE, tmp_path_factory.mktemp("cold") / "project")
    result = build(project, project.parent / "site")
    assert result.ok, result.log
    return project, result


@pytest.fixture
def project(cold, tmp_path) -> Path:
    """A copy of the fixture site with the warm cache of ``cold``."""
    return copy_project(cold[0], tmp_path / "project", cache=True)
