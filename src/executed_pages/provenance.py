"""What a build ran with: the commit it was built from and the versions that executed the pages.

Both are stated where readers see them (each executed page's note, the execution
report, a downloaded notebook's install cell). Neither is part of a page's cache
key on its own terms: the versions already are (every installed distribution's),
and the commit changes with every edit, most of which leave a page's output alone.
"""

from __future__ import annotations

import os
import platform
import re
import subprocess
from importlib import metadata
from pathlib import Path

# The versions each executed page states, in this order (distribution names).
STATED = ("torch", "matplotlib")


def build_commit(root: Path) -> str | None:
    """The commit the site is built from; None outside a git checkout.

    ``GITHUB_SHA`` (set by GitHub Actions) wins, so a workflow that builds a
    merge or an archive still names the commit it was started for.

    Args:
        root: A folder inside the checkout (the one holding ``mkdocs.yml``).
    """
    commit = os.environ.get("GITHUB_SHA", "").strip().lower()
    if not commit:
        try:
            result = subprocess.run(
                ["git", "rev-parse", "--verify", "HEAD"],
                cwd=root,
                capture_output=True,
                text=True,
                timeout=30,
            )
        except (OSError, subprocess.TimeoutExpired):  # no git on this machine
            return None
        commit = result.stdout.strip() if result.returncode == 0 else ""
    return commit if re.fullmatch(r"[0-9a-f]{40}", commit) else None


def versions() -> dict[str, str]:
    """Python's version and those of the distributions in ``STATED``, as installed (none imported).

    Returns:
        ``{"Python": "3.11.7", "torch": "2.13.0", ...}``; a distribution that is not
        installed is left out.
    """
    found = {"Python": platform.python_version()}
    for name in STATED:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def versions_text(found: dict[str, str]) -> str:
    """``Python 3.11.7, torch 2.13.0 and matplotlib 3.11.2``."""
    parts = [f"{name} {version}" for name, version in found.items()]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
