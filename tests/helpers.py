"""What the tests and the benchmark share: running MkDocs on a project, reading what it built.

Imported as ``helpers`` (pytest puts this folder on ``sys.path``; ``benchmark.py``
runs from it).
"""

from __future__ import annotations

import filecmp
import html
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
    """Files that differ between two built sites, or are in one only (empty: byte-identical)."""

    def walk(comparison: filecmp.dircmp) -> list[str]:
        found = comparison.left_only + comparison.right_only
        _, mismatch, errors = filecmp.cmpfiles(
            comparison.left, comparison.right, comparison.common_files, shallow=False
        )
        found += mismatch + errors
        for sub in comparison.subdirs.values():
            found += walk(sub)
        return found

    return walk(filecmp.dircmp(left, right))


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
