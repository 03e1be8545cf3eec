from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import matplotlib
import pytest

# Headless, and before any test imports pyplot.
matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]


def _source_date_epoch() -> str:
    """What the Makefile sets: the time of the last commit (today's date outside a checkout)."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return os.environ["SOURCE_DATE_EPOCH"]
    log = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True)
    return log.stdout.strip() or str(int(time.time()) // 86400 * 86400)


BUILD_ENV = {"NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": _source_date_epoch()}


# The build's hooks import their helper modules (forked.py, package_deps.py)
# from their own folder; tests of those helpers do the same.
sys.path.insert(0, str(ROOT / "docs" / "_hooks"))

# Code to run in the mkdocs process before the build, for `mkdocs(..., prelude=)`.
# A second thread: the build then does not fork (as inside `mkdocs serve`).
ONE_PROCESS = "import threading, time\nthreading.Thread(target=time.sleep, args=(3600,), daemon=True).start()"
# os.fork refused, as on a machine that cannot fork.
FORK_REFUSED = "import os\ndef fork():\n    raise BlockingIOError('fork refused by the test')\nos.fork = fork"


def mkdocs_args(prelude: str = "") -> list[str]:
    """Python's arguments to run mkdocs, after ``prelude`` in the same process."""
    if not prelude:
        return ["-m", "mkdocs"]
    return ["-c", f"import sys\n{prelude}\nfrom mkdocs.__main__ import cli\nsys.exit(cli())"]


def mkdocs(project: Path, *args: str, env: dict | None = None, timeout: float = 600, prelude: str = ""):
    """Run mkdocs on a project folder, as `make build` does (strict)."""
    return subprocess.run(
        [sys.executable, *mkdocs_args(prelude), *args, "-f", str(project / "mkdocs.yml")],
        capture_output=True,
        text=True,
        env=dict(os.environ, **BUILD_ENV, **(env or {})),
        cwd=project,
        timeout=timeout,
    )


def mkdocs_build(project: Path, site_dir: Path, *extra: str, env: dict | None = None, prelude: str = ""):
    return mkdocs(project, "build", "--strict", "-d", str(site_dir), *extra, env=env, prelude=prelude)


def executed_pages(stderr: str) -> dict[str, tuple[str, str]]:
    """The build's table of executed pages: page -> (hit, miss or prose; where it ran)."""
    table = stderr[stderr.index("Executed pages:") :]
    rows = re.findall(r"^\s+(\S+\.(?:md|ipynb))\s+[0-9.]+s\s+(hit|miss|prose)\b[ \t]*(\w*)$", table, re.M)
    return {page: (status, where) for page, status, where in rows}


def served_path(project: Path) -> str:
    """Where `mkdocs serve` mounts the site: the path of site_url ("/" without one)."""
    import yaml

    url = yaml.safe_load((project / "mkdocs.yml").read_text()).get("site_url") or "/"
    return urllib.parse.urlparse(url).path or "/"


def published_path(site: Path) -> str:
    """The path a built site is published under (its site_url's), from its sitemap ("/" without one).

    site_url may be derived at build time (overrides/hooks/repository.py), so the
    built site says it, not mkdocs.yml.
    """
    sitemap = site / "sitemap.xml"
    loc = re.search(r"<loc>([^<]+)</loc>", sitemap.read_text()) if sitemap.is_file() else None
    return urllib.parse.urlparse(loc[1]).path if loc else "/"


def html_to_text(raw: str) -> str:
    """HTML reduced to text, so printed outputs can be searched."""
    return html.unescape(re.sub(r"<[^>]+>", "", raw))


def page_text(site: Path, page: str) -> str:
    return html_to_text((site / page / "index.html").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real project, built once for the session."""
    site_dir = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT, site_dir)
    assert result.returncode == 0, result.stderr[-3000:]
    return site_dir


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A copy of what the build reads, to change or break without touching the real one.

    The page cache is copied too when there is one: pages that a test does not
    touch then come from it, and only the changed ones run.
    """
    copy = tmp_path / "project"
    for name in ("docs", "src", "overrides"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", copy / "mkdocs.yml")
    if (ROOT / ".cache" / "pages").is_dir():
        shutil.copytree(ROOT / ".cache" / "pages", copy / ".cache" / "pages")
    return copy
