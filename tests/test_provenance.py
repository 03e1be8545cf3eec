"""The commit a build names, and the versions it states."""

from __future__ import annotations

import platform
import subprocess
from pathlib import Path

from executed_pages.provenance import build_commit, versions, versions_text

ROOT = Path(__file__).resolve().parents[1]
SHA = "0123456789abcdef0123456789abcdef01234567"


def test_the_commit_of_a_checkout(tmp_path, monkeypatch):
    monkeypatch.delenv("GITHUB_SHA", raising=False)
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "x"], check=True)
    head = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True)
    (tmp_path / "docs").mkdir()
    assert build_commit(tmp_path / "docs") == head.stdout.strip()


def test_no_commit_outside_a_checkout(tmp_path, monkeypatch):
    monkeypatch.delenv("GITHUB_SHA", raising=False)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))  # git must not look further up
    assert build_commit(tmp_path) is None


def test_the_workflow_commit_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_SHA", SHA.upper())
    assert build_commit(tmp_path) == SHA


def test_a_malformed_workflow_commit_is_not_trusted(tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_SHA", "main; rm -rf /")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert build_commit(tmp_path) is None


def test_versions_are_python_and_the_pinned_ones():
    pinned = dict(
        line.split("==") for line in (ROOT / "constraints.txt").read_text().splitlines() if "==" in line
    )
    found = versions()
    assert list(found) == ["Python", "torch", "matplotlib"]
    assert found["Python"] == platform.python_version()
    assert found["torch"].split("+")[0] == pinned["torch"]
    assert found["matplotlib"] == pinned["matplotlib"]


def test_versions_as_words():
    assert versions_text({"Python": "3.11.7"}) == "Python 3.11.7"
    assert versions_text({"Python": "3.11.7", "torch": "2.13.0", "matplotlib": "3.11.2"}) == (
        "Python 3.11.7, torch 2.13.0 and matplotlib 3.11.2"
    )
