"""Temporary: what tests/helpers.py (plugin branch) provides, until it is merged. Delete then."""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from conftest import BUILD_ENV, ROOT, mkdocs_args, served_path

FIXTURE_SITE = ROOT / "tests" / "fixture_site"


def project_env(project: Path) -> dict[str, str]:
    import os

    return dict(os.environ, **BUILD_ENV, PYTHONPATH=str(project / "src"))


def copy_project(source: Path, dest: Path) -> Path:
    for name in ("docs", "src", "overrides", "hooks"):
        if (source / name).is_dir():
            shutil.copytree(source / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(source / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def differences(left: Path, right: Path) -> list[str]:
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


def get(url: str, timeout: float = 5) -> str:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode()
    except OSError:
        return ""


def wait_for(condition, seconds: float, what: str, poll: float = 0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(poll)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


@contextmanager
def serving(project: Path, log_file: Path, prelude: str = ""):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
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
