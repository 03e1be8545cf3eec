"""What the tests and the benchmark share: running MkDocs on a project, reading what it built.

Imported as ``helpers`` (pytest puts this folder on ``sys.path``; ``benchmark.py``
runs from it).
"""

from __future__ import annotations

import filecmp
import html
import json
import logging
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_SITE = ROOT / "tests" / "fixture_site"
CACHE = Path(".cache") / "executed-pages"  # the plugin's default cache_dir, relative to mkdocs.yml


def torch_version() -> str:
    """The torch version pinned in constraints.txt (the one place it is written)."""
    pinned = re.search(r"^torch==(\S+)$", (ROOT / "constraints.txt").read_text(), re.M)
    assert pinned, "constraints.txt pins no torch version"
    return pinned.group(1)


def _source_date_epoch() -> str:
    """What the Makefile sets: the time of the last commit (today's date outside a checkout)."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return os.environ["SOURCE_DATE_EPOCH"]
    log = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True)
    return log.stdout.strip() or str(int(time.time()) // 86400 * 86400)


BUILD_ENV = {"NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": _source_date_epoch()}


def mkdocs_args(prelude: str = "") -> list[str]:
    """Python's arguments to run mkdocs, after ``prelude`` in the same process."""
    if not prelude:
        return ["-m", "mkdocs"]
    return ["-c", f"import sys\n{prelude}\nfrom mkdocs.__main__ import cli\nsys.exit(cli())"]


def project_env(project: Path) -> dict[str, str]:
    """The environment of a build of a project copy: it imports the copy's package, not the installed one."""
    return dict(os.environ, **BUILD_ENV, PYTHONPATH=str(project / "src"))


def mkdocs(project: Path, *args: str, timeout: float = 600, prelude: str = "") -> subprocess.CompletedProcess:
    """Run mkdocs on a project folder in a process of its own."""
    return subprocess.run(
        [sys.executable, *mkdocs_args(prelude), *args, "-f", str(project / "mkdocs.yml")],
        capture_output=True,
        text=True,
        env=project_env(project),
        cwd=project,
        timeout=timeout,
    )


def mkdocs_build(
    project: Path, site_dir: Path, *extra: str, prelude: str = ""
) -> subprocess.CompletedProcess:
    """``make build`` (strict) on a project, into ``site_dir``."""
    return mkdocs(project, "build", "--strict", "-d", str(site_dir), *extra, prelude=prelude)


def copy_project(source: Path, dest: Path, *, cache: bool = False) -> Path:
    """A copy of what a build reads (mkdocs.yml, docs, src, hooks), and of its cache if asked."""
    for name in ("docs", "src", "overrides", "hooks"):
        if (source / name).is_dir():
            shutil.copytree(source / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(source / "mkdocs.yml", dest / "mkdocs.yml")
    if cache and (source / CACHE).is_dir():
        shutil.copytree(source / CACHE, dest / CACHE)
    return dest


def executed_pages(log: str) -> dict[str, tuple[str, str]]:
    """The build's table of executed pages: page -> (hit, miss or prose; where it ran)."""
    table = log[log.index("Executed pages:") :]
    rows = re.findall(r"^\s+(\S+\.(?:md|ipynb))\s+[0-9.]+s\s+(hit|miss|prose)\b[ \t]*(\w*)$", table, re.M)
    return {page: (status, where) for page, status, where in rows}


def statuses(log: str) -> dict[str, str]:
    """page -> hit, miss or prose, from the build's table."""
    return {page: status for page, (status, _) in executed_pages(log).items()}


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


def differences(left: Path, right: Path) -> list[str]:
    """Files that differ between two built sites, or are in one only (empty: byte-identical),
    as paths relative to the sites' roots."""

    def walk(comparison: filecmp.dircmp, prefix: str) -> list[str]:
        found = comparison.left_only + comparison.right_only
        _, mismatch, errors = filecmp.cmpfiles(
            comparison.left, comparison.right, comparison.common_files, shallow=False
        )
        found = [prefix + name for name in found + mismatch + errors]
        for name, sub in comparison.subdirs.items():
            found += walk(sub, f"{prefix}{name}/")
        return found

    return walk(filecmp.dircmp(left, right), "")


def replace_in(path: Path, old: str, new: str) -> None:
    """Edit a file, failing when the text to replace is not there (the test would test nothing)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}; update the test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 5) -> str:
    """The body at url; empty when it cannot be fetched (yet)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode()
    except OSError:
        return ""


def wait_for(condition, seconds: float, what: str, poll: float = 0.05):
    """Poll until ``condition()`` is true and return it; fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(poll)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


@contextmanager
def serving(project: Path, log_file: Path, prelude: str = "") -> Iterator[str]:
    """``mkdocs serve`` on a project; yields the base URL of the site (no trailing slash)."""
    port = free_port()
    with log_file.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, *mkdocs_args(prelude), "serve", "-a", f"127.0.0.1:{port}"],
            cwd=project,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=project_env(project),
        )
        try:
            yield f"http://127.0.0.1:{port}{served_path(project).rstrip('/')}"
        finally:
            server.terminate()
            server.wait(timeout=30)


# ---------------------------------------------------------------- the fixture site (tests/fixture_site)


@dataclass
class Build:
    ok: bool
    log: str
    site: Path

    @property
    def statuses(self) -> dict[str, str]:
        return statuses(self.log)

    def text(self, page: str) -> str:
        return page_text(self.site, page)


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname}: {record.getMessage()}")


def build(project: Path, site: Path) -> Build:
    """``mkdocs build --strict`` of a project, in this process, importing the project's own package."""
    import matplotlib
    from mkdocs.commands.build import build as mkdocs_build_site
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    logger = logging.getLogger("mkdocs")
    handler, level = _Lines(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    saved = os.getcwd(), list(sys.path), dict(os.environ)
    # As on the command line (the notebook's kernel, a process of its own, finds the package on PYTHONPATH).
    os.environ.update(project_env(project))
    sys.path.insert(0, str(project / "src"))
    os.chdir(project)
    ok = False
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site), strict=True)
    try:
        config.plugins.on_startup(command="build", dirty=False)
        with matplotlib.rc_context():  # the pages' settings stay out of the other tests
            mkdocs_build_site(config)
        ok = True
    except Abort as error:
        handler.lines.append(f"ABORT: {error}")
    finally:
        config.plugins.on_shutdown()
        logger.removeHandler(handler)
        logger.setLevel(level)
        os.chdir(saved[0])
        sys.path[:] = saved[1]
        os.environ.clear()
        os.environ.update(saved[2])
        for name in [m for m in list(sys.modules) if m == "tinypkg" or m.startswith("tinypkg.")]:
            del sys.modules[name]
    return Build(ok, "\n".join(handler.lines), site)


def cold_build(project: Path, site: Path) -> Build:
    """A build of the same sources from an empty cache."""
    shutil.rmtree(project / CACHE, ignore_errors=True)
    return build(project, site)


def assert_same_as_cold(warm: Build, project: Path, tmp_path: Path) -> None:
    clean = cold_build(project, tmp_path / "clean")
    assert clean.ok, clean.log
    assert differences(warm.site, clean.site) == [], "a warm build differs from a cold build"


def add_block(project: Path, page: str, code: str) -> int:
    """Append an exec block to a page; return the line of its first line of code."""
    path = project / "docs" / page
    text = path.read_text()
    path.write_text(f'{text}\n```python exec="on" session="alpha"\n{code}\n```\n')
    return text.count("\n") + 3  # after a blank line and the opening fence


def add_cell(project: Path, source: str) -> int:
    """Append a code cell to the notebook; return its number (1-based, counting every cell)."""
    path = project / "docs" / "notebook.ipynb"
    notebook = json.loads(path.read_text())
    cell = {"cell_type": "code", "id": f"added-{len(notebook['cells'])}", "metadata": {}, "outputs": []}
    notebook["cells"].append(dict(cell, execution_count=None, source=source))
    path.write_text(json.dumps(notebook))
    return len(notebook["cells"])


def assert_short(log: str, project: Path) -> None:
    assert "Traceback" not in log and str(project) not in log, log
