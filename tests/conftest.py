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


def mkdocs(project: Path, *args: str, env: dict | None = None, timeout: float = 600):
    """Run mkdocs on a project folder, as `make build` does (strict)."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", *args, "-f", str(project / "mkdocs.yml")],
        capture_output=True,
        text=True,
        env=dict(os.environ, **BUILD_ENV, **(env or {})),
        cwd=project,
        timeout=timeout,
    )


# `python -m mkdocs`, but from a process with a second thread: the build then does
# not fork (as inside `mkdocs serve`) and renders every Markdown page itself.
ONE_PROCESS = (
    "-c",
    "import sys, threading, time\n"
    "threading.Thread(target=time.sleep, args=(3600,), daemon=True).start()\n"
    "from mkdocs.__main__ import cli\n"
    "sys.exit(cli())",
)


def mkdocs_build(project: Path, site_dir: Path, *extra: str, env: dict | None = None):
    return mkdocs(project, "build", "--strict", "-d", str(site_dir), *extra, env=env)


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
    for name in ("docs", "src"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", copy / "mkdocs.yml")
    if (ROOT / ".cache" / "pages").is_dir():
        shutil.copytree(ROOT / ".cache" / "pages", copy / ".cache" / "pages")
    return copy
